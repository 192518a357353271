package atomicx

import (
	"sync/atomic"
	"unsafe"

	"github.com/dext-go/dext/nullable"
)

// Nullable is an atomic cell holding a [nullable.Value]: "T or null". It is
// the lock-free way to share an optional value between goroutines.
//
// A small T without pointers (at most 8 bytes: integers, floats, bool,
// time.Duration, small structs of those) is kept inline in one state word
// whenever its bits fit in 63 of them (every int32, every int64 in
// [-2⁶², 2⁶²), …): then [Nullable.Load] is one atomic load, a store is one
// atomic store or compare-and-swap, and nothing is allocated. A value that
// does not fit, and every value of a larger T or of a T with pointers, is
// kept in an immutable box of size T that a store allocates; [Nullable.Load]
// reads the box without allocating. Storing null never allocates.
//
// Load never blocks. Writes are lock-free, except the writes that publish a
// box for a small T without pointers (values outside the inline range):
// those serialise on a short internal lock, shared by stripes of cells,
// under which no user code runs.
//
// The zero value is null and ready to use. A Nullable must not be copied
// after first use (`go vet` reports copies). It is safe for concurrent use by
// multiple goroutines, and all its operations are linearizable.
type Nullable[T comparable] struct {
	_ noCopy
	// w is the state word. An odd state holds the value inline: its bits,
	// sign-extended from 63, are the state shifted right by one. An even
	// state names the box slot (w>>1)&3 that holds the value, nil for null.
	w atomic.Uint64
	// boxes are *T, only ever accessed atomically. In the boxed layout the
	// state stays 0 and boxes[0] is the cell, as a plain atomic pointer
	// would be. In the inline layout boxes[0] stays nil (the state 0 is
	// null), and box version k (state k<<3 | slot<<1) lives in slot
	// 1+k&1, which is not written while the state is version k. boxes[3]
	// is never used: it spares Load a bounds check.
	boxes [4]unsafe.Pointer
	// meta is the layout (low bits, set on the first write) and, in the
	// inline layout, the last published box version (high bits, written
	// under the cell's write lock).
	meta atomic.Uint64
}

// The layouts of a Nullable, kept in the low bits of meta.
const (
	layoutUnknown = 0 // no write yet
	layoutInline  = 1 // T has no pointers and at most 8 bytes
	layoutBoxed   = 2 // T has pointers or more than 8 bytes
	layoutMask    = 3
	versionShift  = 2
)

// addr is unsafe.Pointer(p), the one conversion to unsafe.Pointer this file
// makes outside Load. Audited uses: box pointers stored in and loaded from
// the atomic slots (always *T of the cell's own T, or nil); the address of
// a local uint64 reinterpreted as a T of at most 8 bytes without pointers
// (inline layout only); the cell's address, hashed to pick its write lock.
func addr[T any](p *T) unsafe.Pointer {
	return unsafe.Pointer(p) //nolint:gosec // G103 audited: see the doc comment.
}

// encodeInline returns the state that holds x inline, or false when x's
// bits do not fit in 63. Only for T of the inline layout.
func encodeInline[T any](x T) (uint64, bool) {
	var u uint64
	*(*T)(addr(&u)) = x
	if uint64(int64(u<<1)>>1) != u {
		return 0, false
	}
	return u<<1 | 1, true
}

// boxNullable returns the box that represents v: nil for null, otherwise a
// fresh pointer to a copy of the value.
func boxNullable[T any](v nullable.Value[T]) *T {
	x, ok := v.Get()
	if !ok {
		return nil
	}
	p := new(T) // allocated here only, so storing null allocates nothing
	*p = x
	return p
}

// unboxNullable returns the value a box represents.
func unboxNullable[T any](p *T) nullable.Value[T] {
	if p == nil {
		return nullable.Null[T]()
	}
	return nullable.Of(*p)
}

// Load returns the current value. It never allocates and never waits.
func (n *Nullable[T]) Load() (v nullable.Value[T]) {
	// Kept within the inlining budget: one atomic load for an inline value.
	var u uint64
	for {
		w := n.w.Load()
		p := unsafe.Pointer(&u) //nolint:gosec // G103 audited: u holds an inline T (at most 8 bytes, no pointers); addr would exceed the inlining budget.
		if w&1 == 0 {
			// A box. If the state changed meanwhile, the slot may hold
			// another version: another write completed, look again.
			if p = atomic.LoadPointer(&n.boxes[(w>>1)&3]); n.w.Load() != w {
				continue
			}
		} else {
			u = uint64(int64(w) >> 1) // the value's bits, sign-extended
		}
		if p != nil {
			v = nullable.Of(*(*T)(p))
		}
		return v
	}
}

// value returns the value that the state w stands for. ok is false when w
// names a box and is no longer the state, so that the box read may be
// another version's: the caller must load the state again. When ok is true,
// the value was the cell's value at the moment w was loaded.
func (n *Nullable[T]) value(w uint64) (v nullable.Value[T], ok bool) {
	if w&1 != 0 {
		u := uint64(int64(w) >> 1)
		return nullable.Of(*(*T)(addr(&u))), true
	}
	p := (*T)(atomic.LoadPointer(&n.boxes[(w>>1)&3]))
	if n.w.Load() != w {
		return v, false
	}
	// The state was w before and after the slot load, and box versions
	// never repeat, so it was w all along and the slot held its box.
	return unboxNullable(p), true
}

// layout returns the cell's layout, deciding it on the first write.
func (n *Nullable[T]) layout() uint64 {
	if l := n.meta.Load() & layoutMask; l != layoutUnknown {
		return l
	}
	l := uint64(layoutBoxed)
	if inlineType[T]() {
		l = layoutInline
	}
	n.meta.Or(l) // every writer computes the same layout
	return l
}

// boxCell returns the slot that is the cell in the boxed layout: a plain
// atomic pointer to an immutable box, nil for null.
func (n *Nullable[T]) boxCell() *unsafe.Pointer {
	return &n.boxes[0]
}

// publish replaces the state w0 by the state for v, and reports false if the
// state was no longer w0. In the inline layout only. *box, when not nil,
// holds v's value; publish allocates it when v needs a box, so that retries
// reuse it.
func (n *Nullable[T]) publish(w0 uint64, v nullable.Value[T], box **T) bool {
	x, ok := v.Get()
	if !ok {
		return n.w.CompareAndSwap(w0, 0)
	}
	if w, ok := encodeInline(x); ok {
		return n.w.CompareAndSwap(w0, w)
	}
	if *box == nil {
		*box = new(x)
	}
	return n.publishBox(w0, *box)
}

// publishBox replaces the state w0 by the next box version, holding box.
// The box writers of a cell are serialised by its write lock, so the next
// version's slot is in use by nobody (a reader of the version before the
// current one fails its check) until the version is published.
func (n *Nullable[T]) publishBox(w0 uint64, box *T) bool {
	mu := writeLock(addr(n))
	mu.Lock()
	m := n.meta.Load()
	k := m>>versionShift + 1
	slot := 1 + k&1
	atomic.StorePointer(&n.boxes[slot], addr(box))
	ok := n.w.CompareAndSwap(w0, k<<3|slot<<1)
	if ok {
		n.meta.Store(k<<versionShift | m&layoutMask)
	}
	mu.Unlock()
	return ok
}

// Store sets the value to v.
func (n *Nullable[T]) Store(v nullable.Value[T]) {
	if n.layout() == layoutBoxed {
		atomic.StorePointer(n.boxCell(), addr(boxNullable(v)))
		return
	}
	x, ok := v.Get()
	if !ok {
		n.w.Store(0)
		return
	}
	if w, ok := encodeInline(x); ok {
		n.w.Store(w)
		return
	}
	box := new(x)
	for !n.publishBox(n.w.Load(), box) {
	}
}

// Swap sets the value to v and returns the previous value.
func (n *Nullable[T]) Swap(v nullable.Value[T]) (old nullable.Value[T]) {
	if n.layout() == layoutBoxed {
		return unboxNullable((*T)(atomic.SwapPointer(n.boxCell(), addr(boxNullable(v)))))
	}
	var box *T
	for {
		w := n.w.Load()
		old, ok := n.value(w)
		if ok && n.publish(w, v, &box) {
			return old
		}
	}
}

// CompareAndSwap sets the value to new if the current value equals old (both
// null, or both holding equal values by ==), and reports whether it did.
//
// It compares values, not identities: a CompareAndSwap(old, new) succeeds
// whenever the cell holds a value equal to old at the moment it takes
// effect, however that value got there.
func (n *Nullable[T]) CompareAndSwap(old, new nullable.Value[T]) (swapped bool) {
	if n.layout() == layoutBoxed {
		return compareAndSwapBox(n.boxCell(), old, new)
	}
	var box *T
	for {
		w := n.w.Load()
		cur, ok := n.value(w)
		if !ok {
			continue
		}
		if !nullable.Equal(cur, old) {
			return false // linearized at the state load
		}
		if nullable.Equal(old, new) {
			return true // nothing to write: linearized at the state load
		}
		// The state still being w proves the value still equals old. If
		// another goroutine replaced it meanwhile, look again: the new
		// state may hold a value equal to old too.
		if n.publish(w, new, &box) {
			return true
		}
	}
}

// compareAndSwapBox is CompareAndSwap on a plain atomic pointer cell.
func compareAndSwapBox[T comparable](c *unsafe.Pointer, old, new nullable.Value[T]) bool {
	var box *T
	boxed := false
	for {
		p := atomic.LoadPointer(c)
		if !nullable.Equal(unboxNullable((*T)(p)), old) {
			return false // linearized at the load
		}
		if nullable.Equal(old, new) {
			return true // nothing to write: linearized at the load
		}
		if !boxed {
			box, boxed = boxNullable(new), true
		}
		// The pointer still being p proves the value still equals old. If
		// another goroutine replaced it meanwhile, look again: the new
		// pointer may hold a value equal to old too.
		if atomic.CompareAndSwapPointer(c, p, addr(box)) {
			return true
		}
	}
}

// Update replaces the value v with f(v) atomically and returns the new
// value. f may be called more than once when other goroutines update the
// cell concurrently (only the last call's result is stored), so it must be a
// pure function of its argument. When f returns a value equal to its
// argument, nothing is written.
func (n *Nullable[T]) Update(f func(nullable.Value[T]) nullable.Value[T]) nullable.Value[T] {
	if n.layout() == layoutBoxed {
		c := n.boxCell()
		for {
			p := atomic.LoadPointer(c)
			cur := unboxNullable((*T)(p))
			next := f(cur)
			if nullable.Equal(cur, next) {
				return next
			}
			if atomic.CompareAndSwapPointer(c, p, addr(boxNullable(next))) {
				return next
			}
		}
	}
	for {
		w := n.w.Load()
		cur, ok := n.value(w)
		if !ok {
			continue
		}
		next := f(cur)
		if nullable.Equal(cur, next) {
			return next
		}
		var box *T // next differs on each attempt
		if n.publish(w, next, &box) {
			return next
		}
	}
}
