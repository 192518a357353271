package di

import (
	"context"
	"errors"
	"io"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
)

// Container is a built, validated set of registrations. It resolves
// singletons and transients, creates [Scope]s for scoped services, and
// disposes the singletons it created when closed.
//
// A Container is immutable and safe for concurrent use by multiple
// goroutines. Its zero value is not usable: get one from [Builder.Build].
type Container struct {
	// root is the container's own scope: it owns singletons and the
	// transients resolved directly from the container, and refuses scoped
	// services.
	root Scope

	entries []*entry
	table   []tslot
	mult    uint64
	shift   uint
	keyed   map[keyID]*entry
	groups  map[uintptr][]*entry
	nScoped int
	// states recycles the storage of closed scopes.
	states sync.Pool
}

// Resolver resolves services: a *[Container], a *[Scope], or the Resolver
// that factories and decorators are given.
type Resolver interface {
	isResolver()
}

func (*Container) isResolver() {}
func (*Scope) isResolver()     {}
func (*frame) isResolver()     {}

// frame is one construction in progress: the Resolver a factory receives.
// Frames link to the construction that needed them, so a chain can be
// checked for cycles and named in errors.
type frame struct {
	s *Scope // where the construction's dependencies are resolved
	// eid is 1 + the id of the registration being constructed (0 for an
	// inline frame not used yet). It is set before the frame is shared
	// (given to the factory or published as a slot's owner) and never
	// changes: a frame serves one construction.
	eid int32
	// finished is set once the construction has returned. A frame used
	// after that resolves as its scope would, with a fresh chain.
	finished atomic.Bool
	parent   *frame
}

func (f *frame) done() bool { return f.finished.Load() }

// entry returns the registration being constructed, or nil once done.
func (f *frame) entry() *entry {
	if f.finished.Load() {
		return nil
	}
	return f.s.st.c.entries[f.eid-1]
}

// waitRec is what a blocked goroutine waits for: a singleton entry or a
// scoped slot, whose current owner is read when needed.
type waitRec struct {
	e  *entry
	sl *slot // slot i of scope s
	s  *Scope
	i  int
}

// waits records, for each goroutine blocked on a construction that another
// goroutine runs, what it waits for, keyed by the outermost frame of its
// resolution; the wait-for check follows these records. Only blocking
// resolves touch it.
var waits struct {
	sync.Mutex
	m map[*frame]waitRec
}

func setWait(root *frame, w waitRec) {
	waits.Lock()
	if waits.m == nil {
		waits.m = make(map[*frame]waitRec)
	}
	waits.m[root] = w
	waits.Unlock()
}

func clearWait(root *frame) {
	waits.Lock()
	delete(waits.m, root)
	waits.Unlock()
}

func waitOf(root *frame) (waitRec, bool) {
	waits.Lock()
	w, ok := waits.m[root]
	waits.Unlock()
	return w, ok
}

var (
	_ Resolver = (*Container)(nil)
	_ Resolver = (*Scope)(nil)
)

// Resolve returns the registered T, constructing it if its lifetime
// requires. r is a *[Container], a *[Scope], or the Resolver given to a
// factory.
//
// Errors wrap [ErrNotRegistered], [ErrScopedFromRoot],
// [ErrCaptiveDependency], [ErrCycle], [ErrScopeClosed],
// [ErrContainerClosed] or [ErrFactory]; errors.As with a *[DependencyError]
// gives the chain.
func Resolve[T any](r Resolver) (T, error) {
	var s *Scope
	var parent *frame
	switch x := r.(type) {
	case *Scope:
		s = x
	case *Container:
		s = &x.root
	case *frame:
		s = x.s
		if !x.done() {
			parent = x
		}
	default:
		panic("di.Resolve: nil Resolver")
	}
	tid := typeID[T]()
	c := s.st.c
	t := c.table[(uint64(tid)*c.mult)>>c.shift]
	e := t.e
	if t.tid != tid {
		e = c.lookup(tid)
	}
	var zero T
	if e == nil {
		return zero, &DependencyError{Kind: ErrNotRegistered, Chain: chainOf(Link{Type: reflect.TypeFor[T]()}, parent)}
	}
	// Fast path: a constructed singleton is one atomic load.
	if p := e.val.Load(); p != nil && !s.closed.Load() {
		if v, ok := (*p).(T); ok {
			return v, nil
		}
	}
	// A scoped service the scope already holds: no lock, no chain. Within
	// a construction in this scope, the scope is already held open;
	// otherwise it is held once for the read and, if needed, the
	// construction. (A panicking factory leaves it held: its storage is
	// then not reused, which is safe.)
	if i := e.slot; uint(i) < inlineSlots && !s.isRoot() {
		held := parent != nil && parent.s == s
		if !held && !s.enter() {
			return zero, ErrScopeClosed
		}
		st := s.st
		sl := &st.slots[i]
		var v any
		var err error
		if sl.state.Load() == st.gen<<2|slotDone {
			v = sl.v
		} else {
			v, err = s.scopedHeld(e, parent)
		}
		if !held {
			s.leave()
		}
		if err != nil {
			return zero, err
		}
		t, _ := v.(T)
		return t, nil
	}
	v, err := s.resolveEntry(e, parent)
	if err != nil {
		return zero, err
	}
	v2, _ := v.(T) // v is a T, or nil for a nil interface or pointer
	return v2, nil
}

// MustResolve is like [Resolve] but panics if resolution fails. Use it where
// failure is a programming error, such as in main after a successful Build.
func MustResolve[T any](r Resolver) T {
	t, err := Resolve[T](r)
	if err != nil {
		panic("di.MustResolve: " + err.Error())
	}
	return t
}

// ResolveKeyed returns the T registered with [Keyed](key).
func ResolveKeyed[T any](r Resolver, key string) (T, error) {
	s, parent := split(r, "di.ResolveKeyed")
	e := s.st.c.keyed[keyID{typeID[T](), key}]
	var zero T
	if e == nil {
		return zero, &DependencyError{Kind: ErrNotRegistered, Chain: chainOf(Link{Type: reflect.TypeFor[T](), Key: key}, parent)}
	}
	v, err := s.resolveEntry(e, parent)
	if err != nil {
		return zero, err
	}
	t, _ := v.(T)
	return t, nil
}

// ResolveAll returns an instance of every unkeyed registration of T, in
// registration order (overridden ones included), each with its own
// lifetime. It returns an empty slice when T has no registration.
func ResolveAll[T any](r Resolver) ([]T, error) {
	s, parent := split(r, "di.ResolveAll")
	group := s.st.c.groups[typeID[T]()]
	out := make([]T, 0, len(group))
	for _, e := range group {
		v, err := s.resolveEntry(e, parent)
		if err != nil {
			return nil, err
		}
		t, _ := v.(T)
		out = append(out, t)
	}
	return out, nil
}

// split returns the scope to resolve in and the frame (nil outside a
// construction) of a Resolver.
func split(r Resolver, fn string) (*Scope, *frame) {
	switch x := r.(type) {
	case *Scope:
		return x, nil
	case *Container:
		return &x.root, nil
	case *frame:
		if x.done() {
			return x.s, nil
		}
		return x.s, x
	default:
		panic(fn + ": nil Resolver")
	}
}

// resolveEntry resolves one registration in scope s, as part of the
// construction parent (nil at top level).
func (s *Scope) resolveEntry(e *entry, parent *frame) (any, error) {
	switch e.lifetime {
	case Singleton:
		return s.st.c.singleton(e, parent, s)
	case Scoped:
		return s.scoped(e, parent)
	default:
		return s.transient(e, parent)
	}
}

// closedErr is the error for resolving from s after it was closed.
func (s *Scope) closedErr() error {
	if s.isRoot() {
		return ErrContainerClosed
	}
	return ErrScopeClosed
}

func (c *Container) singleton(e *entry, parent *frame, from *Scope) (any, error) {
	if p := e.val.Load(); p != nil && !from.closed.Load() {
		return *p, nil
	}
	if from.closed.Load() {
		return nil, from.closedErr()
	}
	if c.root.closed.Load() {
		return nil, ErrContainerClosed
	}
	if inChain(parent, e) {
		return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
	}
	root := rootOf(parent)
	if !e.mu.TryLock() {
		if root != nil {
			// Another goroutine is constructing e. If it is (transitively)
			// waiting for something this goroutine's chain is constructing,
			// waiting would deadlock: it is a cycle through factories.
			setWait(root, waitRec{e: e})
			if o := e.owner.Load(); o != nil && waitsFor(o, root) {
				clearWait(root)
				return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
			}
		}
		e.mu.Lock()
		if root != nil {
			clearWait(root)
		}
	}
	defer e.mu.Unlock()
	if p := e.val.Load(); p != nil {
		return *p, nil
	}
	if c.root.closed.Load() {
		return nil, ErrContainerClosed
	}
	fr := newFrame(&c.root, e, parent)
	e.owner.Store(fr)
	defer e.owner.Store(nil)
	b, err := c.create(e, fr)
	if err != nil {
		return nil, err
	}
	if err := c.root.record(b); err != nil {
		return nil, err
	}
	v := b.v
	e.val.Store(&v)
	return v, nil
}

func newFrame(s *Scope, e *entry, parent *frame) *frame {
	f := new(frame)
	f.init(s, e, parent)
	return f
}

func (f *frame) init(s *Scope, e *entry, parent *frame) {
	if f.s == nil {
		f.s = s
	}
	if parent != nil {
		f.parent = parent
	}
	f.eid = int32(e.id + 1) //nolint:gosec // G115: entry ids are below the number of registrations
}

// rootOf returns the outermost frame of f's chain, or nil.
func rootOf(f *frame) *frame {
	if f == nil {
		return nil
	}
	for f.parent != nil {
		f = f.parent
	}
	return f
}

func inChain(f *frame, e *entry) bool {
	for ; f != nil; f = f.parent {
		if f.entry() == e {
			return true
		}
	}
	return false
}

// waitsFor reports whether the goroutine running construction o is,
// directly or through others, waiting for the goroutine whose outermost
// frame is me.
func waitsFor(o, me *frame) bool {
	for range 1 << 16 {
		if o == nil || o.done() {
			return false
		}
		r := rootOf(o)
		if r == me {
			return true
		}
		w, ok := waitOf(r)
		switch {
		case !ok:
			return false
		case w.e != nil:
			o = w.e.owner.Load()
		default:
			o = slotOwner(w.s, w.sl, w.i)
		}
	}
	return false
}

// chainOf returns first followed by the registrations of the frames from
// f outwards.
func chainOf(first Link, f *frame) []Link {
	chain := []Link{first}
	for ; f != nil; f = f.parent {
		if e := f.entry(); e != nil {
			chain = append(chain, e.link())
		}
	}
	return chain
}

// built is what a construction produced: the value, and what it created
// that needs disposal (d first, then more, in creation order).
type built struct {
	v    any
	d    any
	more []any
}

// create runs a registration's constructor, factory or instance, then its
// decorators.
func (c *Container) create(e *entry, fr *frame) (b built, err error) {
	defer fr.finished.Store(true)
	r := e.reg
	switch r.kind {
	case kindInstance:
		b.v = r.instance
	case kindFactory:
		b.v, err = r.factory(fr)
	case kindConstructor:
		b.v, err = c.construct(e, fr)
	}
	if err != nil {
		return built{}, wrapFactory(err, fr)
	}
	if r.kind != kindInstance && e.disposable(b.v) {
		b.d = b.v
	}
	for _, dec := range e.decorators {
		nv, err := dec.fn(b.v, fr)
		if err != nil {
			return built{}, errors.Join(wrapFactory(err, fr), b.disposeNow())
		}
		if e.disposable(nv) && !sameValue(nv, b.v) {
			if b.d == nil {
				b.d = nv
			} else {
				b.more = append(b.more, nv)
			}
		}
		b.v = nv
	}
	return b, nil
}

// wrapFactory names the chain of an error returned by user code, unless di
// already did.
func wrapFactory(err error, fr *frame) error {
	var de *DependencyError
	if errors.As(err, &de) || errors.Is(err, ErrScopeClosed) || errors.Is(err, ErrContainerClosed) {
		return err
	}
	return &DependencyError{Kind: ErrFactory, Chain: chainOf(fr.entry().link(), fr.parent), Err: err}
}

func (c *Container) construct(e *entry, fr *frame) (any, error) {
	var buf [4]reflect.Value
	args := buf[:0]
	for _, a := range e.args {
		if !a.isGrp {
			v, err := fr.s.resolveEntry(a.one, fr)
			if err != nil {
				return nil, err
			}
			args = append(args, valueOf(v, a.typ))
			continue
		}
		sl := reflect.MakeSlice(a.typ, len(a.group), len(a.group))
		for i, g := range a.group {
			v, err := fr.s.resolveEntry(g, fr)
			if err != nil {
				return nil, err
			}
			sl.Index(i).Set(valueOf(v, a.typ.Elem()))
		}
		args = append(args, sl)
	}
	out := e.reg.fn.Call(args)
	if e.reg.fnErr && !out[1].IsNil() {
		err, _ := reflect.TypeAssert[error](out[1])
		return nil, err
	}
	return out[0].Interface(), nil
}

func valueOf(v any, t reflect.Type) reflect.Value {
	if v == nil {
		return reflect.Zero(t)
	}
	return reflect.ValueOf(v)
}

// ctxCloser is the disposal interface that takes a context.
type ctxCloser interface {
	Close(context.Context) error
}

func isDisposable(v any) bool {
	switch v.(type) {
	case io.Closer, ctxCloser:
		return true
	}
	return false
}

// sameValue reports whether a and b are the same value, without panicking
// on incomparable types.
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) || !ta.Comparable() {
		return false
	}
	return a == b
}

func dispose(ctx context.Context, v any) error {
	switch x := v.(type) {
	case ctxCloser:
		return x.Close(ctx)
	case io.Closer:
		return x.Close()
	}
	return nil
}

// disposeNow disposes what a construction created that can no longer be
// kept (its scope closed, or a later decorator failed), newest first.
func (b built) disposeNow() error {
	var errs []error
	for _, m := range slices.Backward(b.more) {
		errs = append(errs, dispose(context.Background(), m))
	}
	if b.d != nil {
		errs = append(errs, dispose(context.Background(), b.d))
	}
	return errors.Join(errs...)
}

// Close disposes the singletons (and the transients resolved directly from
// the container) that the container created and that implement io.Closer
// or Close(context.Context) error, in reverse creation order, and returns
// every error, joined. Instances registered with [Instance] are not
// disposed. Resolving from the container afterwards returns
// [ErrContainerClosed]. Scopes are not closed: close them first. Closing a
// closed container does nothing and returns nil.
func (c *Container) Close(ctx context.Context) error {
	if c.root.closed.Load() {
		return nil
	}
	disp, ok := c.root.markClosed()
	if !ok {
		return nil
	}
	// Wait for constructions in progress and forget every singleton, so
	// that scopes still open cannot resolve a disposed one.
	for _, e := range c.entries {
		if e.lifetime == Singleton {
			e.mu.Lock()
			e.val.Store(nil)
			e.mu.Unlock()
		}
	}
	return disposeAll(ctx, disp)
}
