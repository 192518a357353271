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
	// scoped lists the scoped registrations by slot.
	scoped  []*entry
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

var (
	_ Resolver = (*Container)(nil)
	_ Resolver = (*Scope)(nil)
	_ Resolver = (*frame)(nil)
	_ Resolver = (*slotRef)(nil)
)

// frame is one construction in progress. Frames link to the construction
// that needed them, so a chain can be checked for cycles and named in
// errors.
//
// A frame is either allocated for one construction (a heap frame), which is
// also the Resolver its factory gets, or is the frame of a slot of a
// scope's storage (a slot frame), whose factory gets the scope's slotRef for
// the slot instead. A Resolver used after its construction has returned
// resolves as its scope would, with a fresh chain.
type frame struct {
	// s is where the construction's dependencies are resolved, for a heap
	// frame; for a slot frame, the storage's self.
	s *Scope
	// parent is the construction that needed a heap frame's (a slot
	// frame's is given by its slot's state).
	parent *frame
	// eid is 1 + the id of the registration being constructed, for a heap
	// frame, or -(1 + the slot index) for a slot frame. It is set before
	// the frame is shared and never changes.
	eid int32
	// finished is set once a heap frame's construction has returned (a
	// slot frame's slot state says it).
	finished atomic.Bool
}

// slot returns the slot of a slot frame.
func (f *frame) slot() *slot { return &f.s.st.slots[-f.eid-1] }

// up returns the parent of the construction in progress in f, or nil.
func (f *frame) up() *frame {
	if f.eid > 0 {
		return f.parent
	}
	sl := f.slot()
	state := sl.state.Load()
	if !live(state) {
		return nil
	}
	switch code := state >> 2 & (1<<30 - 1); code {
	case codeTop:
		return nil
	case codeHeapParent:
		return sl.up.Load()
	default:
		return &f.s.st.slots[code-1].fr
	}
}

// done reports whether f's construction has returned.
func (f *frame) done() bool {
	if f.eid > 0 {
		return f.finished.Load()
	}
	return !live(f.slot().state.Load())
}

// entry returns the registration being constructed, or nil once done.
func (f *frame) entry() *entry {
	if f.done() {
		return nil
	}
	if f.eid > 0 {
		return f.s.st.c.entries[f.eid-1]
	}
	return f.s.st.c.scoped[-f.eid-1]
}

// waitRec is what a blocked goroutine waits for: a singleton entry or a
// scoped slot, whose current owner is read when needed.
type waitRec struct {
	e   *entry
	sl  *slot
	gen uint32 // of the waiting scope
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
	case *slotRef:
		s, parent = x.split()
	default:
		panic("di.Resolve: nil Resolver")
	}
	tid := typeID[T]()
	st := s.st
	t := st.table[(uint64(tid)*st.mult)>>st.shift]
	e := t.e
	if t.tid != tid {
		e = st.c.lookup(tid)
	}
	var zero T
	if e == nil {
		return zero, &DependencyError{Kind: ErrNotRegistered, Chain: chainOf(Link{Type: reflect.TypeFor[T]()}, parent)}
	}
	// A scoped service the scope already holds: no lock, no chain. Within
	// a construction in this scope, the scope is already held open;
	// otherwise it is held once for the read and, if needed, the
	// construction. (A panicking factory leaves it held: its storage is
	// then not reused, which is safe.)
	if i := e.slot; uint(i) < uint(len(st.slots)) {
		held := parent != nil && (parent.s == &st.self || parent.s == s)
		if !held && !s.enter() {
			return zero, ErrScopeClosed
		}
		sl := &s.st.slots[i]
		var v any
		var err error
		if sl.state.Load() == uint64(s.gen)<<32|slotDone {
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
		t, _ := v.(T) // v is a T, or nil for a nil interface or pointer
		return t, nil
	}
	// Fast path: a constructed singleton is one atomic load.
	if p := e.val.Load(); p != nil && !s.isClosed() {
		if v, ok := (*p).(T); ok {
			return v, nil
		}
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
	case *slotRef:
		return x.split()
	default:
		panic(fn + ": nil Resolver")
	}
}

// split returns the scope of r and, while the construction r stands for is
// in progress, its frame.
func (r *slotRef) split() (*Scope, *frame) {
	s := r.s
	sl := &s.st.slots[r.index()]
	if state := sl.state.Load(); state>>32 == uint64(s.gen) && live(state) {
		return s, &sl.fr
	}
	return s, nil
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
	if p := e.val.Load(); p != nil && !from.isClosed() {
		return *p, nil
	}
	if from.isClosed() {
		return nil, from.closedErr()
	}
	if c.root.isClosed() {
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
	if c.root.isClosed() {
		return nil, ErrContainerClosed
	}
	fr := newFrame(&c.root, e, parent)
	e.owner.Store(fr)
	defer e.owner.Store(nil)
	v, more, err := c.createHeap(e, &c.root, fr)
	if err != nil {
		return nil, err
	}
	if err := c.root.record(e, v, more); err != nil {
		return nil, err
	}
	e.val.Store(&v)
	return v, nil
}

func newFrame(s *Scope, e *entry, parent *frame) *frame {
	return &frame{s: s, parent: parent, eid: int32(e.id + 1)} //nolint:gosec // G115: entry ids are below the number of registrations
}

// rootOf returns the outermost frame of f's chain, or nil.
func rootOf(f *frame) *frame {
	if f == nil {
		return nil
	}
	for p := f.up(); p != nil; p = f.up() {
		f = p
	}
	return f
}

func inChain(f *frame, e *entry) bool {
	for ; f != nil; f = f.up() {
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
			o = w.sl.owner(w.gen)
		}
	}
	return false
}

// chainOf returns first followed by the registrations of the frames from
// f outwards.
func chainOf(first Link, f *frame) []Link {
	chain := []Link{first}
	for ; f != nil; f = f.up() {
		if e := f.entry(); e != nil {
			chain = append(chain, e.link())
		}
	}
	return chain
}

// create runs a registration's constructor, factory or instance, then its
// decorators, as construction fr in scope s; factories and decorators get
// res. more is nil unless decorators ran: then it lists what the
// construction created that needs disposal, in creation order (see
// entry.disposables).
func (c *Container) create(e *entry, s *Scope, fr *frame, res Resolver) (v any, more []any, err error) {
	r := e.reg
	switch r.kind {
	case kindInstance:
		v = r.instance
	case kindFactory:
		v, err = r.factory(res)
	case kindConstructor:
		v, err = construct(e, s, fr)
	}
	if err != nil {
		return nil, nil, wrapFactory(err, fr)
	}
	if len(e.decorators) == 0 {
		return v, nil, nil
	}
	return decorate(e, fr, res, v)
}

// decorate runs e's decorators on v, a new instance of e.
func decorate(e *entry, fr *frame, res Resolver, v any) (any, []any, error) {
	var d []any
	if !e.inst && e.disposable(v) {
		d = append(d, v)
	}
	for _, dec := range e.decorators {
		nv, err := dec.fn(v, res)
		if err != nil {
			return nil, nil, errors.Join(wrapFactory(err, fr), disposeNow(d))
		}
		if e.disposable(nv) && !sameValue(nv, v) {
			d = append(d, nv)
		}
		v = nv
	}
	return v, d, nil
}

// createHeap is create for a heap frame, which is also the Resolver: it
// marks the frame finished when the construction returns.
func (c *Container) createHeap(e *entry, s *Scope, fr *frame) (v any, more []any, err error) {
	defer fr.finished.Store(true)
	return c.create(e, s, fr, fr)
}

// wrapFactory names the chain of an error returned by user code, unless di
// already did.
func wrapFactory(err error, fr *frame) error {
	var de *DependencyError
	if errors.As(err, &de) || errors.Is(err, ErrScopeClosed) || errors.Is(err, ErrContainerClosed) {
		return err
	}
	return &DependencyError{Kind: ErrFactory, Chain: chainOf(fr.entry().link(), fr.up()), Err: err}
}

func construct(e *entry, s *Scope, fr *frame) (any, error) {
	var buf [4]reflect.Value
	args := buf[:0]
	for _, a := range e.args {
		if !a.isGrp {
			v, err := s.resolveEntry(a.one, fr)
			if err != nil {
				return nil, err
			}
			args = append(args, valueOf(v, a.typ))
			continue
		}
		sl := reflect.MakeSlice(a.typ, len(a.group), len(a.group))
		for i, g := range a.group {
			v, err := s.resolveEntry(g, fr)
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
func disposeNow(d []any) error {
	var errs []error
	for _, m := range slices.Backward(d) {
		errs = append(errs, dispose(context.Background(), m))
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
	if c.root.isClosed() {
		return nil
	}
	var buf [4]disposal
	all, ok := c.root.markClosed(buf[:0])
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
	return disposeAll(ctx, all)
}
