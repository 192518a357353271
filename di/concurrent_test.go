package di_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dext-go/dext/di"
)

type Counted struct{ n int32 }
type Nested struct{ c *Counted }

func TestSingletonConcurrentSafe(t *testing.T) {
	var built, nested atomic.Int32
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Counted, error) {
		runtime.Gosched() // widen the window
		return &Counted{n: built.Add(1)}, nil
	}, di.Singleton)
	// A singleton whose factory resolves another one: no container-wide lock.
	di.ProvideFunc(b, func(r di.Resolver) (*Nested, error) {
		nested.Add(1)
		c, err := di.Resolve[*Counted](r)
		return &Nested{c}, err
	}, di.Singleton)
	c := mustBuild(t, b)
	const goroutines, each = 16, 200
	var wg sync.WaitGroup
	got := make([]*Nested, goroutines)
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			s := c.NewScope()
			defer s.Close(context.Background())
			for i := range each {
				var r di.Resolver = c
				if i%2 == 1 {
					r = s
				}
				n, err := di.Resolve[*Nested](r)
				if err != nil {
					errs <- err
					return
				}
				if got[g] != nil && got[g] != n {
					errs <- errors.New("a goroutine saw two instances of a singleton")
					return
				}
				got[g] = n
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if built.Load() != 1 || nested.Load() != 1 {
		t.Errorf("constructed *Counted %d times and *Nested %d times, want once each", built.Load(), nested.Load())
	}
	for _, n := range got {
		if n != got[0] {
			t.Fatal("goroutines saw different singletons")
		}
	}
}

func TestSingletonRetryConcurrentSafe(t *testing.T) {
	var calls, ok atomic.Int32
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Counted, error) {
		if calls.Add(1) <= 5 {
			return nil, errors.New("not yet")
		}
		return &Counted{n: ok.Add(1)}, nil
	}, di.Singleton)
	c := mustBuild(t, b)
	var wg sync.WaitGroup
	var seen sync.Map
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if v, err := di.Resolve[*Counted](c); err == nil {
					seen.Store(v, true)
				}
			}
		})
	}
	wg.Wait()
	n := 0
	seen.Range(func(any, any) bool { n++; return true })
	if ok.Load() != 1 || n != 1 {
		t.Errorf("successful constructions = %d, distinct instances seen = %d; want 1 and 1", ok.Load(), n)
	}
}

func TestScopeConcurrentSafe(t *testing.T) {
	var built atomic.Int32
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Counted, error) {
		runtime.Gosched()
		return &Counted{n: built.Add(1)}, nil
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Nested, error) {
		c, err := di.Resolve[*Counted](r)
		return &Nested{c}, err
	}, di.Scoped)
	c := mustBuild(t, b)
	const scopes, perScope = 16, 4
	var wg sync.WaitGroup
	owners := sync.Map{} // *Counted → scope
	var bad atomic.Int32
	for range scopes {
		wg.Go(func() {
			s := c.NewScope()
			defer s.Close(context.Background())
			var inner sync.WaitGroup
			got := make([]*Nested, perScope)
			for j := range perScope {
				inner.Go(func() {
					n, err := di.Resolve[*Nested](s)
					if err != nil {
						bad.Add(1)
						return
					}
					got[j] = n
				})
			}
			inner.Wait()
			for _, n := range got {
				if n == nil || n != got[0] {
					bad.Add(1)
					return
				}
			}
			if prev, loaded := owners.LoadOrStore(got[0].c, s); loaded && prev != s {
				bad.Add(1)
			}
		})
	}
	wg.Wait()
	if bad.Load() != 0 || built.Load() != scopes {
		t.Errorf("bad=%d, built=%d; want 0 and %d (one per scope)", bad.Load(), built.Load(), scopes)
	}
}

type Res struct {
	closed atomic.Int32
}

func (r *Res) Close() error {
	r.closed.Add(1)
	return nil
}

func TestScopeCloseConcurrentSafe(t *testing.T) {
	var mu sync.Mutex
	var made []*Res
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Res, error) {
		r := &Res{}
		mu.Lock()
		made = append(made, r)
		mu.Unlock()
		return r, nil
	}, di.Transient)
	c := mustBuild(t, b)
	for range 20 {
		s := c.NewScope()
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 50 {
					if _, err := di.Resolve[*Res](s); err != nil {
						if !errors.Is(err, di.ErrScopeClosed) {
							t.Errorf("Resolve during Close: %v", err)
						}
						return
					}
				}
			})
		}
		runtime.Gosched()
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
	}
	mu.Lock()
	defer mu.Unlock()
	for i, r := range made {
		if n := r.closed.Load(); n != 1 {
			t.Fatalf("instance %d closed %d times, want exactly once", i, n)
		}
	}
}

type CycA struct{}
type CycB struct{}

// Two goroutines enter a cycle between factories at opposite ends at the
// same moment: each holds one singleton and waits for the other. The
// container must report a cycle instead of deadlocking.
func TestCrossGoroutineCycleConcurrentSafe(t *testing.T) {
	for _, life := range []di.Lifetime{di.Singleton, di.Scoped} {
		t.Run(life.String(), func(t *testing.T) {
			aStarted, bStarted := make(chan struct{}), make(chan struct{})
			var onceA, onceB sync.Once
			b := di.NewBuilder()
			di.ProvideFunc(b, func(r di.Resolver) (*CycA, error) {
				onceA.Do(func() { close(aStarted) })
				<-bStarted
				_, err := di.Resolve[*CycB](r)
				return &CycA{}, err
			}, life)
			di.ProvideFunc(b, func(r di.Resolver) (*CycB, error) {
				onceB.Do(func() { close(bStarted) })
				<-aStarted
				_, err := di.Resolve[*CycA](r)
				return &CycB{}, err
			}, life)
			c := mustBuild(t, b)
			var r di.Resolver = c
			if life == di.Scoped {
				s := c.NewScope()
				defer s.Close(context.Background())
				r = s
			}
			errs := make(chan error, 2)
			go func() { _, err := di.Resolve[*CycA](r); errs <- err }()
			go func() { _, err := di.Resolve[*CycB](r); errs <- err }()
			timeout := time.After(10 * time.Second)
			cycles := 0
			for range 2 {
				select {
				case err := <-errs:
					if errors.Is(err, di.ErrCycle) {
						cycles++
					} else {
						t.Errorf("Resolve error = %v, want ErrCycle", err)
					}
				case <-timeout:
					t.Fatal("deadlock: resolves did not return")
				}
			}
			if cycles != 2 {
				t.Errorf("%d of 2 resolves reported ErrCycle", cycles)
			}
		})
	}
}

type Tagged struct {
	scope int
	res   *Res
}

// Scopes closed while other goroutines still resolve from them, and new
// scopes that reuse their storage at once: every instance a goroutine gets
// belongs to the scope it asked, and everything created is disposed once.
func TestScopeReuseConcurrentSafe(t *testing.T) {
	var mu sync.Mutex
	var made []*Res
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Res, error) {
		r := &Res{}
		mu.Lock()
		made = append(made, r)
		mu.Unlock()
		return r, nil
	}, di.Scoped)
	c := mustBuild(t, b)
	for round := range 100 {
		s := c.NewScope()
		var wg sync.WaitGroup
		got := make([]*Res, 3)
		for g := range 3 {
			wg.Go(func() {
				for range 20 {
					r, err := di.Resolve[*Res](s)
					if err != nil {
						if !errors.Is(err, di.ErrScopeClosed) {
							t.Errorf("round %d: %v", round, err)
						}
						return
					}
					if got[g] != nil && got[g] != r {
						t.Errorf("round %d: one scope gave two instances", round)
						return
					}
					got[g] = r
				}
			})
		}
		runtime.Gosched()
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		// A new scope, likely on the storage s just released.
		s2 := c.NewScope()
		r2 := di.MustResolve[*Res](s2)
		wg.Wait()
		for _, r := range got {
			if r == r2 {
				t.Fatalf("round %d: a new scope returned the closed scope's instance", round)
			}
		}
		if err := s2.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i, r := range made {
		if n := r.closed.Load(); n != 1 {
			t.Fatalf("instance %d closed %d times, want exactly once", i, n)
		}
	}
}

// Ordered counts how many times it is closed.
type Ordered struct {
	times atomic.Int32
}

func (o *Ordered) Close() error {
	o.times.Add(1)
	return nil
}

type (
	OrderedInner struct{ Ordered }
	OrderedOuter struct {
		Ordered
		in *OrderedInner
	}
)

// Close racing with the constructions of two disposable scoped services,
// one needing the other: each instance is disposed exactly once — by Close
// if it was published before Close began, by its construction otherwise.
func TestScopeCloseDuringConstructionConcurrentSafe(t *testing.T) {
	var mu sync.Mutex
	var inners []*OrderedInner
	var outers []*OrderedOuter
	// In even rounds the outer factory, once it holds the inner instance,
	// waits for Close to begin: Close must then dispose the inner one while
	// a resolve is in progress, and the outer one is disposed by its
	// construction.
	var paused chan struct{} // closed by the outer factory once it holds inner
	var resume chan struct{} // closed by the test once Close began
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*OrderedInner, error) {
		runtime.Gosched()
		in := &OrderedInner{}
		mu.Lock()
		inners = append(inners, in)
		mu.Unlock()
		return in, nil
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*OrderedOuter, error) {
		in, err := di.Resolve[*OrderedInner](r)
		if err != nil {
			return nil, err
		}
		if paused != nil {
			close(paused)
			<-resume
		}
		runtime.Gosched()
		out := &OrderedOuter{in: in}
		mu.Lock()
		outers = append(outers, out)
		mu.Unlock()
		return out, nil
	}, di.Scoped)
	c := mustBuild(t, b)
	for round := range 300 {
		s := c.NewScope()
		if round%2 == 0 {
			paused, resume = make(chan struct{}), make(chan struct{})
			done := make(chan error)
			go func() {
				_, err := di.Resolve[*OrderedOuter](s)
				done <- err
			}()
			<-paused
			go func() {
				// Resume the construction once Close has begun.
				for {
					if _, err := di.Resolve[*OrderedInner](s); errors.Is(err, di.ErrScopeClosed) {
						break
					}
					runtime.Gosched()
				}
				close(resume)
			}()
			if err := s.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := <-done; !errors.Is(err, di.ErrScopeClosed) {
				t.Fatalf("round %d: resolve ended by Close: error = %v, want ErrScopeClosed", round, err)
			}
			paused, resume = nil, nil
			continue
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if _, err := di.Resolve[*OrderedOuter](s); err != nil && !errors.Is(err, di.ErrScopeClosed) {
					t.Errorf("round %d: %v", round, err)
				}
			})
		}
		runtime.Gosched()
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
	}
	mu.Lock()
	defer mu.Unlock()
	for i, in := range inners {
		if n := in.times.Load(); n != 1 {
			t.Fatalf("inner %d closed %d times, want exactly once", i, n)
		}
	}
	for i, out := range outers {
		if n := out.times.Load(); n != 1 {
			t.Fatalf("outer %d closed %d times, want exactly once", i, n)
		}
	}
	if len(outers) == 0 {
		t.Log("no outer instance was built before Close in any round")
	}
}
