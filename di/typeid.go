package di

import (
	"reflect"
	"unsafe"
)

// typeID returns a number that identifies T for the life of the process: the
// address of the runtime's type descriptor of T. For a generic T the compiler
// hands that descriptor to the instantiation, so computing the ID is two loads
// and no lookup; descriptors never move (the collector does not move memory)
// and are never freed, so the number stays valid and unique.
func typeID[T any]() uintptr { return typeIDOf(reflect.TypeFor[T]()) }

// typeIDOf returns the ID that typeID[T] returns for the T that t describes.
//
// Package unsafe is used twice in di, here and in slotRef.index (an address
// difference, never turned back into a pointer). Here a reflect.Type is an
// interface whose dynamic value is the descriptor pointer, and the language
// offers no other constant-time way to turn it into a number (reflect's
// Value.Pointer gives the same number in about three times the time).
func typeIDOf(t reflect.Type) uintptr {
	return uintptr((*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]) //nolint:gosec // G103: reads the data word of a reflect.Type; see the doc comment.
}
