package di

import (
	"cmp"
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
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
	// st holds the scope's instances. It is reused by another scope of
	// the same container once this one is closed and no resolve uses it;
	// apart from st.c and st.slots, which never change, s.st is only read
	// between enter and leave, which fail once closed is set.
	st *scopeState
	// gen is st's generation for this scope: slot states of another
	// generation read as empty.
	gen uint32
	// word is active<<2 | locked<<1 | closed. closed is set when Close
	// begins. locked is held while st's disposal records grow. active
	// counts the resolves (and the Close) that use st; the one that takes
	// it to zero once closed gives st back (setting wordRecycled).
	word atomic.Uint32
	// refs are the Resolvers given to the factories of the first
	// inlineRefs scoped services; each stands for its slot's frame.
	refs [inlineRefs]slotRef
}

const (
	wordClosed   = 1
	wordLocked   = 2
	wordActive   = 4 // one more resolve in progress
	wordRecycled = 1 << 31

	inlineRefs = 4
)

// slotRef is the Resolver a factory of an inline scoped service gets: it
// lives in the Scope, so one kept after the scope closed still refers to
// that scope, never to another that reuses its storage.
type slotRef struct{ s *Scope }

func (*slotRef) isResolver() {}

// index returns the slot r stands for: its position in r.s.refs.
func (r *slotRef) index() int {
	return int((uintptr(unsafe.Pointer(r)) - uintptr(unsafe.Pointer(&r.s.refs))) / unsafe.Sizeof(*r)) //nolint:gosec // G103: an address difference, never turned back into a pointer
}

// scopeState is the reusable part of a Scope.
type scopeState struct {
	c *Container
	// table, mult and shift are the container's, copied here to save a
	// load per resolve.
	table []tslot
	mult  uint64
	shift uint
	// gen numbers the scopes that used this storage. It is read by
	// NewScope and changed by recycle, while no scope uses the storage
	// (the pool orders the two); at its maximum the storage is dropped.
	gen uint32
	// self is the Scope of the slot frames: it gives them st.
	self Scope
	// slots holds the scoped services, by entry.slot.
	slots []slot

	// seq numbers the disposable instances recorded, in creation order;
	// it only grows.
	seq atomic.Uint64
	// more, guarded by the locked bit of the Scope's word, lists the
	// disposable instances that are not a slot's value (transients,
	// instances replaced by decorators).
	more []disposal

	// waiters counts goroutines blocked in cond; a construction that ends
	// wakes them only when it is not zero.
	waiters atomic.Int32
	mu      sync.Mutex // guards the wake-ups of cond
	cond    sync.Cond
}

// disposal is one instance to dispose and its creation order.
type disposal struct {
	v   any
	ord uint64
}

// slot holds one scoped service.
type slot struct {
	// fr is the frame of the slot's construction when it runs with a
	// slotRef as Resolver; it never changes.
	fr frame
	// state is gen<<32 | code<<2 | phase, and is all the synchronisation
	// a slot needs: claiming it is one compare-and-swap, publishing its
	// instance one store. A state of another generation than the scope's
	// reads as empty.
	//
	//   - slotEmpty: nothing constructed yet.
	//   - slotBuilding: a construction is in progress. code says where its
	//     frame and the frame's parent are: codeTop, fr without parent;
	//     codeHeapParent, fr with the parent in up; codeHeapOwner, a frame
	//     of its own in up; otherwise fr with the frame of slot code-1 as
	//     parent. up is stored just after the claim: until then it reads as
	//     nil or as a frame of an earlier, finished construction.
	//   - slotDone: v is set and never changes again in this generation.
	//     If v needs disposal, ord is its number, and whoever sets
	//     doneClaimed (Close, or the construction if it ends after Close
	//     began) disposes it; otherwise ord is 0.
	//   - slotFailed: the last construction failed; fr may still be held
	//     by its factory, so a retry uses a frame of its own.
	state atomic.Uint64
	up    atomic.Pointer[frame]
	v     any
	ord   uint64 // set before state is slotDone
}

const (
	slotEmpty    = 0
	slotBuilding = 1
	slotDone     = 2
	slotFailed   = 3
	phaseMask    = 3

	doneClaimed = 1 << 2 // with slotDone: v's disposal is taken care of

	codeTop        = 0
	codeHeapParent = 1<<30 - 1
	codeHeapOwner  = 1<<30 - 2
)

func newState(c *Container) *scopeState {
	st := &scopeState{c: c, table: c.table, mult: c.mult, shift: c.shift, slots: make([]slot, c.nScoped)}
	st.self.st = st
	st.cond.L = &st.mu
	for i := range st.slots {
		st.slots[i].fr.s = &st.self
		st.slots[i].fr.eid = -int32(i + 1) //nolint:gosec // G115: slot indexes are below the number of registrations
	}
	return st
}

// live reports whether state is a construction in progress that runs in
// the slot's own frame. A construction in progress always belongs to the
// storage's current generation: a scope's storage is reused only once no
// resolve holds it, and a construction runs within a resolve that does
// (one whose factory panicked holds it for good).
func live(state uint64) bool {
	return state&phaseMask == slotBuilding && state>>2&(1<<30-1) != codeHeapOwner
}

// owner returns the frame of the construction in progress in sl in
// generation gen, or nil.
func (sl *slot) owner(gen uint32) *frame {
	state := sl.state.Load()
	if state>>32 != uint64(gen) || state&phaseMask != slotBuilding {
		return nil
	}
	if state>>2&(1<<30-1) == codeHeapOwner {
		return sl.up.Load()
	}
	return &sl.fr
}

// NewScope returns a new, empty scope. It costs one small allocation; the
// storage for its instances is reused from closed scopes.
func (c *Container) NewScope() *Scope {
	st, ok := c.states.Get().(*scopeState)
	if !ok {
		st = newState(c)
	}
	s := &Scope{st: st, gen: st.gen}
	s.refs[0].s = s
	s.refs[1].s = s
	s.refs[2].s = s
	s.refs[3].s = s
	return s
}

// isClosed reports whether Close has begun.
func (s *Scope) isClosed() bool { return s.word.Load()&wordClosed != 0 }

// enter registers a resolve that uses s.st; it fails once s is closed.
func (s *Scope) enter() bool {
	if s.word.Add(wordActive)&wordClosed != 0 {
		s.leaveLate()
		return false
	}
	return true
}

// leaveLate is leave for an enter that failed, kept out of line so that
// enter stays small enough to inline.
//
//go:noinline
func (s *Scope) leaveLate() { s.leave() }

// leave ends a resolve that uses s.st; the last one out of a closed scope
// gives its storage back.
func (s *Scope) leave() {
	if s.word.Add(^uint32(wordActive-1)) == wordClosed {
		s.leaveLast()
	}
}

// leaveLast gives s.st back, unless another goroutine does: each of several
// resolves that failed to enter may see the count reach zero. (Kept out of
// line so that leave stays small enough to inline.)
//
//go:noinline
func (s *Scope) leaveLast() {
	if s.word.CompareAndSwap(wordClosed, wordClosed|wordRecycled) {
		s.recycle()
	}
}

// recycle gives s.st back for another scope; nothing uses it any more.
func (s *Scope) recycle() {
	st := s.st
	if s.isRoot() {
		return
	}
	// The instances stay in the slots until overwritten (or until the
	// pool drops the storage): slots of an earlier generation read as
	// empty.
	if len(st.more) != 0 {
		clear(st.more)
		st.more = st.more[:0]
	}
	if st.gen == math.MaxUint32 {
		return // drop it: its generations are used up
	}
	st.gen++
	st.c.states.Put(st)
}

func (s *Scope) scoped(e *entry, parent *frame) (any, error) {
	if s.isRoot() {
		kind := ErrScopedFromRoot
		for f := parent; f != nil; f = f.up() {
			if fe := f.entry(); fe != nil && fe.lifetime == Singleton {
				kind = ErrCaptiveDependency
				break
			}
		}
		return nil, &DependencyError{Kind: kind, Chain: chainOf(e.link(), parent)}
	}
	// A construction in this scope already holds it open.
	if parent == nil || parent.s.st != s.st {
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
	sl := &st.slots[e.slot]
	g := uint64(s.gen) << 32
	for {
		if s.isClosed() {
			return nil, ErrScopeClosed
		}
		state := sl.state.Load()
		phase := uint64(slotEmpty)
		if state&^(1<<32-1) == g {
			phase = state & phaseMask
		}
		switch phase {
		case slotDone:
			return sl.v, nil
		case slotEmpty:
			if e.slot < inlineRefs {
				// Claim the slot and publish its frame, with the frame's
				// parent, in one step (e is not in the chain: its slot
				// would not be empty).
				code := uint64(codeTop)
				switch {
				case parent == nil:
				case parent.eid < 0 && parent.s == &st.self:
					code = uint64(-parent.eid)
				default:
					code = codeHeapParent
				}
				if !sl.state.CompareAndSwap(state, g|code<<2|slotBuilding) {
					continue
				}
				if code == codeHeapParent {
					sl.up.Store(parent)
				}
				return s.construct(sl, e, &sl.fr, &s.refs[e.slot])
			}
			fallthrough
		case slotFailed:
			if v, claimed, err := s.constructHeap(sl, e, parent, state); claimed {
				return v, err
			}
		default:
			if inChain(parent, e) {
				return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
			}
			if err := s.waitSlot(sl, e, parent); err != nil {
				return nil, err
			}
		}
	}
}

// constructHeap claims sl, whose state was old, for a construction in a
// frame of its own, and runs it; claimed is false if the claim failed.
func (s *Scope) constructHeap(sl *slot, e *entry, parent *frame, old uint64) (v any, claimed bool, err error) {
	fr := newFrame(s, e, parent)
	if !sl.state.CompareAndSwap(old, uint64(s.gen)<<32|codeHeapOwner<<2|slotBuilding) {
		return nil, false, nil
	}
	sl.up.Store(fr)
	defer fr.finished.Store(true)
	v, err = s.construct(sl, e, fr, fr)
	return v, true, err
}

// construct runs the construction fr of the scoped service e, which owns
// sl, with the Resolver res; it publishes the instance in sl after
// recording what needs disposal, or, if the scope was closed meanwhile,
// disposes that instead and fails.
func (s *Scope) construct(sl *slot, e *entry, fr *frame, res Resolver) (any, error) {
	var v any
	var more []any
	var err error
	ord := uint64(0)
	published := false
	defer func() {
		if !published {
			s.abandon(sl) // the factory panicked
		}
	}()
	if f := e.direct; f != nil {
		if v, err = f(res); err != nil {
			err = wrapFactory(err, fr)
		}
	} else {
		v, more, err = s.st.c.create(e, s, fr, res)
	}
	if err == nil {
		switch {
		case more != nil:
			err = s.record(e, v, more)
		case e.inst || !e.disposable(v):
			if s.isClosed() {
				err = ErrScopeClosed
			}
		default:
			ord = s.st.seq.Add(1)
		}
	}
	state := uint64(s.gen)<<32 | slotDone
	if err != nil {
		v, state = nil, uint64(s.gen)<<32|slotFailed
	} else {
		sl.v, sl.ord = v, ord
	}
	s.publish(sl, state)
	published = true
	// A disposable published after Close began may have been missed by
	// Close: whichever of the two claims it disposes it.
	if ord != 0 && s.isClosed() && sl.state.CompareAndSwap(state, state|doneClaimed) {
		return nil, errors.Join(ErrScopeClosed, disposeNow([]any{v}))
	}
	return v, err
}

// abandon marks sl failed after its factory panicked, so that the next
// resolve constructs it again (in a frame of its own) instead of waiting
// for a construction that will never end.
func (s *Scope) abandon(sl *slot) { s.publish(sl, uint64(s.gen)<<32|slotFailed) }

// publish ends the construction in sl with state and wakes the goroutines
// waiting for it.
func (s *Scope) publish(sl *slot, state uint64) {
	sl.state.Store(state)
	if s.st.waiters.Load() > 0 {
		s.wake()
	}
}

// lock takes the locked bit of s.word, unless s is closed.
func (s *Scope) lock() bool {
	for {
		w := s.word.Load()
		switch {
		case w&wordClosed != 0:
			return false
		case w&wordLocked != 0:
			runtime.Gosched()
		case s.word.CompareAndSwap(w, w|wordLocked):
			return true
		}
	}
}

func (s *Scope) unlock() { s.word.Add(^uint32(wordLocked - 1)) }

// wake wakes the goroutines waiting for a construction in s.
func (s *Scope) wake() {
	st := s.st
	st.mu.Lock()
	st.cond.Broadcast()
	st.mu.Unlock()
}

// waitSlot blocks until the construction in progress in sl ends (or the
// scope closes), or returns a cycle error if waiting would deadlock.
func (s *Scope) waitSlot(sl *slot, e *entry, parent *frame) error {
	st := s.st
	if root := rootOf(parent); root != nil {
		setWait(root, waitRec{sl: sl, gen: s.gen})
		defer clearWait(root)
		if o := sl.owner(s.gen); o != nil && waitsFor(o, root) {
			return &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
		}
	}
	st.mu.Lock()
	// Counted before the state is read: a construction that ends after
	// the read sees the waiter and wakes it (under st.mu, so not before it
	// waits).
	st.waiters.Add(1)
	g := uint64(s.gen) << 32
	for {
		state := sl.state.Load()
		if state&^(1<<32-1) != g || state&phaseMask != slotBuilding || s.isClosed() {
			break
		}
		st.cond.Wait()
	}
	st.waiters.Add(-1)
	st.mu.Unlock()
	return nil
}

func (s *Scope) transient(e *entry, parent *frame) (any, error) {
	if parent == nil || parent.s.st != s.st {
		if !s.enter() {
			return nil, s.closedErr()
		}
		defer s.leave()
	}
	if inChain(parent, e) {
		return nil, &DependencyError{Kind: ErrCycle, Chain: chainOf(e.link(), parent)}
	}
	fr := newFrame(s, e, parent)
	v, more, err := s.st.c.createHeap(e, s, fr)
	if err != nil {
		return nil, err
	}
	if err := s.record(e, v, more); err != nil {
		return nil, err
	}
	return v, nil
}

// disposables returns what a construction of e created that needs
// disposal, in creation order: more if create returned it, else v if it
// needs disposal.
func (e *entry) disposables(v any, more []any) []any {
	if more != nil {
		return more
	}
	if !e.inst && e.disposable(v) {
		return []any{v}
	}
	return nil
}

// record adds what a construction of e created to the scope's disposal
// order, or disposes it at once if the scope was closed meanwhile. The
// caller holds s open (or s is the root scope).
func (s *Scope) record(e *entry, v any, more []any) error {
	d := e.disposables(v, more)
	if d == nil {
		if s.isClosed() {
			return s.closedErr()
		}
		return nil
	}
	if !s.lock() {
		return errors.Join(s.closedErr(), disposeNow(d))
	}
	st := s.st
	for _, v := range d {
		st.more = append(st.more, disposal{v: v, ord: st.seq.Add(1)})
	}
	s.unlock()
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
	var buf [4]disposal
	all, ok := s.markClosed(buf[:0])
	if !ok || len(all) == 0 {
		return nil
	}
	return disposeAll(ctx, all)
}

// disposeAll disposes all, newest first, and joins the errors.
func disposeAll(ctx context.Context, all []disposal) error {
	if len(all) > 1 {
		slices.SortFunc(all, func(a, b disposal) int { return cmp.Compare(b.ord, a.ord) })
	}
	var errs []error
	for i := range all {
		if err := dispose(ctx, all[i].v); err != nil {
			errs = append(errs, err)
		}
	}
	if errs == nil {
		return nil
	}
	return errors.Join(errs...)
}

// markClosed marks the scope closed and appends its disposal records to
// all; ok is false if it was closed already.
func (s *Scope) markClosed(all []disposal) (_ []disposal, ok bool) {
	// Set closed. If no resolve is in progress, st is this goroutine's
	// to read and give back; if one is, hold st as a resolve would while
	// reading it, and the last one out gives it back.
	idle := false
	for {
		w := s.word.Load()
		if w&wordClosed != 0 {
			return all, false
		}
		if w&wordLocked != 0 {
			runtime.Gosched()
			continue
		}
		if w == 0 {
			if s.word.CompareAndSwap(0, wordClosed|wordRecycled) {
				idle = true
				break
			}
			continue
		}
		if s.word.CompareAndSwap(w, (w|wordClosed)+wordActive) {
			break
		}
	}
	st := s.st
	if st.waiters.Load() > 0 {
		s.wake()
	}
	// The disposables in slots: with no resolve in progress, all are
	// published and none can be added; otherwise one published after this
	// read disposes itself, and one published before it is claimed.
	done := uint64(s.gen)<<32 | slotDone
	for i := range st.slots {
		sl := &st.slots[i]
		if state := sl.state.Load(); state == done && sl.ord != 0 &&
			(idle || sl.state.CompareAndSwap(done, done|doneClaimed)) {
			all = append(all, disposal{v: sl.v, ord: sl.ord})
		}
	}
	if len(st.more) != 0 {
		all = append(all, st.more...)
	}
	// Let go of st; if no resolve is in progress, give it back now.
	switch {
	case idle:
		s.recycle()
	case s.word.CompareAndSwap(wordClosed|wordActive, wordClosed|wordRecycled):
		s.recycle()
	default:
		s.leave()
	}
	return all, true
}

// isRoot reports whether s is its container's own scope.
func (s *Scope) isRoot() bool { return s == &s.st.c.root }
