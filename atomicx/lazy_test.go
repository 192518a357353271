package atomicx_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"pgregory.net/rapid"

	"github.com/dext-go/dext/atomicx"
)

var errBoom = errors.New("boom")

func TestLazyZeroValue(t *testing.T) {
	var l atomicx.Lazy[int]
	if v, ok := l.Load(); ok || v != 0 {
		t.Fatalf("zero Lazy: Load() = %d, %v, want 0, false", v, ok)
	}
}

func TestLazyInitialisesOnce(t *testing.T) {
	var l atomicx.Lazy[string]
	calls := 0
	init := func() (string, error) { calls++; return fmt.Sprint("v", calls), nil }
	for range 3 {
		v, err := l.Get(init)
		if err != nil || v != "v1" {
			t.Fatalf("Get = %q, %v, want %q, nil", v, err, "v1")
		}
	}
	if calls != 1 {
		t.Fatalf("init called %d times, want 1", calls)
	}
	if v, ok := l.Load(); !ok || v != "v1" {
		t.Fatalf("Load() = %q, %v, want %q, true", v, ok, "v1")
	}
}

func TestLazyRetriesAfterError(t *testing.T) {
	var l atomicx.Lazy[int]
	calls := 0
	init := func() (int, error) {
		calls++
		if calls < 3 {
			return calls, errBoom
		}
		return 42, nil
	}
	for i := 1; i < 3; i++ {
		v, err := l.Get(init)
		if !errors.Is(err, errBoom) || v != 0 {
			t.Fatalf("attempt %d: Get = %d, %v, want 0, %v", i, v, err, errBoom)
		}
		if _, ok := l.Load(); ok {
			t.Fatalf("attempt %d: Load reports a value after a failed attempt", i)
		}
	}
	if v, err := l.Get(init); err != nil || v != 42 {
		t.Fatalf("Get = %d, %v, want 42, nil", v, err)
	}
	if calls != 3 {
		t.Fatalf("init called %d times, want 3", calls)
	}
}

// getAsync calls l.Get(init) in a new goroutine and returns a channel that
// receives its outcome.
func getAsync[T any](l *atomicx.Lazy[T], init func() (T, error)) <-chan outcome[T] {
	ch := make(chan outcome[T], 1)
	go func() {
		var o outcome[T]
		defer func() { ch <- o }()
		defer func() { o.panic = recover() }()
		o.v, o.err = l.Get(init)
	}()
	return ch
}

type outcome[T any] struct {
	v     T
	err   error
	panic any
}

// TestLazyWaitersShareOutcome checks that goroutines arriving while an
// attempt runs wait for it and get its outcome, error included, and that the
// call after a failed attempt tries again.
func TestLazyWaitersShareOutcome(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l atomicx.Lazy[int]
		var calls atomic.Int32
		release := make(chan error)
		init := func() (int, error) {
			calls.Add(1)
			if err := <-release; err != nil {
				return 0, err
			}
			return 7, nil
		}

		first := getAsync(&l, init)
		synctest.Wait() // first is inside init, blocked on release
		waiters := []<-chan outcome[int]{getAsync(&l, init), getAsync(&l, init), getAsync(&l, init)}
		synctest.Wait() // the waiters are blocked on the attempt
		if n := calls.Load(); n != 1 {
			t.Fatalf("init running %d times, want 1", n)
		}
		release <- errBoom
		for i, ch := range append(waiters, first) {
			if o := <-ch; !errors.Is(o.err, errBoom) || o.panic != nil {
				t.Errorf("caller %d: got %+v, want error %v", i, o, errBoom)
			}
		}

		// The next round retries, and its waiters share its value.
		second := getAsync(&l, init)
		synctest.Wait()
		waiters = []<-chan outcome[int]{getAsync(&l, init), getAsync(&l, init)}
		synctest.Wait()
		release <- nil
		for i, ch := range append(waiters, second) {
			if o := <-ch; o.err != nil || o.v != 7 {
				t.Errorf("caller %d: got %+v, want 7", i, o)
			}
		}
		if n := calls.Load(); n != 2 {
			t.Fatalf("init called %d times, want 2", n)
		}
	})
}

func TestLazyPanicPropagatesAndRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l atomicx.Lazy[int]
		release := make(chan struct{})
		first := getAsync(&l, func() (int, error) {
			<-release
			panic("kaboom")
		})
		synctest.Wait()
		waiter := getAsync(&l, func() (int, error) { t.Error("waiter ran init"); return 0, nil })
		synctest.Wait()
		close(release)

		if o := <-first; o.panic != "kaboom" || o.err != nil {
			t.Fatalf("initialising caller: got %+v, want panic %q", o, "kaboom")
		}
		o := <-waiter
		var pe *atomicx.PanicError
		if !errors.Is(o.err, atomicx.ErrInitPanicked) || !errors.As(o.err, &pe) || pe.Value != "kaboom" {
			t.Fatalf("waiter: got %+v, want a *PanicError holding %q", o, "kaboom")
		}
		if o.err.Error() != "atomicx: lazy initialisation panicked: kaboom" {
			t.Errorf("PanicError.Error() = %q", o.err.Error())
		}
		if _, ok := l.Load(); ok {
			t.Fatal("Load reports a value after a panicking attempt")
		}
		if v, err := l.Get(func() (int, error) { return 9, nil }); err != nil || v != 9 {
			t.Fatalf("retry after panic: Get = %d, %v, want 9, nil", v, err)
		}
	})
}

func TestLazyGoexitDoesNotDeadlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l atomicx.Lazy[int]
		release := make(chan struct{})
		exited := make(chan struct{})
		go func() {
			defer close(exited)
			_, _ = l.Get(func() (int, error) {
				<-release
				runtime.Goexit()
				return 0, nil
			})
			t.Error("Get returned after runtime.Goexit")
		}()
		synctest.Wait()
		waiter := getAsync(&l, func() (int, error) { return 0, nil })
		synctest.Wait()
		close(release)
		<-exited
		o := <-waiter
		var pe *atomicx.PanicError
		if !errors.As(o.err, &pe) || pe.Value != nil {
			t.Fatalf("waiter: got %+v, want a *PanicError with a nil Value", o)
		}
		if o.err.Error() != "atomicx: lazy initialisation exited without returning (runtime.Goexit)" {
			t.Errorf("PanicError.Error() = %q", o.err.Error())
		}
		if v, err := l.Get(func() (int, error) { return 3, nil }); err != nil || v != 3 {
			t.Fatalf("retry after Goexit: Get = %d, %v, want 3, nil", v, err)
		}
	})
}

func TestLazyGetDoesNotAllocateAfterInit(t *testing.T) {
	var l atomicx.Lazy[[4]int]
	init := func() ([4]int, error) { return [4]int{1, 2, 3, 4}, nil }
	if _, err := l.Get(init); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		v, err := l.Get(init)
		if err != nil || v[3] != 4 {
			t.Fatalf("Get = %v, %v", v, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Get after init allocates %.1f times per call, want 0", allocs)
	}
}

// TestLazyConcurrentSafe races 64 goroutines on fresh Lazy values, some of
// whose first attempts fail, and checks that exactly one successful
// initialisation happens and that everyone sees its value.
func TestLazyConcurrentSafe(t *testing.T) {
	const goroutines = 64
	rounds := 50
	if testing.Short() {
		rounds = 10
	}
	for round := range rounds {
		var l atomicx.Lazy[*int]
		var calls, successes atomic.Int32
		failFirst := int32(round % 3) // rounds fail 0, 1 or 2 attempts before succeeding
		init := func() (*int, error) {
			n := calls.Add(1)
			if n <= failFirst {
				return nil, errBoom
			}
			successes.Add(1)
			v := int(n)
			return &v, nil
		}
		var start, wg sync.WaitGroup
		start.Add(1)
		got := make([]*int, goroutines)
		for i := range goroutines {
			wg.Go(func() {
				start.Wait()
				for {
					v, err := l.Get(init)
					if err == nil {
						got[i] = v
						return
					}
					if !errors.Is(err, errBoom) {
						t.Errorf("Get: unexpected error %v", err)
						return
					}
				}
			})
		}
		start.Done()
		wg.Wait()
		if n := successes.Load(); n != 1 {
			t.Fatalf("round %d: %d successful initialisations, want 1", round, n)
		}
		if n := calls.Load(); n != failFirst+1 {
			t.Fatalf("round %d: init called %d times, want %d", round, n, failFirst+1)
		}
		for i, p := range got {
			if p != got[0] {
				t.Fatalf("round %d: goroutine %d saw %p, goroutine 0 saw %p", round, i, p, got[0])
			}
		}
	}
}

// TestLazyModel runs random sequences of Get (with a succeeding, failing or
// panicking init) and Load against a plain model: an optional value.
func TestLazyModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var l atomicx.Lazy[int]
		var held *int // the model
		steps := rapid.IntRange(1, 40).Draw(rt, "steps")
		for range steps {
			switch op := rapid.SampledFrom([]string{"ok", "err", "panic", "load"}).Draw(rt, "op"); op {
			case "load":
				v, ok := l.Load()
				if ok != (held != nil) || (ok && v != *held) {
					rt.Fatalf("Load() = %d, %v, model %v", v, ok, held)
				}
			default:
				x := rapid.Int().Draw(rt, "x")
				called := false
				o := getSync(&l, func() (int, error) {
					called = true
					switch op {
					case "err":
						return x, errBoom
					case "panic":
						panic(x)
					}
					return x, nil
				})
				if held != nil {
					if called || o.err != nil || o.panic != nil || o.v != *held {
						rt.Fatalf("Get with a held value: called=%v outcome %+v, want %d", called, o, *held)
					}
					continue
				}
				if !called {
					rt.Fatalf("Get with nothing held did not call init")
				}
				switch op {
				case "ok":
					if o.err != nil || o.v != x {
						rt.Fatalf("Get = %+v, want %d", o, x)
					}
					held = &x
				case "err":
					if !errors.Is(o.err, errBoom) || o.v != 0 {
						rt.Fatalf("Get = %+v, want error %v", o, errBoom)
					}
				case "panic":
					if o.panic != x {
						rt.Fatalf("Get = %+v, want panic %d", o, x)
					}
				}
			}
		}
	})
}

func getSync[T any](l *atomicx.Lazy[T], init func() (T, error)) (o outcome[T]) {
	defer func() { o.panic = recover() }()
	o.v, o.err = l.Get(init)
	return o
}
