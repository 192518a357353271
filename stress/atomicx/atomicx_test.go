// Package atomicx_test holds the heavy concurrency suites for module
// atomicx. Sizes grow with STRESS (see stress/internal/load).
package atomicx_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/atomicx"
	"github.com/dext-go/dext/immutable"
	"github.com/dext-go/dext/nullable"
	"github.com/dext-go/dext/stress/internal/load"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var errTransient = errors.New("transient")

// raceStart runs n goroutines that start f at the same moment (they spin
// until all are ready) and waits for them.
func raceStart(n int, f func(g int)) {
	var ready atomic.Int64
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			ready.Add(1)
			for ready.Load() < int64(n) {
				runtime.Gosched()
			}
			f(g)
		})
	}
	wg.Wait()
}

// TestLazyConstructsOnce races 64 goroutines on a fresh Lazy, many times
// over. Each round's init fails a few times (with an error, or a panic)
// before it succeeds; every goroutine keeps calling Get until it has a
// value. Exactly one construction may succeed, every goroutine must get its
// value, and no attempt may overlap another.
func TestLazyConstructsOnce(t *testing.T) {
	const goroutines = 64
	rounds := load.Scale(100)
	for round := range rounds {
		var l atomicx.Lazy[*int]
		var attempts, built, running atomic.Int64
		failures := int64(round % 4)
		init := func() (*int, error) {
			if running.Add(1) != 1 {
				t.Error("two initialisations ran at the same time")
			}
			defer running.Add(-1)
			n := attempts.Add(1)
			runtime.Gosched() // let the others pile up behind this attempt
			switch {
			case n <= failures && n%2 == 0:
				panic(fmt.Sprintf("attempt %d", n))
			case n <= failures:
				return nil, errTransient
			}
			built.Add(1)
			v := int(n)
			return &v, nil
		}
		got := make([]*int, goroutines)
		raceStart(goroutines, func(g int) {
			for {
				v, err := getRecovering(&l, init)
				if err == nil {
					got[g] = v
					return
				}
				if !errors.Is(err, errTransient) && !errors.Is(err, atomicx.ErrInitPanicked) {
					t.Errorf("Get: unexpected error %v", err)
					return
				}
			}
		})
		if n := built.Load(); n != 1 {
			t.Fatalf("round %d: %d constructions, want 1", round, n)
		}
		if n := attempts.Load(); n != failures+1 {
			t.Fatalf("round %d: %d attempts, want %d", round, n, failures+1)
		}
		for g, p := range got {
			if p == nil || p != got[0] {
				t.Fatalf("round %d: goroutine %d got %p, goroutine 0 got %p", round, g, p, got[0])
			}
		}
	}
}

// getRecovering calls l.Get and turns a panic of init into ErrInitPanicked,
// as the caller that ran the panicking init sees it.
func getRecovering[T any](l *atomicx.Lazy[T], init func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered %v: %w", r, atomicx.ErrInitPanicked)
		}
	}()
	return l.Get(init)
}

// TestRefImmutableMapRegistry is a registry under load: writers register
// and deregister services in a Ref[immutable.Map] while readers iterate
// whole snapshots. Each writer registers its keys in order and deregisters
// them in the same order, so every consistent snapshot holds, per writer, a
// contiguous run of keys; readers also check that a snapshot they keep does
// not change while writers carry on.
func TestRefImmutableMapRegistry(t *testing.T) {
	writers, readers := 4, 4
	keys := load.Scale(300)
	var reg atomicx.Ref[immutable.Map[string, int]]
	var writing sync.WaitGroup
	var done atomic.Bool
	var reads atomic.Int64

	key := func(w, i int) string { return fmt.Sprintf("svc-%d-%d", w, i) }
	check := func(m immutable.Map[string, int]) error {
		low := make([]int, writers)
		high := make([]int, writers)
		for w := range writers {
			low[w], high[w] = keys, -1
		}
		n := 0
		for k, v := range m.All() {
			var w, i int
			if _, err := fmt.Sscanf(k, "svc-%d-%d", &w, &i); err != nil || v != i || w < 0 || w >= writers {
				return fmt.Errorf("bad entry %q = %d", k, v)
			}
			low[w], high[w] = min(low[w], i), max(high[w], i)
			n++
		}
		present := 0
		for w := range writers {
			if high[w] < 0 {
				continue
			}
			for i := low[w]; i <= high[w]; i++ {
				if _, ok := m.Get(key(w, i)); !ok {
					return fmt.Errorf("writer %d: keys %d..%d present but %d missing", w, low[w], high[w], i)
				}
			}
			present += high[w] - low[w] + 1
		}
		if n != present || m.Len() != n {
			return fmt.Errorf("iterated %d entries, Len %d, contiguous runs hold %d", n, m.Len(), present)
		}
		return nil
	}

	for w := range writers {
		writing.Go(func() {
			oldest := 0 // only this writer removes its keys
			for i := range keys {
				reg.Update(func(m immutable.Map[string, int]) immutable.Map[string, int] {
					return m.Set(key(w, i), i)
				})
				if i%3 == 2 { // deregister the oldest key now and then
					k := key(w, oldest)
					oldest++
					reg.Update(func(m immutable.Map[string, int]) immutable.Map[string, int] {
						return m.Delete(k)
					})
				}
			}
		})
	}
	var reading sync.WaitGroup
	for range readers {
		reading.Go(func() {
			var kept immutable.Map[string, int]
			var keptCopy map[string]int
			for !done.Load() {
				snap := reg.Load()
				if err := check(snap); err != nil {
					t.Error(err)
					return
				}
				reads.Add(1)
				if keptCopy == nil || reads.Load()%50 == 0 {
					kept, keptCopy = snap, snap.ToMap()
					continue
				}
				if len(keptCopy) != kept.Len() {
					t.Errorf("a kept snapshot changed size: %d, was %d", kept.Len(), len(keptCopy))
					return
				}
				for k, v := range keptCopy {
					if got, ok := kept.Get(k); !ok || got != v {
						t.Errorf("a kept snapshot changed: %q = %d, %v, was %d", k, got, ok, v)
						return
					}
				}
			}
		})
	}
	writing.Wait()
	done.Store(true)
	reading.Wait()

	final := reg.Load()
	if err := check(final); err != nil {
		t.Fatal(err)
	}
	deleted := keys / 3 // one deletion per three registrations
	if want := writers * (keys - deleted); final.Len() != want {
		t.Fatalf("final registry holds %d keys, want %d", final.Len(), want)
	}
	if reads.Load() == 0 {
		t.Fatal("readers never read")
	}
}

// TestCellsHammer has many goroutines claim tickets from a Value through
// CompareAndSwap, bump a Nullable through Update and a Counter through Add,
// and checks that nothing is lost or handed out twice.
func TestCellsHammer(t *testing.T) {
	goroutines := 16
	ops := load.Scale(2000)
	var ticket atomicx.Value[int64]
	var hits atomicx.Nullable[int64]
	var count atomicx.Counter
	claimed := make([][]int64, goroutines)
	raceStart(goroutines, func(g int) {
		for range ops {
			for {
				old := ticket.Load()
				if ticket.CompareAndSwap(old, old+1) {
					claimed[g] = append(claimed[g], old+1)
					break
				}
			}
			hits.Update(func(v nullable.Value[int64]) nullable.Value[int64] { return nullable.Of(v.Or(0) + 1) })
			count.Add(2)
			count.Dec()
		}
	})
	total := int64(goroutines * ops)
	seen := make(map[int64]bool, total)
	for _, c := range claimed {
		for _, x := range c {
			if seen[x] {
				t.Fatalf("ticket %d claimed twice", x)
			}
			seen[x] = true
		}
	}
	if ticket.Load() != total || int64(len(seen)) != total {
		t.Fatalf("ticket = %d with %d distinct claims, want %d", ticket.Load(), len(seen), total)
	}
	if got := hits.Load(); got != nullable.Of(total) {
		t.Fatalf("hits = %v, want %d", got, total)
	}
	if got := count.Value(); got != total {
		t.Fatalf("count = %d, want %d", got, total)
	}
}
