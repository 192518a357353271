// Package immutable_test holds the heavy concurrency suites for module
// immutable: readers iterate shared collections while writers derive new
// versions from them. Sizes grow with STRESS (see stress/internal/load).
package immutable_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/immutable"
	"github.com/dext-go/dext/stress/internal/load"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// shared is one version of every collection, all holding 0..n-1.
type shared struct {
	n    int
	list immutable.List[int]
	arr  immutable.Array[int]
	m    immutable.Map[int, int]
	sm   immutable.SortedMap[int, int]
	set  immutable.Set[int]
	ss   immutable.SortedSet[int]
}

func build(n int) shared {
	var lb immutable.ListBuilder[int]
	ab := immutable.NewArrayBuilder[int](n)
	var mb immutable.MapBuilder[int, int]
	var smb immutable.SortedMapBuilder[int, int]
	var sb immutable.SetBuilder[int]
	var ssb immutable.SortedSetBuilder[int]
	for i := range n {
		lb.Append(i)
		ab.Append(i)
		mb.Set(i, i)
		smb.Set(i, i)
		sb.Add(i)
		ssb.Add(i)
	}
	return shared{n, lb.Build(), ab.Build(), mb.Build(), smb.Build(), sb.Build(), ssb.Build()}
}

// verify checks that s still holds exactly 0..n-1 everywhere.
func (s shared) verify() error {
	want := s.n * (s.n - 1) / 2
	sum := func(name string, got, count int) error {
		if got != want || count != s.n {
			return fmt.Errorf("%s: sum %d over %d values, want %d over %d", name, got, count, want, s.n)
		}
		return nil
	}
	var errs []error
	a, c := 0, 0
	for i, v := range s.list.All() {
		if i != v {
			return fmt.Errorf("list[%d] = %d", i, v)
		}
		a, c = a+v, c+1
	}
	errs = append(errs, sum("list", a, c))
	a, c = 0, 0
	for _, v := range s.list.Backward() {
		a, c = a+v, c+1
	}
	errs = append(errs, sum("list backward", a, c))
	a, c = 0, 0
	for i, v := range s.arr.All() {
		if i != v {
			return fmt.Errorf("array[%d] = %d", i, v)
		}
		a, c = a+v, c+1
	}
	errs = append(errs, sum("array", a, c))
	a, c = 0, 0
	for k, v := range s.m.All() {
		if k != v {
			return fmt.Errorf("map[%d] = %d", k, v)
		}
		a, c = a+v, c+1
	}
	errs = append(errs, sum("map", a, c))
	a, c = 0, 0
	prev := -1
	for k, v := range s.sm.All() {
		if k != v || k <= prev {
			return fmt.Errorf("sorted map: %d=%d after %d", k, v, prev)
		}
		prev, a, c = k, a+v, c+1
	}
	errs = append(errs, sum("sorted map", a, c))
	a, c = 0, 0
	for v := range s.set.All() {
		a, c = a+v, c+1
	}
	errs = append(errs, sum("set", a, c))
	a, c = 0, 0
	for v := range s.ss.Backward() {
		a, c = a+v, c+1
	}
	errs = append(errs, sum("sorted set", a, c))
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// derive makes a new version of every collection from s: each holds 0..n-1
// plus the marker value, with the element at index i (or key i) replaced.
func (s shared) derive(i, marker int) shared {
	return shared{
		n:    s.n,
		list: s.list.Set(i, marker).Append(marker).Prepend(marker),
		arr:  s.arr.Set(i, marker).Append(marker),
		m:    s.m.Set(i, marker).Set(marker, marker).Delete(0),
		sm:   s.sm.Set(i, marker).Set(marker, marker).Delete(0),
		set:  s.set.Add(marker).Delete(i).Union(immutable.SetOf(marker + 1)),
		ss:   s.ss.Add(marker).Delete(i).Difference(immutable.SortedSetOf(0)),
	}
}

// TestSharedCollectionsStress: readers iterate one shared version of every
// collection while writers derive many versions from it; the shared version
// must never change, and every derived version must stay as derived.
func TestSharedCollectionsStress(t *testing.T) {
	n := load.Scale(2_000)
	rounds := load.Scale(100)
	base := build(n)
	if err := base.verify(); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 3 {
		wg.Go(func() {
			for !stop.Load() {
				if err := base.verify(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var writers sync.WaitGroup
	for w := range 3 {
		writers.Go(func() {
			var kept []shared
			for r := range rounds {
				d := base.derive((w*rounds+r)%n, -1-r)
				if r%10 == 0 {
					kept = append(kept, d)
				}
			}
			for j, d := range kept {
				r := j * 10
				i := (w*rounds + r) % n
				if d.list.At(i+1) != -1-r || d.list.Len() != n+2 || d.arr.At(i) != -1-r {
					errs <- fmt.Errorf("writer %d: derived version %d changed", w, r)
					return
				}
				if v, _ := d.m.Get(i); i != 0 && v != -1-r {
					errs <- fmt.Errorf("writer %d: derived map %d changed: m[%d] = %d", w, r, i, v)
					return
				}
			}
		})
	}
	writers.Wait()
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := base.verify(); err != nil {
		t.Fatal(err)
	}
}

// TestRegistryStress keeps the current version of a Map in an atomic
// pointer: writers publish new versions with a compare-and-swap loop while
// readers take snapshots, each of which must be internally consistent (every
// entry carries the version number of the snapshot's generation).
func TestRegistryStress(t *testing.T) {
	keys := load.Scale(200)
	updates := load.Scale(300)
	var cur atomic.Pointer[immutable.Map[int, int]]
	var b immutable.MapBuilder[int, int]
	for k := range keys {
		b.Set(k, 0)
	}
	m0 := b.Build()
	cur.Store(&m0)

	var stop atomic.Bool
	var readers, writers sync.WaitGroup
	errs := make(chan error, 16)
	for range 3 {
		readers.Go(func() {
			for !stop.Load() {
				snap := *cur.Load()
				gen, seen := -1, 0
				for _, v := range snap.All() {
					if gen == -1 {
						gen = v
					}
					if v != gen {
						errs <- fmt.Errorf("snapshot mixes generations %d and %d", gen, v)
						return
					}
					seen++
				}
				if seen != keys {
					errs <- fmt.Errorf("snapshot has %d keys, want %d", seen, keys)
					return
				}
			}
		})
	}
	var published atomic.Int64
	for range 3 {
		writers.Go(func() {
			for range updates {
				for {
					old := cur.Load()
					gen, _ := old.Get(0)
					var nb immutable.MapBuilder[int, int]
					for k := range old.Keys() {
						nb.Set(k, gen+1)
					}
					next := nb.Build()
					if cur.CompareAndSwap(old, &next) {
						published.Add(1)
						break
					}
				}
			}
		})
	}
	writers.Wait()
	stop.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if gen, _ := cur.Load().Get(keys - 1); gen != int(published.Load()) || gen != 3*updates {
		t.Fatalf("final generation %d, published %d, want %d", gen, published.Load(), 3*updates)
	}
}
