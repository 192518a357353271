package di

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Sentinel errors. Every error that di returns wraps one of them, so callers
// test with errors.Is; errors.As with a *[DependencyError] gives the chain of
// registrations that led to the problem.
var (
	// ErrMissingDependency: a constructor needs a type that has no registration.
	ErrMissingDependency = errors.New("di: missing dependency")
	// ErrCycle: a service depends, directly or not, on itself.
	ErrCycle = errors.New("di: dependency cycle")
	// ErrCaptiveDependency: a singleton depends, directly or through
	// transients, on a scoped service, which would outlive its scope.
	ErrCaptiveDependency = errors.New("di: captive dependency")
	// ErrScopedFromRoot: a scoped service was resolved from the container
	// itself (or from a transient resolved there) rather than from a [Scope].
	ErrScopedFromRoot = errors.New("di: scoped service resolved from the root container")
	// ErrNotRegistered: the resolved type (or type and key) has no registration.
	ErrNotRegistered = errors.New("di: not registered")
	// ErrScopeClosed: the scope was closed before or while resolving.
	ErrScopeClosed = errors.New("di: scope closed")
	// ErrContainerClosed: the container was closed before or while resolving.
	ErrContainerClosed = errors.New("di: container closed")
	// ErrFactory: a constructor, factory or decorator returned an error (the
	// error also wraps what the function returned) or a nil value for a
	// non-nillable type.
	ErrFactory = errors.New("di: factory failed")
	// ErrInvalidRegistration: a registration given to the [Builder] cannot be
	// used (a constructor that is not a function, returns nothing, …).
	ErrInvalidRegistration = errors.New("di: invalid registration")
)

// Link is one registration in the chain of a [DependencyError].
type Link struct {
	// Type is the registered (or requested) type.
	Type reflect.Type
	// Key is the registration's key; empty when it is not keyed.
	Key string
	// Lifetime is the registration's lifetime; zero when the type has no
	// registration.
	Lifetime Lifetime
}

func (l Link) String() string {
	var b strings.Builder
	b.WriteString(typeName(l.Type))
	if l.Key != "" {
		fmt.Fprintf(&b, "[%q]", l.Key)
	}
	if l.Lifetime == 0 {
		b.WriteString(" (not registered)")
	} else {
		fmt.Fprintf(&b, " (%s)", l.Lifetime)
	}
	return b.String()
}

// DependencyError reports a problem with one service together with the chain
// of registrations that leads to it: Chain[0] is the service with the
// problem, Chain[1] the one that depends on it, and so on outwards, as in
// "*Repo (scoped) ← *Service (singleton)". For a cycle, the chain starts and
// ends with the same registration.
//
// It unwraps to one of the sentinel errors (Kind) and, for a failed factory,
// to the error the factory returned (Err).
type DependencyError struct {
	Kind  error
	Chain []Link
	Err   error
}

func (e *DependencyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	b.WriteString(": ")
	for i, l := range e.Chain {
		if i > 0 {
			b.WriteString(" ← ")
		}
		b.WriteString(l.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and, when set, Err.
func (e *DependencyError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// typeName renders a type the way Go source spells it, package-qualified by
// the last element of the package path (*app.Repo, []app.Handler).
func typeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}
