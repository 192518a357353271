package di

import (
	"fmt"
	"reflect"
	"runtime"
)

// Builder collects registrations and builds a [Container] from them.
//
// The zero value is not ready to use: call [NewBuilder]. A Builder is not
// safe for concurrent use; it is meant to be filled by one goroutine at
// start-up. It may be built more than once: each [Builder.Build] returns an
// independent container.
type Builder struct {
	regs       []*registration
	decorators map[uintptr][]decorator
	problems   []error
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{decorators: make(map[uintptr][]decorator)}
}

type regKind uint8

const (
	kindConstructor regKind = iota + 1
	kindFactory
	kindInstance
)

// registration is one Provide, ProvideFunc or Instance call.
type registration struct {
	typ      reflect.Type
	tid      uintptr
	lifetime Lifetime
	key      string
	keyed    bool
	kind     regKind
	order    int
	site     string // file:line of the registering call

	// kindConstructor
	fn     reflect.Value
	fnErr  bool // fn returns (T, error)
	params []param

	// kindFactory
	factory func(Resolver) (any, error)

	// kindInstance
	instance any
}

// param is one constructor parameter.
type param struct {
	typ reflect.Type
	tid uintptr
	// elem and elemTID are set when typ is a slice: if typ itself has no
	// registration, the parameter receives every registration of elem (a
	// group), possibly none.
	elem    reflect.Type
	elemTID uintptr
}

type decorator struct {
	fn   func(any, Resolver) (any, error)
	site string
}

var errorType = reflect.TypeFor[error]()

// Provide registers a constructor: a function whose parameters are its
// dependencies and whose result is the service, func(A, B, …) T or
// func(A, B, …) (T, error). The parameters are read by reflection once, and
// checked by [Builder.Build]; the function is called through reflection, so
// for services created on every request [ProvideFunc] is faster.
//
// A parameter of slice type []E that has no registration of its own receives
// every unkeyed registration of E, in registration order (a group).
//
// A later registration of the same type (and key) replaces an earlier one
// for [Resolve] and for other constructors' parameters; [ResolveAll] still
// returns both.
func Provide(b *Builder, constructor any, lifetime Lifetime, opts ...Option) {
	site := caller(2)
	fn := reflect.ValueOf(constructor)
	if !fn.IsValid() || fn.Kind() != reflect.Func || fn.IsNil() {
		b.problems = append(b.problems, fmt.Errorf("%w: %s: Provide needs a function, got %T", ErrInvalidRegistration, site, constructor))
		return
	}
	ft := fn.Type()
	if ft.IsVariadic() {
		b.problems = append(b.problems, fmt.Errorf("%w: %s: constructor %s is variadic", ErrInvalidRegistration, site, ft))
		return
	}
	switch {
	case ft.NumOut() == 1 && ft.Out(0) != errorType:
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
	default:
		b.problems = append(b.problems, fmt.Errorf("%w: %s: constructor %s must return T or (T, error)", ErrInvalidRegistration, site, ft))
		return
	}
	r := b.newReg(ft.Out(0), lifetime, site, opts)
	if r == nil {
		return
	}
	r.kind = kindConstructor
	r.fn = fn
	r.fnErr = ft.NumOut() == 2
	for t := range ft.Ins() {
		p := param{typ: t, tid: typeIDOf(t)}
		if t.Kind() == reflect.Slice {
			p.elem, p.elemTID = t.Elem(), typeIDOf(t.Elem())
		}
		r.params = append(r.params, p)
	}
}

// ProvideFunc registers an explicit factory for T. The factory resolves what
// it needs from the [Resolver] it is given; those dependencies are not known
// to [Builder.Build], so they are checked when the factory runs (a missing
// service, a cycle or a captive dependency is then a resolve error, never a
// deadlock). This is the fastest way to create services: no reflection.
//
// The Resolver passed to the factory resolves in the right place for the
// lifetime (the container for a singleton, the scope for a scoped or
// transient service) and tracks the chain for cycle detection; keep using it
// only during the call.
func ProvideFunc[T any](b *Builder, factory func(Resolver) (T, error), lifetime Lifetime, opts ...Option) {
	site := caller(2)
	if factory == nil {
		b.problems = append(b.problems, fmt.Errorf("%w: %s: nil factory for %s", ErrInvalidRegistration, site, reflect.TypeFor[T]()))
		return
	}
	r := b.newReg(reflect.TypeFor[T](), lifetime, site, opts)
	if r == nil {
		return
	}
	r.kind = kindFactory
	r.factory = func(res Resolver) (any, error) {
		v, err := factory(res)
		return v, err
	}
}

// Instance registers an existing value as a singleton. The container does
// not dispose it: its owner does.
func Instance[T any](b *Builder, value T, opts ...Option) {
	r := b.newReg(reflect.TypeFor[T](), Singleton, caller(2), opts)
	r.kind = kindInstance
	r.instance = value
}

// Decorate registers a decorator for T: every instance of T (each
// registration, keyed or not) is passed through it after construction, and
// what it returns is what is resolved and cached. Decorators run in the order
// they were registered, with the lifetime of the decorated registration; the
// Resolver they get works as in [ProvideFunc].
func Decorate[T any](b *Builder, decorate func(T, Resolver) (T, error)) {
	site := caller(2)
	if decorate == nil {
		b.problems = append(b.problems, fmt.Errorf("%w: %s: nil decorator for %s", ErrInvalidRegistration, site, reflect.TypeFor[T]()))
		return
	}
	tid := typeID[T]()
	b.decorators[tid] = append(b.decorators[tid], decorator{site: site, fn: func(v any, r Resolver) (any, error) {
		t, _ := v.(T) // v is nil or a T
		nv, err := decorate(t, r)
		return nv, err
	}})
}

func (b *Builder) newReg(t reflect.Type, lifetime Lifetime, site string, opts []Option) *registration {
	if !lifetime.valid() {
		b.problems = append(b.problems, fmt.Errorf("%w: %s: %s has invalid lifetime %d", ErrInvalidRegistration, site, t, uint8(lifetime)))
		return nil
	}
	var o regOptions
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	r := &registration{
		typ: t, tid: typeIDOf(t), lifetime: lifetime,
		key: o.key, keyed: o.keyed, order: len(b.regs), site: site,
	}
	b.regs = append(b.regs, r)
	return r
}

func caller(skip int) string {
	_, file, line, ok := runtime.Caller(skip)
	if !ok {
		return "?"
	}
	for i := len(file) - 1; i >= 0; i-- {
		if file[i] == '/' {
			if j := lastSlash(file[:i]); j >= 0 {
				file = file[j+1:]
			}
			break
		}
	}
	return fmt.Sprintf("%s:%d", file, line)
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
