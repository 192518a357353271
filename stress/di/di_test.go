// Package di_test holds the heavy suites of package di: singletons under
// heavy contention, many concurrent scopes, and heap use across scope churn.
package di_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/di"
	"github.com/dext-go/dext/stress/internal/load"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type (
	S0 struct{ n int32 }
	S1 struct{ s0 *S0 }
	S2 struct {
		s0 *S0
		s1 *S1
	}
	S3 struct{ s2 *S2 }
	S4 struct{ n int32 }
	S5 struct {
		s3 *S3
		s4 *S4
	}
	S6 struct{ s5 *S5 }
	S7 struct{ s6 *S6 }
)

// 64 goroutines × 10,000 resolves (×10 per STRESS step) over eight
// singletons — constructors and factories, nested — each constructed
// exactly once, every goroutine seeing the same instances.
func TestSingletonsUnderContention(t *testing.T) {
	const goroutines = 64
	resolves := load.Scale(10_000)
	var counts [8]atomic.Int32
	slow := func() { runtime.Gosched() }
	b := di.NewBuilder()
	di.Provide(b, func() *S0 { slow(); return &S0{n: counts[0].Add(1)} }, di.Singleton)
	di.Provide(b, func(s0 *S0) *S1 { counts[1].Add(1); slow(); return &S1{s0} }, di.Singleton)
	di.Provide(b, func(s0 *S0, s1 *S1) (*S2, error) { counts[2].Add(1); return &S2{s0, s1}, nil }, di.Singleton)
	di.ProvideFunc(b, func(r di.Resolver) (*S3, error) {
		counts[3].Add(1)
		slow()
		s2, err := di.Resolve[*S2](r)
		return &S3{s2}, err
	}, di.Singleton)
	di.ProvideFunc(b, func(di.Resolver) (*S4, error) { return &S4{n: counts[4].Add(1)}, nil }, di.Singleton)
	di.Provide(b, func(s3 *S3, s4 *S4) *S5 { counts[5].Add(1); return &S5{s3, s4} }, di.Singleton)
	di.ProvideFunc(b, func(r di.Resolver) (*S6, error) {
		counts[6].Add(1)
		s5, err := di.Resolve[*S5](r)
		return &S6{s5}, err
	}, di.Singleton)
	di.Provide(b, func(s6 *S6) *S7 { counts[7].Add(1); return &S7{s6} }, di.Singleton)
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())

	start := make(chan struct{})
	var wg sync.WaitGroup
	firstErr := make(chan error, goroutines)
	seen := make([]*S7, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			s := c.NewScope()
			defer s.Close(context.Background())
			<-start
			for i := range resolves {
				var r di.Resolver = c
				if i%2 == 1 {
					r = s
				}
				var err error
				switch (i + g) % 4 {
				case 0:
					var v *S7
					if v, err = di.Resolve[*S7](r); err == nil {
						if seen[g] != nil && seen[g] != v {
							err = errors.New("two instances of *S7")
						}
						seen[g] = v
					}
				case 1:
					_, err = di.Resolve[*S0](r)
				case 2:
					_, err = di.Resolve[*S4](r)
				default:
					_, err = di.Resolve[*S3](r)
				}
				if err != nil {
					firstErr <- fmt.Errorf("goroutine %d resolve %d: %w", g, i, err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(firstErr)
	for err := range firstErr {
		t.Fatal(err)
	}
	for i := range counts {
		if n := counts[i].Load(); n != 1 {
			t.Errorf("singleton S%d constructed %d times, want 1", i, n)
		}
	}
	want := seen[0]
	for g, v := range seen {
		if v == nil || v != want {
			t.Fatalf("goroutine %d saw %p, goroutine 0 saw %p", g, v, want)
		}
	}
	if want.s6.s5.s3.s2.s0 != want.s6.s5.s3.s2.s1.s0 {
		t.Error("the singleton graph holds two *S0")
	}
	t.Logf("%d goroutines × %d resolves: each of 8 singletons constructed once", goroutines, resolves)
}

type (
	Request struct{ id int64 }
	Repo    struct{ req *Request }
	Service struct {
		req  *Request
		repo *Repo
	}
	Tx struct {
		req    *Request
		closed atomic.Bool
	}
)

func (t *Tx) Close() error {
	if !t.closed.CompareAndSwap(false, true) {
		return errors.New("Tx closed twice")
	}
	return nil
}

func requestContainer(t testing.TB, ids *atomic.Int64) *di.Container {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Request, error) { return &Request{id: ids.Add(1)}, nil }, di.Scoped)
	di.Provide(b, func(r *Request) *Repo { return &Repo{r} }, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Service, error) {
		req, err := di.Resolve[*Request](r)
		if err != nil {
			return nil, err
		}
		repo, err := di.Resolve[*Repo](r)
		return &Service{req, repo}, err
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Tx, error) {
		req, err := di.Resolve[*Request](r)
		return &Tx{req: req}, err
	}, di.Transient)
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// 1,000 scopes open at the same time (×10 per STRESS step, capped to stay
// under the race detector's goroutine limit), each resolving from several
// goroutines: every scope sees only its own scoped instances.
func TestConcurrentScopesAreIsolated(t *testing.T) {
	scopes := min(load.Scale(1_000), 3_000)
	const perScope = 2
	var ids atomic.Int64
	c := requestContainer(t, &ids)
	defer c.Close(context.Background())

	resolved := make(chan struct{})
	var ready, done sync.WaitGroup
	ready.Add(scopes)
	var bad atomic.Int64
	var txs sync.Map
	reqs := make([]*Request, scopes)
	for i := range scopes {
		done.Go(func() {
			s := c.NewScope()
			var inner sync.WaitGroup
			svcs := make([]*Service, perScope)
			for j := range perScope {
				inner.Go(func() {
					svc, err := di.Resolve[*Service](s)
					if err != nil {
						bad.Add(1)
						return
					}
					tx, err := di.Resolve[*Tx](s)
					if err != nil || tx.req != svc.req {
						bad.Add(1)
						return
					}
					txs.Store(tx, true)
					svcs[j] = svc
				})
			}
			inner.Wait()
			req := di.MustResolve[*Request](s)
			for _, svc := range svcs {
				if svc == nil || svc != svcs[0] || svc.req != req || svc.repo.req != req {
					bad.Add(1)
				}
			}
			reqs[i] = req
			ready.Done()
			<-resolved // keep every scope open until all have resolved
			if err := s.Close(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	ready.Wait()
	close(resolved)
	done.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d scopes saw instances that were not theirs", bad.Load())
	}
	unique := make(map[*Request]bool, scopes)
	for _, r := range reqs {
		unique[r] = true
	}
	if len(unique) != scopes || ids.Load() != int64(scopes) {
		t.Errorf("%d distinct requests, %d constructed, want %d", len(unique), ids.Load(), scopes)
	}
	n := 0
	txs.Range(func(k, _ any) bool {
		n++
		if !k.(*Tx).closed.Load() {
			t.Error("a transient Tx was not disposed by its scope")
			return false
		}
		return true
	})
	if n != scopes*perScope {
		t.Errorf("%d transients, want %d", n, scopes*perScope)
	}
}

// Scopes opened, used and closed in a loop leave the heap flat: the
// container keeps nothing of them.
func TestScopeChurnHeapFlat(t *testing.T) {
	rounds := load.Scale(20_000)
	var ids atomic.Int64
	c := requestContainer(t, &ids)
	defer c.Close(context.Background())
	churn := func(n int) {
		for range n {
			s := c.NewScope()
			if _, err := di.Resolve[*Service](s); err != nil {
				t.Fatal(err)
			}
			if _, err := di.Resolve[*Tx](s); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	churn(1_000) // warm up
	before := heap()
	begin := time.Now()
	churn(rounds)
	elapsed := time.Since(begin)
	after := heap()
	growth := int64(after) - int64(before)
	t.Logf("%d scopes: HeapAlloc %d → %d bytes (%+d), %v per scope", rounds, before, after, growth, elapsed/time.Duration(rounds))
	// Each scope allocates about 600 bytes; keeping even 1 in 20 of them
	// would exceed this bound.
	const bound = 64 << 10
	if growth > bound {
		t.Errorf("heap grew by %d bytes over %d scopes, want at most %d", growth, rounds, bound)
	}
}

type (
	CycA struct{}
	CycB struct{}
)

// Cycles between factories entered from both ends at once, by two
// goroutines, repeatedly: always an ErrCycle, never a deadlock.
func TestCrossGoroutineCycles(t *testing.T) {
	rounds := load.Scale(200)
	for i := range rounds {
		life := di.Singleton
		if i%2 == 1 {
			life = di.Scoped
		}
		var aIn, bIn atomic.Bool
		wait := func(other *atomic.Bool) {
			for deadline := time.Now().Add(10 * time.Millisecond); !other.Load() && time.Now().Before(deadline); {
				runtime.Gosched()
			}
		}
		b := di.NewBuilder()
		di.ProvideFunc(b, func(r di.Resolver) (*CycA, error) {
			aIn.Store(true)
			wait(&bIn)
			_, err := di.Resolve[*CycB](r)
			return &CycA{}, err
		}, life)
		di.ProvideFunc(b, func(r di.Resolver) (*CycB, error) {
			bIn.Store(true)
			wait(&aIn)
			_, err := di.Resolve[*CycA](r)
			return &CycB{}, err
		}, life)
		c, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		s := c.NewScope()
		errs := make(chan error, 2)
		go func() { _, err := di.Resolve[*CycA](s); errs <- err }()
		go func() { _, err := di.Resolve[*CycB](s); errs <- err }()
		for range 2 {
			select {
			case err := <-errs:
				if !errors.Is(err, di.ErrCycle) {
					t.Fatalf("round %d: error = %v, want ErrCycle", i, err)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("round %d: deadlock", i)
			}
		}
		_ = s.Close(context.Background())
		_ = c.Close(context.Background())
	}
}
