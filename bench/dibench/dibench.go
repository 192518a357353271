// Package dibench compares package di with go.uber.org/dig,
// github.com/samber/do/v2, github.com/golobby/container/v3 and a
// hand-written baseline (typed fields, no container).
package dibench

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	golobby "github.com/golobby/container/v3"
	do "github.com/samber/do/v2"
	"go.uber.org/dig"

	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/di"
)

// The services of the benchmarks: a singleton *DB, and per request a
// connection (disposable), a repository on it and a service on both.
type (
	// DB is the singleton.
	DB struct{ dsn string }
	// Conn is the request's connection, disposed with the request.
	Conn struct {
		db     *DB
		closed bool
	}
	// Repo is a repository on the connection.
	Repo struct{ conn *Conn }
	// Service uses the repository and the connection.
	Service struct {
		repo *Repo
		conn *Conn
	}
)

// Close marks the connection closed; every side disposes it.
func (c *Conn) Close() error {
	c.closed = true
	return nil
}

var (
	sinkDB  *DB
	sinkSvc *Service
	sinkRep *Repo
)

func newDB() *DB { return &DB{dsn: "bench.db"} }

// --- resolving a built singleton ---

// ours builds a container with the singleton *DB and the request services
// (as typed factories), with *DB already constructed.
func ours(tb testing.TB) *di.Container {
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*DB, error) { return newDB(), nil }, di.Singleton)
	di.ProvideFunc(b, func(r di.Resolver) (*Conn, error) {
		db, err := di.Resolve[*DB](r)
		return &Conn{db: db}, err
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Repo, error) {
		conn, err := di.Resolve[*Conn](r)
		return &Repo{conn: conn}, err
	}, di.Scoped)
	di.ProvideFunc(b, func(r di.Resolver) (*Service, error) {
		repo, err := di.Resolve[*Repo](r)
		if err != nil {
			return nil, err
		}
		conn, err := di.Resolve[*Conn](r)
		return &Service{repo: repo, conn: conn}, err
	}, di.Scoped)
	c, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := di.Resolve[*DB](c); err != nil {
		tb.Fatal(err)
	}
	return c
}

// oursReflect is ours with constructors (Provide) instead of factories.
func oursReflect(tb testing.TB) *di.Container {
	b := di.NewBuilder()
	di.Provide(b, newDB, di.Singleton)
	di.Provide(b, func(db *DB) *Conn { return &Conn{db: db} }, di.Scoped)
	di.Provide(b, func(c *Conn) *Repo { return &Repo{conn: c} }, di.Scoped)
	di.Provide(b, func(r *Repo, c *Conn) (*Service, error) { return &Service{repo: r, conn: c}, nil }, di.Scoped)
	c, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// hand is the hand-written baseline: typed fields, the singleton behind a
// sync.OnceValue, no container.
type hand struct {
	db func() *DB
}

func newHand() *hand { return &hand{db: sync.OnceValue(newDB)} }

// handRequest is the hand-written request scope: typed fields filled on
// first use, the connection closed at the end.
type handRequest struct {
	app  *hand
	conn *Conn
	repo *Repo
	svc  *Service
}

// sinkReq is where the hand-written request scope goes, as a real one goes
// into the request's context: like a di.Scope, it lives on the heap.
var sinkReq *handRequest

func newHandRequest(app *hand) *handRequest {
	r := &handRequest{app: app}
	sinkReq = r
	return r
}

// Conn returns the request's connection, creating it on first use.
func (r *handRequest) Conn() *Conn {
	if r.conn == nil {
		r.conn = &Conn{db: r.app.db()}
	}
	return r.conn
}

// Repo returns the request's repository, creating it on first use.
func (r *handRequest) Repo() *Repo {
	if r.repo == nil {
		r.repo = &Repo{conn: r.Conn()}
	}
	return r.repo
}

// Service returns the request's service, creating it on first use.
func (r *handRequest) Service() *Service {
	if r.svc == nil {
		r.svc = &Service{repo: r.Repo(), conn: r.Conn()}
	}
	return r.svc
}

// Close disposes what the request created.
func (r *handRequest) Close() error {
	if r.conn != nil {
		return r.conn.Close()
	}
	return nil
}

// SingletonOurs resolves the built singleton from the container.
func SingletonOurs(b *testing.B) {
	c := ours(b)
	b.ReportAllocs()
	for b.Loop() {
		db, err := di.Resolve[*DB](c)
		if err != nil {
			b.Fatal(err)
		}
		sinkDB = db
	}
}

// SingletonOursScope resolves the built singleton from a scope.
func SingletonOursScope(b *testing.B) {
	c := ours(b)
	s := c.NewScope()
	defer s.Close(context.Background())
	b.ReportAllocs()
	for b.Loop() {
		db, err := di.Resolve[*DB](s)
		if err != nil {
			b.Fatal(err)
		}
		sinkDB = db
	}
}

// SingletonHand reads the hand-written typed field.
func SingletonHand(b *testing.B) {
	h := newHand()
	h.db()
	b.ReportAllocs()
	for b.Loop() {
		sinkDB = h.db()
	}
}

// SingletonSamber invokes samber/do's lazy singleton.
func SingletonSamber(b *testing.B) {
	i := do.New()
	do.Provide(i, func(do.Injector) (*DB, error) { return newDB(), nil })
	do.MustInvoke[*DB](i)
	b.ReportAllocs()
	for b.Loop() {
		db, err := do.Invoke[*DB](i)
		if err != nil {
			b.Fatal(err)
		}
		sinkDB = db
	}
}

// SingletonDig invokes a function taking dig's singleton.
func SingletonDig(b *testing.B) {
	c := dig.New()
	if err := c.Provide(newDB); err != nil {
		b.Fatal(err)
	}
	f := func(db *DB) { sinkDB = db }
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Invoke(f); err != nil {
			b.Fatal(err)
		}
	}
}

// SingletonGolobby resolves golobby's singleton.
func SingletonGolobby(b *testing.B) {
	c := golobby.New()
	if err := c.Singleton(newDB); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var db *DB
		if err := c.Resolve(&db); err != nil {
			b.Fatal(err)
		}
		sinkDB = db
	}
}

// --- resolving a scoped service once created ---

// ScopedOurs resolves a scoped service already created in its scope.
func ScopedOurs(b *testing.B) {
	c := ours(b)
	s := c.NewScope()
	defer s.Close(context.Background())
	if _, err := di.Resolve[*Repo](s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := di.Resolve[*Repo](s)
		if err != nil {
			b.Fatal(err)
		}
		sinkRep = r
	}
}

// ScopedHand reads the hand-written request's typed field.
func ScopedHand(b *testing.B) {
	r := &handRequest{app: newHand()}
	r.Repo()
	b.ReportAllocs()
	for b.Loop() {
		sinkRep = r.Repo()
	}
}

// --- a request's life: scope, three scoped services, close ---

// RequestOurs opens a scope, resolves *Service (which needs *Repo and
// *Conn, which needs the singleton *DB) and closes the scope.
func RequestOurs(b *testing.B) { request(b, ours(b)) }

// RequestOursReflect is RequestOurs with constructors called by reflection.
func RequestOursReflect(b *testing.B) { request(b, oursReflect(b)) }

func request(b *testing.B, c *di.Container) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s := c.NewScope()
		svc, err := di.Resolve[*Service](s)
		if err != nil {
			b.Fatal(err)
		}
		sinkSvc = svc
		if err := s.Close(ctx); err != nil {
			b.Fatal(err)
		}
		if !svc.conn.closed {
			b.Fatal("connection not disposed")
		}
	}
}

// RequestHand does the same with the hand-written request scope.
func RequestHand(b *testing.B) {
	app := newHand()
	b.ReportAllocs()
	for b.Loop() {
		r := newHandRequest(app)
		svc := r.Service()
		sinkSvc = svc
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
		if !svc.conn.closed {
			b.Fatal("connection not disposed")
		}
	}
}

var samberScopes atomic.Int64

// RequestSamber uses a samber/do child scope as the request scope: three
// providers registered in it, *Service invoked, the scope shut down.
func RequestSamber(b *testing.B) {
	root := do.New()
	do.Provide(root, func(do.Injector) (*DB, error) { return newDB(), nil })
	b.ReportAllocs()
	for b.Loop() {
		s := root.Scope("req-" + strconv.FormatInt(samberScopes.Add(1), 10))
		do.Provide(s, func(i do.Injector) (*Conn, error) { return &Conn{db: do.MustInvoke[*DB](i)}, nil })
		do.Provide(s, func(i do.Injector) (*Repo, error) { return &Repo{conn: do.MustInvoke[*Conn](i)}, nil })
		do.Provide(s, func(i do.Injector) (*Service, error) {
			return &Service{repo: do.MustInvoke[*Repo](i), conn: do.MustInvoke[*Conn](i)}, nil
		})
		svc, err := do.Invoke[*Service](s)
		if err != nil {
			b.Fatal(err)
		}
		sinkSvc = svc
		if rep := s.Shutdown(); !rep.Succeed {
			b.Fatal(rep)
		}
	}
}

// --- parallel resolves ---

// ParallelOurs resolves the singleton from every goroutine of RunParallel
// (GOMAXPROCS of them).
func ParallelOurs(b *testing.B) {
	c := ours(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := di.Resolve[*DB](c); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// ParallelSamber is ParallelOurs with samber/do.
func ParallelSamber(b *testing.B) {
	i := do.New()
	do.Provide(i, func(do.Injector) (*DB, error) { return newDB(), nil })
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := do.Invoke[*DB](i); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// parallelism runs body with RunParallel limited to n goroutines.
func parallelism(n int, body func(b *testing.B)) func(b *testing.B) {
	return func(b *testing.B) {
		b.SetParallelism(1) // RunParallel starts GOMAXPROCS × 1 goroutines
		prev := setProcs(n)
		defer setProcs(prev)
		body(b)
	}
}

// Suite is the di section of bench/RESULTS.md.
var Suite = report.Suite{
	Name:  "di",
	Title: "di: dependency injection",
	Notes: `Resolving services from a built container. "hand-written" is the same
graph with typed fields and no container (the singleton behind
` + "`sync.OnceValue`" + `, request services in a struct with lazy getters).
The request services are registered with ` + "`di.ProvideFunc`" + ` (typed
factories) except in the row marked "constructors", which uses ` + "`di.Provide`" + `
(constructor injection, called through reflection). dig and golobby are not
safe for concurrent resolution and have no request scopes; samber/do's child
scopes are used as request scopes (they stay referenced by their parent).
The parallel rows compare the same body run by 2 goroutines (GOMAXPROCS=2)
with 1 goroutine: "faster" is the speed-up of 2 goroutines. A speed-up needs
two idle cores; on a machine shared with other work (as when the figures
below were taken) none can show, and the row only shows that resolving
does not slow down under contention by more than the machine does.`,
	Run: func(r *report.Recorder) {
		r.Compare("singleton resolve: di vs hand-written",
			report.Goal{Text: "≤ 3× hand-written, 0 allocs", MaxSlowdown: 3, MaxAllocs: 0}, SingletonOurs, SingletonHand)
		r.Compare("singleton resolve from a scope: di vs hand-written",
			report.Goal{Text: "≤ 3× hand-written, 0 allocs", MaxSlowdown: 3, MaxAllocs: 0}, SingletonOursScope, SingletonHand)
		r.Compare("singleton resolve: di vs samber/do",
			report.Goal{Text: "≥ 20× faster", MaxSlowdown: 1.0 / 20, MaxAllocs: 0}, SingletonOurs, SingletonSamber)
		r.Compare("singleton resolve: di vs dig (Invoke)", report.NoGoal, SingletonOurs, SingletonDig)
		r.Compare("singleton resolve: di vs golobby", report.NoGoal, SingletonOurs, SingletonGolobby)
		r.Compare("scoped resolve, already created: di vs hand-written",
			report.Goal{Text: "0 allocs", MaxAllocs: 0}, ScopedOurs, ScopedHand)
		r.Compare("request (scope, 3 scoped services, close): di vs hand-written",
			report.Goal{Text: "≤ 2× hand-written", MaxSlowdown: 2, MaxAllocs: -1}, RequestOurs, RequestHand)
		r.Compare("request, constructors: di vs hand-written", report.NoGoal, RequestOursReflect, RequestHand)
		r.Compare("request: di vs samber/do child scope", report.NoGoal, RequestOurs, RequestSamber)
		r.Compare("parallel singleton resolve: di, 2 goroutines vs 1", report.NoGoal,
			parallelism(2, ParallelOurs), parallelism(1, ParallelOurs))
		r.Compare("parallel singleton resolve: samber/do, 2 goroutines vs 1", report.NoGoal,
			parallelism(2, ParallelSamber), parallelism(1, ParallelSamber))
	},
}
