// Package di is a dependency-injection container with singleton, scoped and
// transient lifetimes, request scopes, and a graph that is validated as a
// whole before anything runs.
//
// # Registering and building
//
// Services are registered on a [Builder], then [Builder.Build] returns an
// immutable [Container]:
//
//	b := di.NewBuilder()
//	di.Instance(b, cfg)                                   // an existing value
//	di.Provide(b, NewDB, di.Singleton)                    // func(*Config) (*DB, error)
//	di.Provide(b, NewRepo, di.Scoped)                     // func(*DB) *Repo
//	di.ProvideFunc(b, func(r di.Resolver) (*Service, error) {
//		repo, err := di.Resolve[*Repo](r)
//		return &Service{repo}, err
//	}, di.Scoped)                                         // explicit factory
//	c, err := b.Build()
//
// [Provide] takes a constructor and reads its parameters by reflection once;
// [ProvideFunc] takes a typed factory and needs no reflection at all (it is
// the faster choice for services built on every request). [Keyed] registers
// a named variant, resolved with [ResolveKeyed]; every unkeyed registration
// of a type is returned by [ResolveAll], and a constructor parameter []E
// receives them all (a group). [Decorate] wraps every instance of a type.
// A later registration of the same type replaces an earlier one, which is
// how tests override services.
//
// Build checks the whole graph and reports every problem at once, joined:
// missing dependencies, cycles, and captive dependencies (a singleton that
// depends, directly or through transients, on a scoped service). Each
// problem is a *[DependencyError] that names the chain leading to it:
//
//	di: captive dependency: *app.Repo (scoped) ← *app.Service (singleton)
//
// # Resolving and scopes
//
// [Resolve] returns a service from the container or from a [Scope]. A
// scope holds the scoped services of one unit of work, usually one request;
// resolving a scoped service from the container itself is an error
// ([ErrScopedFromRoot]), never a silent singleton. [Scope.Close] disposes
// what the scope created (anything with Close() error or
// Close(context.Context) error) in reverse creation order, joining every
// error; [Container.Close] does the same for singletons. Scopes travel in a
// context.Context with [WithScope] and [ScopeFrom].
//
// # Performance
//
// A type's registration is found through its runtime type descriptor, which
// the compiler supplies to each instantiation of [Resolve], and a small
// hash table built once at Build: no map and no reflection per resolve. A
// constructed singleton is then one atomic load, with no allocation; a
// scoped service a scope already holds is read without a lock, also
// without allocation. [Container.NewScope] is one small allocation: the
// storage for instances is taken from scopes closed earlier (once nothing
// is resolving from them) and reset, so a closed scope leaves nothing
// behind and a busy server does not grow its heap with scopes.
//
// # Concurrency
//
// A [Container] and a [Scope] are safe for concurrent use by multiple
// goroutines. A singleton is constructed exactly once however many
// goroutines ask for it at the same time: construction is serialised per
// registration, never under a container-wide lock, so a factory may resolve
// other services (even ones another goroutine is constructing) without
// deadlock. Once constructed, a singleton is read without locking. The same
// holds for a scoped service within one scope. If a construction fails,
// or its factory panics (the panic goes on to the caller), nothing is kept,
// goroutines waiting for it go on, and the next resolve tries again. [Scope.Close] may run
// while other goroutines resolve from the scope: they get [ErrScopeClosed],
// and what they construct after Close began is disposed at once.
//
// Dependencies that factories resolve at run time are invisible to Build;
// a cycle among them is detected when it happens, including a cycle that
// spans goroutines (each waiting for a service the other is constructing),
// and reported as [ErrCycle] instead of a deadlock.
//
// A [Builder] is not safe for concurrent use. The Resolver given to a
// factory or decorator is meant for the duration of that call; kept and
// used later, it resolves from the factory's scope (failing with
// [ErrScopeClosed] once that scope is closed), never from another.
package di
