package di_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dext-go/dext/di"
)

type Config struct{ DSN string }
type DB struct {
	cfg    *Config
	closed bool
}
type Repo struct{ db *DB }
type Service struct{ repo *Repo }
type Handler struct{ svc *Service }

func NewDB(cfg *Config) (*DB, error) { return &DB{cfg: cfg}, nil }
func NewRepo(db *DB) *Repo           { return &Repo{db: db} }
func NewService(r *Repo) *Service    { return &Service{repo: r} }
func NewHandler(s *Service) *Handler {
	return &Handler{svc: s}
}

func mustBuild(t *testing.T, b *di.Builder) *di.Container {
	t.Helper()
	c, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func TestConstructorInjection(t *testing.T) {
	b := di.NewBuilder()
	di.Instance(b, &Config{DSN: "mem"})
	di.Provide(b, NewDB, di.Singleton)
	di.Provide(b, NewRepo, di.Scoped)
	di.Provide(b, NewService, di.Scoped)
	di.Provide(b, NewHandler, di.Transient)
	c := mustBuild(t, b)
	s := c.NewScope()
	defer s.Close(context.Background())
	h, err := di.Resolve[*Handler](s)
	if err != nil {
		t.Fatalf("Resolve[*Handler]: %v", err)
	}
	if h.svc == nil || h.svc.repo == nil || h.svc.repo.db == nil || h.svc.repo.db.cfg.DSN != "mem" {
		t.Fatalf("Resolve[*Handler] = %+v, want a fully wired handler", h)
	}
	db := di.MustResolve[*DB](c)
	if db != h.svc.repo.db {
		t.Errorf("singleton *DB from container %p != from scope %p", db, h.svc.repo.db)
	}
	h2 := di.MustResolve[*Handler](s)
	if h2 == h {
		t.Error("transient *Handler resolved twice gave the same instance")
	}
	if h2.svc != h.svc {
		t.Error("scoped *Service differs within one scope")
	}
}

func TestFactoryAndOverride(t *testing.T) {
	b := di.NewBuilder()
	di.Instance(b, &Config{DSN: "prod"})
	di.Instance(b, &Config{DSN: "test"}) // later registration wins
	di.ProvideFunc(b, func(r di.Resolver) (*DB, error) {
		cfg, err := di.Resolve[*Config](r)
		if err != nil {
			return nil, err
		}
		return &DB{cfg: cfg}, nil
	}, di.Singleton)
	c := mustBuild(t, b)
	db := di.MustResolve[*DB](c)
	if db.cfg.DSN != "test" {
		t.Errorf("DSN = %q, want the overriding registration's %q", db.cfg.DSN, "test")
	}
	all, err := di.ResolveAll[*Config](c)
	if err != nil || len(all) != 2 || all[0].DSN != "prod" || all[1].DSN != "test" {
		t.Errorf("ResolveAll[*Config] = %v, %v; want both registrations in order", all, err)
	}
}

type Plugin interface{ Name() string }
type namedPlugin string

func (p namedPlugin) Name() string { return string(p) }

func TestGroupsAndKeys(t *testing.T) {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (Plugin, error) { return namedPlugin("a"), nil }, di.Singleton)
	di.ProvideFunc(b, func(di.Resolver) (Plugin, error) { return namedPlugin("b"), nil }, di.Transient)
	di.Instance[Plugin](b, namedPlugin("k"), di.Keyed("special"))
	di.Provide(b, func(ps []Plugin) string {
		var names []string
		for _, p := range ps {
			names = append(names, p.Name())
		}
		return strings.Join(names, ",")
	}, di.Singleton)
	c := mustBuild(t, b)
	if got := di.MustResolve[string](c); got != "a,b" {
		t.Errorf("group parameter = %q, want %q (keyed registrations are not in the group)", got, "a,b")
	}
	p, err := di.ResolveKeyed[Plugin](c, "special")
	if err != nil || p.Name() != "k" {
		t.Errorf("ResolveKeyed(special) = %v, %v; want k", p, err)
	}
	if _, err := di.ResolveKeyed[Plugin](c, "nope"); !errors.Is(err, di.ErrNotRegistered) {
		t.Errorf("ResolveKeyed(nope) error = %v, want ErrNotRegistered", err)
	}
	if got := di.MustResolve[Plugin](c).Name(); got != "b" {
		t.Errorf("Resolve[Plugin] = %q, want the last unkeyed registration %q", got, "b")
	}
}

type Greeter interface{ Greet() string }
type plain struct{}

func (plain) Greet() string { return "hi" }

type loud struct{ inner Greeter }

func (l loud) Greet() string { return strings.ToUpper(l.inner.Greet()) + "!" }

func TestDecorate(t *testing.T) {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (Greeter, error) { return plain{}, nil }, di.Singleton)
	di.Decorate(b, func(g Greeter, _ di.Resolver) (Greeter, error) { return loud{g}, nil })
	di.Decorate(b, func(g Greeter, _ di.Resolver) (Greeter, error) { return loud{g}, nil })
	c := mustBuild(t, b)
	if got := di.MustResolve[Greeter](c).Greet(); got != "HI!!" {
		t.Errorf("decorated Greet() = %q, want %q", got, "HI!!")
	}
}

type A struct{}
type B struct{}
type C struct{}

func TestBuildReportsEveryProblem(t *testing.T) {
	b := di.NewBuilder()
	// missing: *Repo needs *DB, which is not registered
	di.Provide(b, NewRepo, di.Scoped)
	// cycle: *A ← *B ← *A
	di.Provide(b, func(*B) *A { return nil }, di.Singleton)
	di.Provide(b, func(*A) *B { return nil }, di.Singleton)
	// captive through a transient: *Service (singleton) → *Handler? no:
	// *C (singleton) → *Service (transient) → *Repo (scoped)
	di.Provide(b, NewService, di.Transient)
	di.Provide(b, func(*Service) *C { return nil }, di.Singleton)
	_, err := b.Build()
	if err == nil {
		t.Fatal("Build succeeded, want errors")
	}
	msg := err.Error()
	for _, want := range []string{
		"di: missing dependency: *di_test.DB (not registered) ← *di_test.Repo (scoped)",
		"di: dependency cycle: *di_test.A (singleton) ← *di_test.B (singleton) ← *di_test.A (singleton)",
		"di: captive dependency: *di_test.Repo (scoped) ← *di_test.Service (transient) ← *di_test.C (singleton)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("Build error lacks %q; got:\n%s", want, msg)
		}
	}
	for _, kind := range []error{di.ErrMissingDependency, di.ErrCycle, di.ErrCaptiveDependency} {
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(err, %v) = false", kind)
		}
	}
	var de *di.DependencyError
	if !errors.As(err, &de) || len(de.Chain) < 2 {
		t.Errorf("errors.As(*DependencyError) = %v, %+v", errors.As(err, &de), de)
	}
}

func TestInvalidRegistrations(t *testing.T) {
	tests := []struct {
		name string
		give func(b *di.Builder)
	}{
		{"not a function", func(b *di.Builder) { di.Provide(b, 42, di.Singleton) }},
		{"nil function", func(b *di.Builder) { di.Provide(b, (func() *A)(nil), di.Singleton) }},
		{"no result", func(b *di.Builder) { di.Provide(b, func() {}, di.Singleton) }},
		{"error only", func(b *di.Builder) { di.Provide(b, func() error { return nil }, di.Singleton) }},
		{"second result not error", func(b *di.Builder) { di.Provide(b, func() (*A, *B) { return nil, nil }, di.Singleton) }},
		{"variadic", func(b *di.Builder) { di.Provide(b, func(...int) *A { return nil }, di.Singleton) }},
		{"bad lifetime", func(b *di.Builder) { di.Provide(b, func() *A { return nil }, di.Lifetime(9)) }},
		{"nil factory", func(b *di.Builder) { di.ProvideFunc[*A](b, nil, di.Singleton) }},
		{"nil decorator", func(b *di.Builder) { di.Decorate[*A](b, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := di.NewBuilder()
			tt.give(b)
			if _, err := b.Build(); !errors.Is(err, di.ErrInvalidRegistration) {
				t.Errorf("Build() error = %v, want ErrInvalidRegistration", err)
			}
		})
	}
}

func TestScopedFromRoot(t *testing.T) {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Repo, error) { return &Repo{}, nil }, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Service, error) {
		repo, err := di.Resolve[*Repo](r)
		return &Service{repo}, err
	}, di.Transient)
	di.ProvideFunc(b, func(r di.Resolver) (*Handler, error) {
		svc, err := di.Resolve[*Service](r)
		return &Handler{svc}, err
	}, di.Singleton)
	c := mustBuild(t, b)
	if _, err := di.Resolve[*Repo](c); !errors.Is(err, di.ErrScopedFromRoot) {
		t.Errorf("Resolve[*Repo](container) error = %v, want ErrScopedFromRoot", err)
	}
	if _, err := di.Resolve[*Service](c); !errors.Is(err, di.ErrScopedFromRoot) {
		t.Errorf("Resolve[*Service](container) error = %v, want ErrScopedFromRoot", err)
	}
	// A singleton factory that reaches a scoped service through a transient
	// is a captive dependency even when resolved from a scope.
	s := c.NewScope()
	defer s.Close(context.Background())
	_, err := di.Resolve[*Handler](s)
	if !errors.Is(err, di.ErrCaptiveDependency) {
		t.Fatalf("Resolve[*Handler](scope) error = %v, want ErrCaptiveDependency", err)
	}
	want := "*di_test.Repo (scoped) ← *di_test.Service (transient) ← *di_test.Handler (singleton)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks chain %q", err, want)
	}
}

func TestNotRegistered(t *testing.T) {
	c := mustBuild(t, di.NewBuilder())
	_, err := di.Resolve[*Repo](c)
	if !errors.Is(err, di.ErrNotRegistered) || !strings.Contains(err.Error(), "*di_test.Repo (not registered)") {
		t.Errorf("Resolve error = %v, want ErrNotRegistered naming *di_test.Repo", err)
	}
	got, err := di.ResolveAll[*Repo](c)
	if err != nil || len(got) != 0 {
		t.Errorf("ResolveAll = %v, %v; want empty", got, err)
	}
}

func TestSingletonFactoryRetriedAfterError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*DB, error) {
		if calls.Add(1) == 1 {
			return nil, boom
		}
		return &DB{}, nil
	}, di.Singleton)
	c := mustBuild(t, b)
	_, err := di.Resolve[*DB](c)
	if !errors.Is(err, boom) || !errors.Is(err, di.ErrFactory) {
		t.Fatalf("first Resolve error = %v, want boom wrapped in ErrFactory", err)
	}
	db1, err := di.Resolve[*DB](c)
	if err != nil {
		t.Fatalf("second Resolve: %v", err)
	}
	if db2 := di.MustResolve[*DB](c); db2 != db1 || calls.Load() != 2 {
		t.Errorf("after retry: same=%v calls=%d, want same instance and 2 calls", db2 == db1, calls.Load())
	}
}

func TestFactoryCycleIsAnError(t *testing.T) {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(r di.Resolver) (*A, error) {
		_, err := di.Resolve[*B](r)
		return &A{}, err
	}, di.Singleton)
	di.ProvideFunc(b, func(r di.Resolver) (*B, error) {
		_, err := di.Resolve[*A](r)
		return &B{}, err
	}, di.Scoped)
	c := mustBuild(t, b) // factories' dependencies are not known at Build
	s := c.NewScope()
	defer s.Close(context.Background())
	_, err := di.Resolve[*A](s)
	// *A is a singleton: it cannot reach the scoped *B.
	if !errors.Is(err, di.ErrCaptiveDependency) {
		t.Errorf("Resolve[*A] error = %v, want ErrCaptiveDependency", err)
	}
	_, err = di.Resolve[*B](s)
	if !errors.Is(err, di.ErrCaptiveDependency) {
		t.Errorf("Resolve[*B] error = %v, want ErrCaptiveDependency", err)
	}

	b = di.NewBuilder()
	di.ProvideFunc(b, func(r di.Resolver) (*A, error) {
		_, err := di.Resolve[*B](r)
		return &A{}, err
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*B, error) {
		_, err := di.Resolve[*A](r)
		return &B{}, err
	}, di.Transient)
	c = mustBuild(t, b)
	s = c.NewScope()
	defer s.Close(context.Background())
	_, err = di.Resolve[*A](s)
	want := "di: dependency cycle: *di_test.A (scoped) ← *di_test.B (transient) ← *di_test.A (scoped)"
	if !errors.Is(err, di.ErrCycle) || !strings.Contains(err.Error(), want) {
		t.Errorf("Resolve[*A] error = %v, want %q", err, want)
	}
	// The failed attempt left nothing behind: the slot is free again.
	_, err = di.Resolve[*A](s)
	if !errors.Is(err, di.ErrCycle) {
		t.Errorf("second Resolve[*A] error = %v, want ErrCycle again", err)
	}
}

// closer records its Close calls in a shared log.
type closer struct {
	name string
	log  *[]string
	err  error
}

func (c *closer) Close() error {
	*c.log = append(*c.log, c.name)
	return c.err
}

type ctxCloser struct {
	name string
	log  *[]string
}

func (c *ctxCloser) Close(ctx context.Context) error {
	*c.log = append(*c.log, c.name+"(ctx)")
	return ctx.Err()
}

type S1 struct{ *closer }
type S2 struct{ *ctxCloser }
type S3 struct{ *closer }

func TestScopeCloseDisposesInReverseOrder(t *testing.T) {
	var log []string
	errA, errC := errors.New("a failed"), errors.New("c failed")
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*S1, error) { return &S1{&closer{"s1", &log, errA}}, nil }, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*S2, error) {
		if _, err := di.Resolve[*S1](r); err != nil {
			return nil, err
		}
		return &S2{&ctxCloser{"s2", &log}}, nil
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*S3, error) {
		if _, err := di.Resolve[*S2](r); err != nil {
			return nil, err
		}
		return &S3{&closer{"s3", &log, errC}}, nil
	}, di.Transient)
	c := mustBuild(t, b)
	s := c.NewScope()
	di.MustResolve[*S3](s)
	di.MustResolve[*S3](s)
	err := s.Close(context.Background())
	if got, want := strings.Join(log, " "), "s3 s3 s2(ctx) s1"; got != want {
		t.Errorf("disposal order = %q, want %q", got, want)
	}
	if !errors.Is(err, errA) || !errors.Is(err, errC) {
		t.Errorf("Close error = %v, want both errors joined", err)
	}
	if _, err := di.Resolve[*S1](s); !errors.Is(err, di.ErrScopeClosed) {
		t.Errorf("Resolve after Close error = %v, want ErrScopeClosed", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if got := strings.Join(log, " "); got != "s3 s3 s2(ctx) s1" {
		t.Errorf("second Close disposed again: %q", got)
	}
}

func TestContainerCloseDisposesSingletons(t *testing.T) {
	var log []string
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*S1, error) { return &S1{&closer{"s1", &log, nil}}, nil }, di.Singleton)
	di.ProvideFunc(b, func(r di.Resolver) (*S3, error) {
		if _, err := di.Resolve[*S1](r); err != nil {
			return nil, err
		}
		return &S3{&closer{"s3", &log, nil}}, nil
	}, di.Singleton)
	own := &S2{&ctxCloser{"own", &log}}
	di.Instance(b, own)
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	s := c.NewScope()
	di.MustResolve[*S3](s)
	di.MustResolve[*S2](c)
	if err := c.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got, want := strings.Join(log, " "), "s3 s1"; got != want {
		t.Errorf("disposal = %q, want %q (instances are not disposed)", got, want)
	}
	if _, err := di.Resolve[*S1](c); !errors.Is(err, di.ErrContainerClosed) {
		t.Errorf("Resolve after Close = %v, want ErrContainerClosed", err)
	}
	if _, err := di.Resolve[*S3](s); !errors.Is(err, di.ErrContainerClosed) {
		t.Errorf("Resolve singleton from open scope after container Close = %v, want ErrContainerClosed", err)
	}
	_ = s.Close(context.Background())
	if err := c.Close(context.Background()); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestScopesAreIsolated(t *testing.T) {
	b := di.NewBuilder()
	var n atomic.Int32
	di.ProvideFunc(b, func(di.Resolver) (*Repo, error) { n.Add(1); return &Repo{}, nil }, di.Scoped)
	c := mustBuild(t, b)
	s1, s2 := c.NewScope(), c.NewScope()
	r1, r2 := di.MustResolve[*Repo](s1), di.MustResolve[*Repo](s2)
	if r1 == r2 {
		t.Error("two scopes share a scoped instance")
	}
	if di.MustResolve[*Repo](s1) != r1 {
		t.Error("one scope resolved two scoped instances")
	}
	_ = s1.Close(context.Background())
	if di.MustResolve[*Repo](s2) != r2 {
		t.Error("closing one scope changed another")
	}
	_ = s2.Close(context.Background())
	if n.Load() != 2 {
		t.Errorf("constructed %d times, want 2", n.Load())
	}
}

func TestDecoratorFailureDisposesAndRetries(t *testing.T) {
	var log []string
	fail := true
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*S1, error) { return &S1{&closer{"inner", &log, nil}}, nil }, di.Scoped)
	di.Decorate(b, func(v *S1, _ di.Resolver) (*S1, error) {
		if fail {
			return nil, io.ErrUnexpectedEOF
		}
		return &S1{&closer{"outer", &log, nil}}, nil
	})
	c := mustBuild(t, b)
	s := c.NewScope()
	if _, err := di.Resolve[*S1](s); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Resolve error = %v, want the decorator's", err)
	}
	if got := strings.Join(log, " "); got != "inner" {
		t.Errorf("after failed decorator, disposed %q, want %q", got, "inner")
	}
	fail = false
	di.MustResolve[*S1](s)
	_ = s.Close(context.Background())
	if got := strings.Join(log, " "); got != "inner outer inner" {
		t.Errorf("disposal log = %q, want %q", got, "inner outer inner")
	}
}

func TestContext(t *testing.T) {
	c := mustBuild(t, di.NewBuilder())
	s := c.NewScope()
	ctx := di.WithScope(context.Background(), s)
	if got, ok := di.ScopeFrom(ctx); !ok || got != s {
		t.Errorf("ScopeFrom = %p, %v; want %p, true", got, ok, s)
	}
	if _, ok := di.ScopeFrom(context.Background()); ok {
		t.Error("ScopeFrom(empty context) reported a scope")
	}
}

func TestGraph(t *testing.T) {
	b := di.NewBuilder()
	di.Instance(b, &Config{})
	di.Provide(b, NewDB, di.Singleton)
	di.Provide(b, NewRepo, di.Scoped, di.Keyed("main"))
	c := mustBuild(t, b)
	g := c.Graph()
	for _, want := range []string{
		"digraph di {",
		`n0 [label="*di_test.Config\nsingleton"`,
		`n2 [label="*di_test.Repo[\"main\"]\nscoped", style=dashed`,
		"n1 -> n0;",
		"n2 -> n1;",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("Graph() lacks %q:\n%s", want, g)
		}
	}
}

func TestMustResolvePanics(t *testing.T) {
	c := mustBuild(t, di.NewBuilder())
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "di.MustResolve: ") {
			t.Errorf("recover() = %v, want a di.MustResolve panic", r)
		}
	}()
	di.MustResolve[*A](c)
}

type (
	Q0 struct{ n int64 }
	Q1 struct{ n int64 }
	Q2 struct{ n int64 }
	Q3 struct{ n int64 }
	Q4 struct{ n int64 }
	Q5 struct{ n int64 }
)

// Scopes reuse the storage of closed ones: a new scope must start empty,
// and a Resolver kept by a factory must never reach another scope.
func TestScopeStorageReuse(t *testing.T) {
	var serial atomic.Int64
	var kept []di.Resolver
	b := di.NewBuilder()
	di.ProvideFunc(b, func(r di.Resolver) (*Q0, error) {
		kept = append(kept, r)
		return &Q0{serial.Add(1)}, nil
	}, di.Scoped)
	di.ProvideFunc(b, func(di.Resolver) (*Q1, error) { return &Q1{serial.Add(1)}, nil }, di.Scoped)
	di.ProvideFunc(b, func(di.Resolver) (*Q2, error) { return &Q2{serial.Add(1)}, nil }, di.Scoped)
	di.ProvideFunc(b, func(di.Resolver) (*Q3, error) { return &Q3{serial.Add(1)}, nil }, di.Scoped)
	// Q4 and Q5 live beyond the inline slots.
	di.ProvideFunc(b, func(di.Resolver) (*Q4, error) { return &Q4{serial.Add(1)}, nil }, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Q5, error) {
		kept = append(kept, r)
		q4, err := di.Resolve[*Q4](r)
		if err != nil {
			return nil, err
		}
		return &Q5{q4.n}, nil
	}, di.Scoped)
	c := mustBuild(t, b)
	seen := map[int64]bool{}
	var closed []*di.Scope
	for i := range 50 {
		s := c.NewScope()
		closed = append(closed, s)
		q0 := di.MustResolve[*Q0](s)
		q3 := di.MustResolve[*Q3](s)
		q5 := di.MustResolve[*Q5](s)
		q4 := di.MustResolve[*Q4](s)
		for _, n := range []int64{q0.n, q3.n, q4.n} {
			if seen[n] {
				t.Fatalf("scope %d got instance #%d of an earlier scope", i, n)
			}
			seen[n] = true
		}
		if q5.n != q4.n || di.MustResolve[*Q0](s) != q0 {
			t.Fatalf("scope %d: scoped instances differ within the scope", i)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Every kept Resolver belongs to a closed scope, whose storage has
	// been reused since: it must fail, not resolve from a live scope.
	live := c.NewScope()
	defer live.Close(context.Background())
	di.MustResolve[*Q1](live)
	for i, r := range kept {
		if _, err := di.Resolve[*Q1](r); !errors.Is(err, di.ErrScopeClosed) {
			t.Fatalf("kept Resolver %d: error = %v, want ErrScopeClosed", i, err)
		}
	}
	// So must every closed scope, resolving a service the live scope holds
	// or one it does not.
	for i, s := range closed {
		if _, err := di.Resolve[*Q1](s); !errors.Is(err, di.ErrScopeClosed) {
			t.Fatalf("closed scope %d: Resolve[*Q1] error = %v, want ErrScopeClosed", i, err)
		}
		if _, err := di.Resolve[*Q2](s); !errors.Is(err, di.ErrScopeClosed) {
			t.Fatalf("closed scope %d: Resolve[*Q2] error = %v, want ErrScopeClosed", i, err)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatalf("closed scope %d: second Close = %v, want nil", i, err)
		}
	}
}

// TestScopedFactoryPanicIsRetried checks that a scoped factory that panics
// does not leave its service in construction: the panic reaches the caller,
// a goroutine that was waiting for the construction goes on (constructing
// the service itself), and a later resolve in the same scope constructs it
// again.
func TestScopedFactoryPanicIsRetried(t *testing.T) {
	type Flaky struct{ n int }
	var calls atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Flaky, error) {
		n := calls.Add(1)
		if n == 1 {
			close(started)
			<-release
			panic("flaky: first construction fails")
		}
		return &Flaky{n: int(n)}, nil
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Handler, error) {
		_, err := di.Resolve[*Flaky](r) // the panic passes through a dependent's construction
		return &Handler{}, err
	}, di.Scoped)
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	s := c.NewScope()
	defer s.Close(context.Background())

	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_, _ = di.Resolve[*Handler](s)
	}()
	<-started
	waiter := make(chan *Flaky, 1)
	go func() {
		f, err := di.Resolve[*Flaky](s) // waits for the first construction
		if err != nil {
			t.Errorf("waiting resolve: %v", err)
		}
		waiter <- f
	}()
	close(release)
	if p := <-panicked; p == nil {
		t.Fatal("the factory's panic did not reach the caller")
	}
	select {
	case f := <-waiter:
		if f == nil || f.n != 2 {
			t.Fatalf("waiting resolve got %+v, want the second construction", f)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a resolve waiting for a construction whose factory panicked never returned")
	}
	h, err := di.Resolve[*Handler](s)
	if err != nil || h == nil {
		t.Fatalf("resolve after the panic: %v, %v", h, err)
	}
	if f, _ := di.Resolve[*Flaky](s); f.n != 2 || calls.Load() != 2 {
		t.Fatalf("Flaky %d after %d constructions, want the second of 2", f.n, calls.Load())
	}
}
