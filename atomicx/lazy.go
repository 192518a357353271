package atomicx

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ErrInitPanicked is wrapped by the error that [Lazy.Get] returns to the
// goroutines that waited on an initialisation attempt whose function
// panicked. Test for it with errors.Is; errors.As with a *[PanicError]
// recovers the panic value.
var ErrInitPanicked = errors.New("atomicx: lazy initialisation panicked")

// PanicError is the error returned to goroutines that waited on an
// initialisation attempt of a [Lazy] whose function panicked (the goroutine
// that ran the function gets the panic itself). It unwraps to
// [ErrInitPanicked].
type PanicError struct {
	// Value is the value the initialisation function panicked with, or nil
	// when it called runtime.Goexit.
	Value any
}

func (e *PanicError) Error() string {
	if e.Value == nil {
		return "atomicx: lazy initialisation exited without returning (runtime.Goexit)"
	}
	return fmt.Sprintf("atomicx: lazy initialisation panicked: %v", e.Value)
}

// Unwrap returns [ErrInitPanicked].
func (e *PanicError) Unwrap() error { return ErrInitPanicked }

// Lazy holds a value of type T that is computed on first use, exactly once
// even when many goroutines ask for it at the same time. Unlike [sync.Once],
// an attempt that fails (returns an error, or panics) is not final: the next
// call to [Lazy.Get] tries again.
//
// The zero value is ready to use: it holds no value yet. A Lazy must not be
// copied after first use (`go vet` reports copies). It is safe for concurrent
// use by multiple goroutines.
//
// Once a value is held, [Lazy.Get] costs one atomic load (inside one
// function call: the generic method is just over the compiler's inlining
// budget) and does not allocate.
type Lazy[T any] struct {
	_ noCopy

	// done is set (with release semantics) after val is written, and never
	// cleared. Readers that observe it may read val without locking.
	done atomic.Bool
	// val is written once, by the attempt that succeeds, before done is set.
	val T

	mu struct {
		sync.Mutex
		attempt *lazyAttempt // the initialisation in progress, or nil
	}
}

// lazyAttempt is one call of the initialisation function; the goroutines
// that arrive while it runs wait on done and share its outcome.
type lazyAttempt struct {
	done chan struct{} // closed when the attempt ends
	err  error         // the attempt's error, written before done is closed
}

// Get returns the held value, calling init to compute it if no value is held
// yet. When it returns an error, the T it returns is the zero T.
//
// At most one call of init runs at a time for a given Lazy. Goroutines that
// call Get while it runs wait for it and share its outcome: its value, or its
// error. When init returns an error, nothing is held and the next call to Get
// (one that starts after the failed attempt ended) calls init again. When
// init returns a nil error, its value is held for good and init is never
// called again.
//
// If init panics, the panic propagates to the goroutine that called it,
// nothing is held, the goroutines that waited on that attempt get a
// *[PanicError] (which unwraps to [ErrInitPanicked]), and the next call
// tries again. Nothing deadlocks.
//
// init must not call Get on the same Lazy: that waits for itself forever,
// as with [sync.Once].
func (l *Lazy[T]) Get(init func() (T, error)) (T, error) {
	if l.done.Load() {
		return l.val, nil
	}
	return l.getSlow(init)
}

// Load returns the held value and true, or the zero T and false if no
// initialisation has succeeded yet. It never calls an initialisation
// function and never waits.
func (l *Lazy[T]) Load() (T, bool) {
	if l.done.Load() {
		return l.val, true
	}
	var zero T
	return zero, false
}

func (l *Lazy[T]) getSlow(init func() (T, error)) (T, error) {
	l.mu.Lock()
	if l.done.Load() {
		l.mu.Unlock()
		return l.val, nil
	}
	if a := l.mu.attempt; a != nil {
		// Another goroutine is running init: share its outcome.
		l.mu.Unlock()
		<-a.done
		if a.err != nil {
			var zero T
			return zero, a.err
		}
		return l.val, nil
	}
	a := &lazyAttempt{done: make(chan struct{})}
	l.mu.attempt = a
	l.mu.Unlock()
	return l.run(a, init)
}

// run calls init for attempt a and publishes its outcome, even when init
// panics or exits the goroutine.
func (l *Lazy[T]) run(a *lazyAttempt, init func() (T, error)) (v T, err error) {
	returned := false
	defer func() {
		if returned {
			return
		}
		// init panicked or called runtime.Goexit.
		r := recover()
		l.finish(a, &PanicError{Value: r})
		if r != nil {
			panic(r)
		}
	}()
	v, err = init()
	returned = true
	if err != nil {
		l.finish(a, err)
		var zero T
		return zero, err
	}
	l.val = v
	l.done.Store(true)
	l.finish(a, nil)
	return v, nil
}

// finish ends attempt a with err (nil on success) and wakes its waiters.
func (l *Lazy[T]) finish(a *lazyAttempt, err error) {
	a.err = err
	l.mu.Lock()
	l.mu.attempt = nil
	l.mu.Unlock()
	close(a.done)
}
