package di

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
)

// Scope holds the scoped services of one unit of work (typically one
// request) and the disposable transients resolved in it. Get one from
// [Container.NewScope]; resolve from it with [Resolve]; end it with
// [Scope.Close].
//
// A Scope is safe for concurrent use by multiple goroutines: goroutines that
// resolve the same scoped service at the same time get the same instance,
// constructed once. Scopes are independent of each other and the container
// keeps no reference to them.
type Scope struct {
	c *Container
	// st holds the scope's instances. After Close, once no resolve is in
	// progress, it is reset and reused by another scope; s.st is only
	// read between enter and leave, which fail once closed is set.
	st     *scopeState
	isRoot bool
	// closing is set by the first Close; closed is set, under st.mu, once
	// Close has begun.
	closing atomic.Bool
	closed  atomic.Bool
	// active counts the resolves in progress that use st.
	active atomic.Int32

	// frames are the frames of the first construction of the inline
	// slots. They live in the Scope, not in st, because factories may keep
	// them (as the Resolver they were given) after the scope is closed.
	frames [inlineSlots]frame
}

const (
	inlineSlots = 4
	inlineDisp  = 2
)

// scopeState is the reusable part of a Scope.
type scopeState struct {
	// slots holds the first scoped services (by entry.slot); big the others.
	slots [inlineSlots]slot
	big   atomic.Pointer[[]slot]
	// waiters counts goroutines blocked in mu.cond; a construction that
	// ends wakes them only when it is not zero.
	waiters atomic.Int32

	// mu guards disp and cond, and orders Close with recording.
	mu struct {
		sync.Mutex
		// disp lists what the scope created that needs disposal, in
		// creation order; it starts in inline.
		disp   []any
		inline [inlineDisp]any
		// cond, created on first need, wakes goroutines waiting for a
		// scoped instance another goroutine is constructing.
		cond *sync.Cond
	}
}

// slot holds one scoped service of one scope.
type slot struct {
	// state is slotEmpty, slotClaimed (a construction is being set up),
	// slotBuilding (owner is constructing it) or slotDone (v is published
	// and never changes again until the storage is reused).
	state atomic.Uint32
	owner atomic.Pointer[frame]
	v     any
}

const (
	slotEmpty uint32 = iota
	slotClaimed
	slotBuilding
	slotDone
)

func (sl *slot) reset() {
	if sl.state.Load() != slotEmpty {
		sl.state.Store(slotEmpty)
		sl.v = nil
	}
}

func newState() *scopeState {
	st := new(scopeState)
	st.mu.disp = st.mu.inline[:0]
	return st
}

// reset empties a state for reuse; nothing else references it.
func (st *scopeState) reset() {
	for i := range st.slots {
		st.slots[i].reset()
	}
	if big := st.big.Load(); big != nil {
		for i := range *big {
			(*big)[i].reset()
		}
	}
	clear(st.mu.inline[:])
	st.mu.disp = st.mu.inline[:0]
}

// slot returns the slot of scoped index i.
func (st *scopeState) slot(i, nScoped int) *slot {
	if i < inlineSlots {
		return &st.slots[i]
	}
	p := st.big.Load()
	if p == nil {
		n := make([]slot, nScoped-inlineSlots)
		if st.big.CompareAndSwap(nil, &n) {
			p = &n
		} else {
			p = st.big.Load()
		}
	}
	return &(*p)[i-inlineSlots]
}

// NewScope returns a new, empty scope. It costs one small allocation; the
// storage for its instances is reused from closed scopes.
func (c *Container) NewScope() *Scope {
	s := &Scope{c: c}
	if st, ok := c.states.Get().(*scopeState); ok {
		s.st = st
	} else {
		s.st = newState()
	}
	return s
}

// enter registers a resolve that uses s.st; it fails once s is closed.
func (s *Scope) enter() bool {
	s.active.Add(1)
	if s.closed.Load() {
		s.active.Add(-1)
		return false
	}
	return true
}

func (s *Scope) leave() { s.active.Add(-1) }

func (s *Scope) scoped(e *entry, parent *frame) (any, error) {
	if s.isRoot {
		kind := ErrScopedFromRoot
		for f := parent; f != nil; f = f.parent {
			if fe := f.entry(); fe != nil && fe.lifetime == Singleton {
				kind = ErrCaptiveDependency
				break
			}
		}
		return nil, &DependencyError{Kind: kind, Chain: chainOf(e.link(), parent)}
	}
	// A construction in this scope already holds it open.
	if parent == nil || parent.s != s {
		if !s.enter() {
			return nil, ErrScopeClosed
		}
		defer s.leave()
	}
	st := s.st
	sl := st.slot(e.slot, s.c.nScoped)
	for {
		if s.closed.Load() {
			return nil, ErrScopeClosed
		}
		switch sl.state.Load() {
		case slotDone:
			return sl.v, nil
		case slotClaimed, slotBuilding:
			if err := s.waitSlot(sl, e, parent); err != nil {
				return nil, err
			}
			continue
		}
		if inChain(parent, e) {
			return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
		}
		if !sl.state.CompareAndSwap(slotEmpty, slotClaimed) {
			continue
		}
		// This goroutine owns the slot: set up the frame, then publish it
		// as the owner for the wait-for check.
		var fr *frame
		if i := e.slot; i < inlineSlots && s.frames[i].s == nil {
			fr = &s.frames[i]
			fr.init(s, e, parent)
		} else {
			fr = newFrame(s, e, parent)
		}
		sl.owner.Store(fr)
		sl.state.Store(slotBuilding)
		b, err := s.c.create(e, fr)
		if err == nil {
			err = s.record(b)
		}
		if err != nil {
			sl.state.Store(slotEmpty)
		} else {
			sl.v = b.v
			sl.state.Store(slotDone)
		}
		if st.waiters.Load() > 0 {
			st.mu.Lock()
			if st.mu.cond != nil {
				st.mu.cond.Broadcast()
			}
			st.mu.Unlock()
		}
		if err != nil {
			return nil, err
		}
		return b.v, nil
	}
}

// waitSlot blocks until the construction in progress in sl ends (or the
// scope closes), or returns a cycle error if waiting would deadlock.
func (s *Scope) waitSlot(sl *slot, e *entry, parent *frame) error {
	if root := rootOf(parent); root != nil {
		setWait(root, waitRec{sl: sl})
		defer clearWait(root)
		if sl.state.Load() == slotBuilding && waitsFor(sl.owner.Load(), root) {
			return &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
		}
	}
	st := s.st
	st.mu.Lock()
	st.waiters.Add(1)
	if st.mu.cond == nil {
		st.mu.cond = sync.NewCond(&st.mu.Mutex)
	}
	for ss := sl.state.Load(); (ss == slotClaimed || ss == slotBuilding) && !s.closed.Load(); ss = sl.state.Load() {
		st.mu.cond.Wait()
	}
	st.waiters.Add(-1)
	st.mu.Unlock()
	return nil
}

func (s *Scope) transient(e *entry, parent *frame) (any, error) {
	if parent == nil || parent.s != s {
		if !s.enter() {
			return nil, s.closedErr()
		}
		defer s.leave()
	}
	if inChain(parent, e) {
		return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
	}
	fr := newFrame(s, e, parent)
	b, err := s.c.create(e, fr)
	if err != nil {
		return nil, err
	}
	if err := s.record(b); err != nil {
		return nil, err
	}
	return b.v, nil
}

// record adds what a construction created to the scope's disposal list, or
// disposes it at once if the scope was closed meanwhile. The caller is
// between enter and leave (or s is the root scope).
func (s *Scope) record(b built) error {
	if b.d == nil {
		if s.closed.Load() {
			return s.closedErr()
		}
		return nil
	}
	st := s.st
	st.mu.Lock()
	if s.closed.Load() {
		st.mu.Unlock()
		return errors.Join(s.closedErr(), b.disposeNow())
	}
	st.mu.disp = append(st.mu.disp, b.d)
	st.mu.disp = append(st.mu.disp, b.more...)
	st.mu.Unlock()
	return nil
}

// Close disposes everything the scope created that implements io.Closer or
// Close(context.Context) error — scoped services and transients resolved
// in it — in reverse creation order, and returns every error, joined. ctx
// is passed to the Close(context.Context) methods. Close marks the scope
// closed first: resolving from it afterwards returns [ErrScopeClosed], and
// an instance whose construction ends after Close began is disposed at once.
// Closing a closed scope does nothing and returns nil.
func (s *Scope) Close(ctx context.Context) error {
	if !s.closing.CompareAndSwap(false, true) {
		return nil
	}
	err := s.drain(ctx)
	if !s.isRoot && s.active.Load() == 0 {
		// No resolve is in progress, and none can start (closed is set):
		// the storage can serve another scope.
		s.st.reset()
		s.c.states.Put(s.st)
	}
	return err
}

// drain marks the scope closed and disposes what it created, newest first.
func (s *Scope) drain(ctx context.Context) error {
	st := s.st
	st.mu.Lock()
	s.closed.Store(true)
	disp := st.mu.disp
	st.mu.disp = st.mu.inline[:0]
	if st.mu.cond != nil {
		st.mu.cond.Broadcast()
	}
	st.mu.Unlock()
	var errs []error
	for _, d := range slices.Backward(disp) {
		if err := dispose(ctx, d); err != nil {
			errs = append(errs, err)
		}
	}
	clear(disp)
	return errors.Join(errs...)
}
