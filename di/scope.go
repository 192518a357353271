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
	// st holds the scope's instances. After Close, once no resolve is in
	// progress, it is reset and reused by another scope of the same
	// container; apart from st.c, which never changes, s.st is only read
	// between enter and leave, which fail once closed is set.
	st *scopeState
	// closed is set, under st.mu, when Close begins.
	closed atomic.Bool
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
	// c is the container whose scopes use this storage; it never changes.
	c *Container
	// gen numbers the scopes that used this storage; slot states of an
	// earlier gen read as empty, so reuse needs no store per slot. It only
	// changes while no scope uses the storage.
	gen uint64
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
	// state is gen<<2 | phase. For the storage's current gen, phase is
	// slotEmpty, slotClaimed (a construction is in progress; its frame, if
	// not the slot's inline frame, is published in owner once set up),
	// slotBuilding (the construction in progress runs in the slot's inline
	// frame, set up) or slotDone (v is published and never changes again
	// until the storage is reused). A state of an earlier gen means empty.
	state atomic.Uint64
	owner atomic.Pointer[frame]
	v     any
}

const (
	slotEmpty uint64 = iota
	slotClaimed
	slotBuilding
	slotDone
)

func newState(c *Container) *scopeState {
	st := &scopeState{c: c}
	st.mu.disp = st.mu.inline[:0]
	return st
}

// reset empties a state for reuse; nothing else references it. Moving to
// the next gen empties every slot; the instances and disposal records
// left in it are overwritten as the next scope fills it (and dropped with
// it when the pool is emptied by the garbage collector).
func (st *scopeState) reset() {
	st.gen++
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
	st, ok := c.states.Get().(*scopeState)
	if !ok {
		st = newState(c)
	}
	s := &Scope{st: st}
	// Set while s is fresh, these stores need no write barrier.
	s.frames[0].s = s
	s.frames[1].s = s
	s.frames[2].s = s
	s.frames[3].s = s
	return s
}

// slotOwner returns the frame of the construction in progress in sl,
// slot i of s, or nil (or a finished frame) if there is none.
func slotOwner(s *Scope, sl *slot, i int) *frame {
	switch sl.state.Load() & 3 {
	case slotBuilding:
		return &s.frames[i]
	case slotClaimed:
		return sl.owner.Load()
	}
	return nil
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
	if s.isRoot() {
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
	return s.scopedHeld(e, parent)
}

// scopedHeld is scoped for a caller that holds s open (between enter and
// leave, or inside a construction in s).
func (s *Scope) scopedHeld(e *entry, parent *frame) (any, error) {
	st := s.st
	sl := st.slot(e.slot, s.st.c.nScoped)
	gen := st.gen << 2
	for {
		if s.closed.Load() {
			return nil, ErrScopeClosed
		}
		state := sl.state.Load()
		switch state {
		case gen | slotDone:
			return sl.v, nil
		case gen | slotClaimed, gen | slotBuilding:
			if err := s.waitSlot(sl, e, parent); err != nil {
				return nil, err
			}
			continue
		}
		if inChain(parent, e) {
			return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
		}
		if !sl.state.CompareAndSwap(state, gen|slotClaimed) {
			continue
		}
		// This goroutine owns the slot: set up the frame, then publish it
		// as the owner for the wait-for check: the slot's inline frame by
		// the state slotBuilding, another frame in owner. Until then, the
		// owner reads as nil or as the frame of an earlier, finished
		// construction, which the check takes as not waiting: the cycle,
		// if any, is then found by this goroutine when it waits in turn.
		if i := e.slot; i < inlineSlots && s.frames[i].eid == 0 {
			fr := &s.frames[i]
			fr.init(s, e, parent)
			sl.state.Store(gen | slotBuilding)
			return s.construct(sl, gen, e, fr)
		}
		fr := newFrame(s, e, parent)
		sl.owner.Store(fr)
		return s.construct(sl, gen, e, fr)
	}
}

// construct runs the construction fr of the scoped service e, which owns
// sl, and publishes the result.
func (s *Scope) construct(sl *slot, gen uint64, e *entry, fr *frame) (any, error) {
	st := s.st
	b, err := st.c.create(e, fr)
	if err == nil {
		err = s.record(b)
	}
	if err != nil {
		sl.state.Store(gen) // slotEmpty
	} else {
		sl.v = b.v
		sl.state.Store(gen | slotDone)
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

// waitSlot blocks until the construction in progress in sl ends (or the
// scope closes), or returns a cycle error if waiting would deadlock.
func (s *Scope) waitSlot(sl *slot, e *entry, parent *frame) error {
	st := s.st
	gen := st.gen << 2
	if root := rootOf(parent); root != nil {
		setWait(root, waitRec{sl: sl, s: s, i: e.slot})
		defer clearWait(root)
		if o := slotOwner(s, sl, e.slot); o != nil && waitsFor(o, root) {
			return &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
		}
	}
	st.mu.Lock()
	st.waiters.Add(1)
	if st.mu.cond == nil {
		st.mu.cond = sync.NewCond(&st.mu.Mutex)
	}
	for ph := sl.state.Load(); (ph == gen|slotClaimed || ph == gen|slotBuilding) && !s.closed.Load(); ph = sl.state.Load() {
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
	b, err := s.st.c.create(e, fr)
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
	if s.closed.Load() {
		return nil
	}
	disp, ok := s.markClosed()
	if !ok {
		return nil
	}
	err := disposeAll(ctx, disp)
	if !s.isRoot() && s.active.Load() == 0 {
		// No resolve is in progress, and none can start (closed is set):
		// the storage can serve another scope.
		s.st.reset()
		s.st.c.states.Put(s.st)
	}
	return err
}

// markClosed marks the scope closed and takes its disposal list; ok is
// false if it was closed already.
func (s *Scope) markClosed() (disp []any, ok bool) {
	st := s.st
	st.mu.Lock()
	if s.closed.Load() {
		st.mu.Unlock()
		return nil, false
	}
	s.closed.Store(true)
	disp = st.mu.disp
	if cap(disp) == inlineDisp {
		st.mu.disp = st.mu.disp[:0] // still in inline: no pointer to write
	} else {
		st.mu.disp = st.mu.inline[:0]
	}
	if st.mu.cond != nil {
		st.mu.cond.Broadcast()
	}
	st.mu.Unlock()
	return disp, true
}

// disposeAll disposes disp newest first and joins the errors.
func disposeAll(ctx context.Context, disp []any) error {
	var errs []error
	for _, d := range slices.Backward(disp) {
		if err := dispose(ctx, d); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// isRoot reports whether s is its container's own scope.
func (s *Scope) isRoot() bool { return s == &s.st.c.root }
