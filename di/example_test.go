package di_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/dext-go/dext/di"
)

type Clock struct{ Now string }

type Store struct{ name string }

func (s *Store) Close() error {
	fmt.Println("close", s.name)
	return nil
}

type Orders struct{ store *Store }

func NewOrders(s *Store) *Orders { return &Orders{store: s} }

func Example() {
	b := di.NewBuilder()
	di.Instance(b, &Clock{Now: "noon"})
	di.ProvideFunc(b, func(di.Resolver) (*Store, error) { return &Store{name: "request store"}, nil }, di.Scoped)
	di.Provide(b, NewOrders, di.Scoped)
	c, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close(context.Background())

	scope := c.NewScope()
	orders := di.MustResolve[*Orders](scope)
	fmt.Println("orders use", orders.store.name, "at", di.MustResolve[*Clock](scope).Now)
	if err := scope.Close(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// orders use request store at noon
	// close request store
}

// A web application opens one scope per request in a middleware, puts it in
// the request's context, and closes it when the request ends.
func Example_requestScope() {
	b := di.NewBuilder()
	var next int
	di.ProvideFunc(b, func(di.Resolver) (*Store, error) {
		next++
		return &Store{name: fmt.Sprintf("store #%d", next)}, nil
	}, di.Scoped)
	di.Provide(b, NewOrders, di.Scoped)
	c, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close(context.Background())

	withScope := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			scope := c.NewScope()
			defer func() {
				if err := scope.Close(r.Context()); err != nil {
					fmt.Println("dispose:", err)
				}
			}()
			h.ServeHTTP(w, r.WithContext(di.WithScope(r.Context(), scope)))
		})
	}
	handler := withScope(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scope, _ := di.ScopeFrom(r.Context())
		orders, err := di.Resolve[*Orders](scope)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		same := di.MustResolve[*Store](scope) == orders.store
		fmt.Fprintf(w, "%s (shared within the request: %v)", orders.store.name, same)
	}))

	for range 2 {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders", nil))
		body, _ := io.ReadAll(rec.Result().Body)
		fmt.Println(string(body))
	}
	// Output:
	// close store #1
	// store #1 (shared within the request: true)
	// close store #2
	// store #2 (shared within the request: true)
}

func ExampleBuilder_Build_errors() {
	type Repo struct{}
	type Service struct{}
	b := di.NewBuilder()
	di.ProvideFunc(b, func(di.Resolver) (*Repo, error) { return &Repo{}, nil }, di.Scoped)
	di.Provide(b, func(*Repo) *Service { return &Service{} }, di.Singleton)
	di.Provide(b, func(*Clock) *Orders { return nil }, di.Transient)
	_, err := b.Build()
	fmt.Println(err)
	fmt.Println(errors.Is(err, di.ErrCaptiveDependency), errors.Is(err, di.ErrMissingDependency))
	// Output:
	// di: missing dependency: *di_test.Clock (not registered) ← *di_test.Orders (transient)
	// di: captive dependency: *di_test.Repo (scoped) ← *di_test.Service (singleton)
	// true true
}

func ExampleResolveAll() {
	b := di.NewBuilder()
	di.Instance(b, "first")
	di.Instance(b, "second")
	c, _ := b.Build()
	all, _ := di.ResolveAll[string](c)
	one, _ := di.Resolve[string](c)
	fmt.Println(all, one)
	// Output: [first second] second
}

func ExampleKeyed() {
	type DB struct{ dsn string }
	b := di.NewBuilder()
	di.Instance(b, &DB{"primary.db"}, di.Keyed("primary"))
	di.Instance(b, &DB{"replica.db"}, di.Keyed("replica"))
	c, _ := b.Build()
	db, _ := di.ResolveKeyed[*DB](c, "replica")
	fmt.Println(db.dsn)
	// Output: replica.db
}

func ExampleDecorate() {
	type Logger struct{ prefix string }
	b := di.NewBuilder()
	di.Instance(b, &Logger{prefix: "app"})
	di.Decorate(b, func(l *Logger, _ di.Resolver) (*Logger, error) {
		return &Logger{prefix: l.prefix + "/decorated"}, nil
	})
	c, _ := b.Build()
	fmt.Println(di.MustResolve[*Logger](c).prefix)
	// Output: app/decorated
}
