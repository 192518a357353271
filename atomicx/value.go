package atomicx

import "sync/atomic"

// Value is a typed atomic value: a cell holding a T that goroutines can read
// and write without locks. Unlike [sync/atomic.Value] it is typed, has a
// meaningful zero value, and compares by value in
// [Value.CompareAndSwap].
//
// The cell keeps a pointer to an immutable box holding the T, and nil
// until the first store (meaning the zero T). [Value.Load] is one atomic
// load and never allocates; a store allocates one box of size T.
//
// Load, Store and Swap never compare values. CompareAndSwap and Update
// compare with ==, so, as == does, they panic when T is an interface type
// and the values compared hold the same uncomparable dynamic type (a slice,
// a map, a func).
//
// The zero value holds the zero T and is ready to use. A Value must not be
// copied after first use (`go vet` reports copies). It is safe for
// concurrent use by multiple goroutines, and all its operations are
// linearizable.
type Value[T comparable] struct {
	_ noCopy
	p atomic.Pointer[T] // nil means the zero T; the pointee is never modified
}

func unboxValue[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Load returns the current value. It never allocates and never waits.
func (v *Value[T]) Load() T {
	return unboxValue(v.p.Load())
}

// Store sets the value to x.
func (v *Value[T]) Store(x T) {
	v.p.Store(new(x))
}

// Swap sets the value to x and returns the previous value.
func (v *Value[T]) Swap(x T) (old T) {
	return unboxValue(v.p.Swap(new(x)))
}

// CompareAndSwap sets the value to new if the current value equals old (by
// ==), and reports whether it did. It compares values, not identities: it
// succeeds whenever the cell holds a value equal to old at the moment it
// takes effect, however that value got there.
func (v *Value[T]) CompareAndSwap(old, new T) (swapped bool) {
	var box *T
	boxed := false
	for {
		p := v.p.Load()
		if unboxValue(p) != old {
			return false // linearized at the Load
		}
		if old == new {
			return true // nothing to write: linearized at the Load
		}
		if !boxed {
			x := new // a fresh box, allocated on this path only
			box, boxed = &x, true
		}
		// The pointer still being p proves the value still equals old;
		// otherwise look again.
		if v.p.CompareAndSwap(p, box) {
			return true
		}
	}
}

// Update replaces the value x with f(x) atomically and returns the new
// value. f may be called more than once when other goroutines update the
// cell concurrently (only the last call's result is stored), so it must be a
// pure function of its argument. When f returns a value equal to its
// argument, nothing is written.
func (v *Value[T]) Update(f func(T) T) T {
	for {
		p := v.p.Load()
		cur := unboxValue(p)
		next := f(cur)
		if next == cur {
			return next
		}
		if v.p.CompareAndSwap(p, new(next)) {
			return next
		}
	}
}
