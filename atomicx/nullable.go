package atomicx

import (
	"sync/atomic"

	"github.com/dext-go/dext/nullable"
)

// Nullable is an atomic cell holding a [nullable.Value]: "T or null". It is
// the lock-free way to share an optional value between goroutines.
//
// The cell keeps a pointer to an immutable box holding the T, and nil for
// null. [Nullable.Load] is one atomic load and never allocates; storing a
// non-null value allocates one box of size T; storing null allocates nothing.
//
// The zero value is null and ready to use. A Nullable must not be copied
// after first use (`go vet` reports copies). It is safe for concurrent use by
// multiple goroutines, and all its operations are linearizable.
type Nullable[T comparable] struct {
	_ noCopy
	p atomic.Pointer[T] // nil means null; the pointee is never modified
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
func (n *Nullable[T]) Load() nullable.Value[T] {
	return unboxNullable(n.p.Load())
}

// Store sets the value to v.
func (n *Nullable[T]) Store(v nullable.Value[T]) {
	n.p.Store(boxNullable(v))
}

// Swap sets the value to v and returns the previous value.
func (n *Nullable[T]) Swap(v nullable.Value[T]) (old nullable.Value[T]) {
	return unboxNullable(n.p.Swap(boxNullable(v)))
}

// CompareAndSwap sets the value to new if the current value equals old (both
// null, or both holding equal values by ==), and reports whether it did.
//
// It compares values, not identities: a CompareAndSwap(old, new) succeeds
// whenever the cell holds a value equal to old at the moment it takes
// effect, however that value got there.
func (n *Nullable[T]) CompareAndSwap(old, new nullable.Value[T]) (swapped bool) {
	var box *T
	boxed := false
	for {
		p := n.p.Load()
		if !nullable.Equal(unboxNullable(p), old) {
			return false // linearized at the Load
		}
		if nullable.Equal(old, new) {
			return true // nothing to write: linearized at the Load
		}
		if !boxed {
			box, boxed = boxNullable(new), true
		}
		// The pointer still being p proves the value still equals old. If
		// another goroutine replaced it meanwhile, look again: the new
		// pointer may hold a value equal to old too.
		if n.p.CompareAndSwap(p, box) {
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
	for {
		p := n.p.Load()
		cur := unboxNullable(p)
		next := f(cur)
		if nullable.Equal(cur, next) {
			return next
		}
		if n.p.CompareAndSwap(p, boxNullable(next)) {
			return next
		}
	}
}
