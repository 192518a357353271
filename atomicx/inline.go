package atomicx

import (
	"reflect"
	"sync"
	"unsafe"
)

// inlineType reports whether values of T can live inline in a state word:
// T has at most 8 bytes and no pointers (the garbage collector must never
// see a pointer hidden in an integer).
func inlineType[T any]() bool {
	var zero T
	return unsafe.Sizeof(zero) <= 8 && !hasPointers(reflect.TypeFor[T]())
}

// hasPointers reports whether a value of type t contains a pointer the
// garbage collector must know about.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for f := range t.Fields() {
			if hasPointers(f.Type) {
				return true
			}
		}
		return false
	default: // pointers, strings, slices, maps, channels, funcs, interfaces
		return true
	}
}

// writeLocks serialise the writers that publish a box in a cell of the
// inline layout. A cell uses the stripe its address hashes to; the
// critical section is a few stores and never runs user code.
var writeLocks [64]struct {
	sync.Mutex
	_ [64 - unsafe.Sizeof(sync.Mutex{})]byte // one cache line each
}

// writeLock returns the write lock of the cell at p.
func writeLock(p unsafe.Pointer) *sync.Mutex {
	h := uint64(uintptr(p)) * 0x9e3779b97f4a7c15 // Fibonacci hashing
	return &writeLocks[h>>(64-6)].Mutex
}
