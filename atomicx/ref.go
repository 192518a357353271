package atomicx

import "sync/atomic"

// Ref is an atomic reference to an immutable snapshot of type T: typically
// a persistent collection such as an immutable.Map, or a pointer to a
// struct that is never modified after it is published. Readers get the
// current snapshot with one atomic load (wait-free) and may use it for as
// long as they like; writers derive a new snapshot from the current one and
// publish it with [Ref.Update] (lock-free).
//
// So Ref[immutable.Map[K, V]] is a read-mostly registry: lookups and
// iterations never block and never see a half-made change, and updates
// never block each other.
//
// Ref does not copy or freeze T: the snapshot must really be immutable (or
// never modified after it is stored), or readers will race with whoever
// modifies it. T need not be comparable.
//
// The zero value holds the zero T (an empty immutable.Map, a nil pointer)
// and is ready to use. A Ref must not be copied after first use (`go vet`
// reports copies). It is safe for concurrent use by multiple goroutines, and
// all its operations are linearizable.
type Ref[T any] struct {
	_ noCopy
	p atomic.Pointer[T] // nil means the zero T; the pointee is never modified
}

// Load returns the current snapshot. It is one atomic load and never
// allocates.
func (r *Ref[T]) Load() T {
	return unboxValue(r.p.Load())
}

// Store publishes x as the current snapshot. It allocates one box of size T.
func (r *Ref[T]) Store(x T) {
	r.p.Store(&x)
}

// Swap publishes x and returns the snapshot it replaced.
func (r *Ref[T]) Swap(x T) (old T) {
	return unboxValue(r.p.Swap(&x))
}

// Update replaces the snapshot s with f(s) atomically and returns the new
// snapshot. If another goroutine publishes a snapshot between the moment f
// is handed s and the moment its result is published, f is called again on
// the newer snapshot, so f must be a pure function of its argument (it may
// run several times; only the last result is published).
func (r *Ref[T]) Update(f func(T) T) T {
	for {
		p := r.p.Load()
		next := f(unboxValue(p))
		if r.p.CompareAndSwap(p, &next) {
			return next
		}
	}
}

// TryUpdate is [Ref.Update] for changes that may not apply: f returns the
// new snapshot and true, or false to leave the cell as it is. TryUpdate
// returns the snapshot that is current when it returns (the published one,
// or the one f declined to change) and whether f's result was published.
func (r *Ref[T]) TryUpdate(f func(T) (T, bool)) (T, bool) {
	for {
		p := r.p.Load()
		cur := unboxValue(p)
		next, ok := f(cur)
		if !ok {
			return cur, false
		}
		if r.p.CompareAndSwap(p, &next) {
			return next, true
		}
	}
}
