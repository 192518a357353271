package atomicx_test

import (
	"maps"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/dext-go/dext/atomicx"
	"github.com/dext-go/dext/nullable"
)

// Sequential behaviour against a plain model: every cell must behave like an
// ordinary variable of its type when used by one goroutine.

func drawNullable(t *rapid.T, label string) nullable.Value[int] {
	if rapid.IntRange(0, 3).Draw(t, label+" null?") == 0 {
		return nullable.Null[int]()
	}
	return nullable.Of(rapid.IntRange(-2, 2).Draw(t, label))
}

func TestNullableModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var c atomicx.Nullable[int]
		var model nullable.Value[int] // null, like the zero cell
		rt.Repeat(map[string]func(*rapid.T){
			"Store": func(rt *rapid.T) {
				v := drawNullable(rt, "v")
				c.Store(v)
				model = v
			},
			"Swap": func(rt *rapid.T) {
				v := drawNullable(rt, "v")
				if got := c.Swap(v); got != model {
					rt.Fatalf("Swap(%v) = %v, want %v", v, got, model)
				}
				model = v
			},
			"CompareAndSwap": func(rt *rapid.T) {
				old, v := drawNullable(rt, "old"), drawNullable(rt, "new")
				want := nullable.Equal(model, old)
				if got := c.CompareAndSwap(old, v); got != want {
					rt.Fatalf("CompareAndSwap(%v, %v) on %v = %v, want %v", old, v, model, got, want)
				}
				if want {
					model = v
				}
			},
			"Update": func(rt *rapid.T) {
				d := rapid.IntRange(-1, 1).Draw(rt, "d")
				f := func(v nullable.Value[int]) nullable.Value[int] {
					x, ok := v.Get()
					switch {
					case !ok:
						return nullable.Of(d)
					case x+d == 0:
						return nullable.Null[int]()
					}
					return nullable.Of(x + d)
				}
				want := f(model)
				if got := c.Update(f); got != want {
					rt.Fatalf("Update on %v = %v, want %v", model, got, want)
				}
				model = want
			},
			"": func(rt *rapid.T) {
				if got := c.Load(); got != model {
					rt.Fatalf("Load() = %v, want %v", got, model)
				}
			},
		})
	})
}

func TestValueModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var c atomicx.Value[string]
		model := "" // the zero cell holds the zero string
		draw := rapid.SampledFrom([]string{"", "a", "b", "c"})
		rt.Repeat(map[string]func(*rapid.T){
			"Store": func(rt *rapid.T) {
				v := draw.Draw(rt, "v")
				c.Store(v)
				model = v
			},
			"Swap": func(rt *rapid.T) {
				v := draw.Draw(rt, "v")
				if got := c.Swap(v); got != model {
					rt.Fatalf("Swap(%q) = %q, want %q", v, got, model)
				}
				model = v
			},
			"CompareAndSwap": func(rt *rapid.T) {
				old, v := draw.Draw(rt, "old"), draw.Draw(rt, "new")
				want := model == old
				if got := c.CompareAndSwap(old, v); got != want {
					rt.Fatalf("CompareAndSwap(%q, %q) on %q = %v, want %v", old, v, model, got, want)
				}
				if want {
					model = v
				}
			},
			"Update": func(rt *rapid.T) {
				suffix := draw.Draw(rt, "suffix")
				f := func(s string) string {
					if len(s) > 3 {
						return suffix
					}
					return s + suffix
				}
				want := f(model)
				if got := c.Update(f); got != want {
					rt.Fatalf("Update on %q = %q, want %q", model, got, want)
				}
				model = want
			},
			"": func(rt *rapid.T) {
				if got := c.Load(); got != model {
					rt.Fatalf("Load() = %q, want %q", got, model)
				}
			},
		})
	})
}

// TestRefModel uses slices as snapshots (not comparable, never modified
// after publication) and checks that every snapshot a reader got stays as
// it was whatever is published afterwards.
func TestRefModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var c atomicx.Ref[[]int]
		var model []int
		type kept struct{ got, want []int }
		var snapshots []kept
		rt.Repeat(map[string]func(*rapid.T){
			"Store": func(rt *rapid.T) {
				v := rapid.SliceOfN(rapid.IntRange(0, 9), 0, 3).Draw(rt, "v")
				c.Store(v)
				model = v
			},
			"Swap": func(rt *rapid.T) {
				v := rapid.SliceOfN(rapid.IntRange(0, 9), 0, 3).Draw(rt, "v")
				if got := c.Swap(v); !equalInts(got, model) {
					rt.Fatalf("Swap = %v, want %v", got, model)
				}
				model = v
			},
			"Update": func(rt *rapid.T) {
				x := rapid.IntRange(0, 9).Draw(rt, "x")
				f := func(s []int) []int { return append(append([]int(nil), s...), x) }
				want := f(model)
				if got := c.Update(f); !equalInts(got, want) {
					rt.Fatalf("Update = %v, want %v", got, want)
				}
				model = want
			},
			"TryUpdate": func(rt *rapid.T) {
				limit := rapid.IntRange(0, 4).Draw(rt, "limit")
				f := func(s []int) ([]int, bool) {
					if len(s) >= limit {
						return nil, false
					}
					return append(append([]int(nil), s...), limit), true
				}
				want, wantOK := f(model)
				if !wantOK {
					want = model
				}
				got, ok := c.TryUpdate(f)
				if ok != wantOK || !equalInts(got, want) {
					rt.Fatalf("TryUpdate on %v = %v, %v, want %v, %v", model, got, ok, want, wantOK)
				}
				model = want
			},
			"Load": func(rt *rapid.T) {
				s := c.Load()
				snapshots = append(snapshots, kept{s, append([]int(nil), model...)})
			},
			"": func(rt *rapid.T) {
				if got := c.Load(); !equalInts(got, model) {
					rt.Fatalf("Load() = %v, want %v", got, model)
				}
				for _, k := range snapshots {
					if !equalInts(k.got, k.want) {
						rt.Fatalf("an earlier snapshot changed: %v, was %v", k.got, k.want)
					}
				}
			},
		})
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCounterModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var c atomicx.Counter
		var model int64
		rt.Repeat(map[string]func(*rapid.T){
			"Add": func(rt *rapid.T) {
				d := rapid.Int64Range(-1000, 1000).Draw(rt, "d")
				c.Add(d)
				model += d
			},
			"Inc":   func(*rapid.T) { c.Inc(); model++ },
			"Dec":   func(*rapid.T) { c.Dec(); model-- },
			"Reset": func(*rapid.T) { c.Reset(); model = 0 },
			"": func(rt *rapid.T) {
				if got := c.Value(); got != model {
					rt.Fatalf("Value() = %d, want %d", got, model)
				}
			},
		})
	})
}

func TestZeroValues(t *testing.T) {
	var n atomicx.Nullable[int]
	if !n.Load().IsNull() {
		t.Errorf("zero Nullable: Load() = %v, want null", n.Load())
	}
	if !n.CompareAndSwap(nullable.Null[int](), nullable.Of(0)) || n.Load() != nullable.Of(0) {
		t.Errorf("zero Nullable: CompareAndSwap(null, 0) did not store 0: %v", n.Load())
	}
	var v atomicx.Value[float64]
	if v.Load() != 0 {
		t.Errorf("zero Value: Load() = %v, want 0", v.Load())
	}
	// Store and Swap do not compare, so uncomparable dynamic types are fine.
	var a atomicx.Value[any]
	a.Store([]int{1})
	if old := a.Swap(map[string]int{}); len(old.([]int)) != 1 {
		t.Errorf("Value[any]: Swap returned %v, want [1]", old)
	}
	var r atomicx.Ref[map[string]int]
	if r.Load() != nil {
		t.Errorf("zero Ref: Load() = %v, want nil", r.Load())
	}
	var c atomicx.Counter
	c.Reset()
	if c.Value() != 0 {
		t.Errorf("zero Counter: Value() = %d, want 0", c.Value())
	}
}

func TestLoadsDoNotAllocate(t *testing.T) {
	var n atomicx.Nullable[[3]int]
	n.Store(nullable.Of([3]int{1, 2, 3}))
	var v atomicx.Value[string]
	v.Store("x")
	var r atomicx.Ref[[]int]
	r.Store([]int{1})
	var c atomicx.Counter
	c.Inc()
	tests := []struct {
		name string
		f    func()
	}{
		{"Nullable.Load", func() { _ = n.Load() }},
		{"Nullable.Store(null)", func() { n.Store(nullable.Null[[3]int]()) }},
		{"Nullable.CompareAndSwap(equal values)", func() { n.CompareAndSwap(n.Load(), n.Load()) }},
		{"Nullable.CompareAndSwap(miss)", func() { n.CompareAndSwap(nullable.Of([3]int{9}), nullable.Of([3]int{})) }},
		{"Value.Load", func() { _ = v.Load() }},
		{"Value.CompareAndSwap(miss)", func() { v.CompareAndSwap("no", "yes") }},
		{"Value.Update(no change)", func() { v.Update(func(s string) string { return s }) }},
		{"Ref.Load", func() { _ = r.Load() }},
		{"Counter.Inc", func() { c.Inc() }},
		{"Counter.Value", func() { _ = c.Value() }},
	}
	for _, tt := range tests {
		if a := testing.AllocsPerRun(100, tt.f); a != 0 {
			t.Errorf("%s allocates %.1f times per call, want 0", tt.name, a)
		}
	}
}

// Concurrency: every cell keeps its invariants with many goroutines at once
// (run under -race). The linearizability check is in
// linearizability_test.go; heavy versions are in stress/atomicx.

const (
	concGoroutines = 8
	concOps        = 500
)

// TestNullableConcurrentSafe increments a Nullable through Update and
// through CompareAndSwap loops from many goroutines while others read:
// every increment must land, and readers must see values that only grow.
func TestNullableConcurrentSafe(t *testing.T) {
	var c atomicx.Nullable[int]
	inc := func(v nullable.Value[int]) nullable.Value[int] { return nullable.Of(v.Or(0) + 1) }
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	for g := range concGoroutines {
		writers.Go(func() {
			for range concOps {
				if g%2 == 0 {
					c.Update(inc)
					continue
				}
				for {
					old := c.Load()
					if c.CompareAndSwap(old, inc(old)) {
						break
					}
				}
			}
		})
	}
	for range 2 {
		readers.Go(func() {
			last := -1
			for {
				select {
				case <-stop:
					return
				default:
				}
				x := c.Load().Or(-1)
				if x < last {
					t.Errorf("Load went backwards: %d after %d", x, last)
					return
				}
				last = x
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	if got, want := c.Load(), nullable.Of(concGoroutines*concOps); got != want {
		t.Fatalf("after %d increments: %v, want %v", concGoroutines*concOps, got, want)
	}
	if old := c.Swap(nullable.Null[int]()); old != nullable.Of(concGoroutines*concOps) || !c.Load().IsNull() {
		t.Fatalf("Swap(null) = %v, then Load() = %v", old, c.Load())
	}
}

// TestValueConcurrentSafe has goroutines claim distinct tickets with
// CompareAndSwap and Update: no ticket may be handed out twice.
func TestValueConcurrentSafe(t *testing.T) {
	var c atomicx.Value[int64]
	var mu sync.Mutex
	seen := make(map[int64]bool)
	var wg sync.WaitGroup
	for g := range concGoroutines {
		wg.Go(func() {
			mine := make([]int64, 0, concOps)
			for range concOps {
				if g%2 == 0 {
					mine = append(mine, c.Update(func(x int64) int64 { return x + 1 }))
					continue
				}
				for {
					old := c.Load()
					if c.CompareAndSwap(old, old+1) {
						mine = append(mine, old+1)
						break
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, x := range mine {
				if seen[x] {
					t.Errorf("ticket %d handed out twice", x)
				}
				seen[x] = true
			}
		})
	}
	wg.Wait()
	if got := c.Load(); got != concGoroutines*concOps || len(seen) != concGoroutines*concOps {
		t.Fatalf("final value %d with %d distinct tickets, want %d", got, len(seen), concGoroutines*concOps)
	}
}

// TestRefConcurrentSafe uses a Ref to a copy-on-write map as a registry:
// writers register keys, readers iterate whole snapshots and check that each
// writer's keys appear as a prefix (nothing lost, nothing half-made).
func TestRefConcurrentSafe(t *testing.T) {
	var reg atomicx.Ref[map[[2]int]int]
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	const perWriter = 200
	for w := range concGoroutines {
		writers.Go(func() {
			for i := range perWriter {
				reg.Update(func(m map[[2]int]int) map[[2]int]int {
					next := make(map[[2]int]int, len(m)+1)
					maps.Copy(next, m)
					next[[2]int{w, i}] = i
					return next
				})
			}
		})
	}
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap := reg.Load()
				count := make([]int, concGoroutines)
				for k, v := range snap {
					if k[1] != v {
						t.Errorf("entry %v = %d", k, v)
						return
					}
					count[k[0]]++
				}
				for w, n := range count {
					for i := range n {
						if _, ok := snap[[2]int{w, i}]; !ok {
							t.Errorf("writer %d: %d keys but key %d missing", w, n, i)
							return
						}
					}
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	if got := len(reg.Load()); got != concGoroutines*perWriter {
		t.Fatalf("registry holds %d keys, want %d", got, concGoroutines*perWriter)
	}
}

// TestCounterConcurrentSafe adds from many goroutines, including the very
// first use racing to allocate the stripes: the total must be exact.
func TestCounterConcurrentSafe(t *testing.T) {
	for range 20 {
		var c atomicx.Counter
		var start, wg sync.WaitGroup
		start.Add(1)
		for g := range concGoroutines {
			wg.Go(func() {
				start.Wait()
				for i := range concOps {
					switch i % 3 {
					case 0:
						c.Inc()
					case 1:
						c.Add(int64(g))
					default:
						c.Dec()
					}
					_ = c.Value()
				}
			})
		}
		start.Done()
		wg.Wait()
		want := int64(0)
		for g := range concGoroutines {
			for i := range concOps {
				want += []int64{1, int64(g), -1}[i%3]
			}
		}
		if got := c.Value(); got != want {
			t.Fatalf("Value() = %d, want %d", got, want)
		}
	}
}
