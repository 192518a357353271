package di

import "fmt"

// Lifetime says how long a resolved instance lives and who shares it.
type Lifetime uint8

const (
	// Singleton means one instance for the container, created on first use and
	// shared by every scope; disposed by [Container.Close].
	Singleton Lifetime = iota + 1
	// Scoped means one instance per [Scope], created on first use in that scope
	// and disposed by [Scope.Close]. Resolving it from the container itself
	// is an error ([ErrScopedFromRoot]).
	Scoped
	// Transient means a new instance every time it is resolved. A transient that
	// needs disposal is disposed with the scope (or container) that created it.
	Transient
)

func (l Lifetime) String() string {
	switch l {
	case Singleton:
		return "singleton"
	case Scoped:
		return "scoped"
	case Transient:
		return "transient"
	default:
		return fmt.Sprintf("Lifetime(%d)", uint8(l))
	}
}

func (l Lifetime) valid() bool { return l >= Singleton && l <= Transient }

// Option modifies one registration.
type Option interface{ apply(*regOptions) }

type regOptions struct {
	key   string
	keyed bool
}

type keyedOption string

func (k keyedOption) apply(o *regOptions) { o.key, o.keyed = string(k), true }

// Keyed registers the service under key. A keyed registration is resolved
// only by [ResolveKeyed] with the same type and key; it does not replace, and
// is not part of, the type's unkeyed registrations.
func Keyed(key string) Option { return keyedOption(key) }
