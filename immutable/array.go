package immutable

import (
	"fmt"
	"iter"
	"slices"
)

// Array is an immutable flat slice: the fastest collection to read and to
// iterate, and the cheapest to build, for small or read-mostly data. Every
// update ([Array.Append], [Array.Set]) copies the whole array, so above a few
// dozen elements that are updated one at a time a [List] is the better choice
// (bench/RESULTS.md reports the crossover).
//
// The zero value is an empty array ready to use. An Array is a small value
// (one slice header); copying it never copies the elements, and it is safe
// for concurrent use because nothing can change it.
type Array[T any] struct {
	s []T
}

// Own returns an Array that takes ownership of s without copying it. The
// caller promises never to modify s (or any slice sharing its backing array)
// again; doing so breaks the immutability of the Array and of every Array and
// [List] derived from it.
func Own[T any](s []T) Array[T] {
	return Array[T]{s: slices.Clip(s)}
}

// Of returns an Array holding a copy of vs.
func Of[T any](vs ...T) Array[T] {
	return From(vs)
}

// From returns an Array holding a copy of s.
func From[T any](s []T) Array[T] {
	if len(s) == 0 {
		return Array[T]{}
	}
	return Array[T]{s: slices.Clone(s)}
}

// CollectArray returns an Array of the values of seq, in order.
func CollectArray[T any](seq iter.Seq[T]) Array[T] {
	return Own(slices.Collect(seq))
}

// Len returns the number of elements.
func (a Array[T]) Len() int { return len(a.s) }

// IsEmpty reports whether the array has no elements.
func (a Array[T]) IsEmpty() bool { return len(a.s) == 0 }

// At returns the element at index i. It panics if i is out of range.
func (a Array[T]) At(i int) T {
	if uint(i) >= uint(len(a.s)) {
		panic(indexError{"immutable.Array.At", i, len(a.s)})
	}
	return a.s[i]
}

// All returns an iterator over the indexes and elements, in order.
func (a Array[T]) All() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for i, v := range a.s {
			if !yield(i, v) {
				return
			}
		}
	}
}

// Values returns an iterator over the elements, in order.
func (a Array[T]) Values() iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, v := range a.s {
			if !yield(v) {
				return
			}
		}
	}
}

// Backward returns an iterator over the indexes and elements, last first.
func (a Array[T]) Backward() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for i, v := range slices.Backward(a.s) {
			if !yield(i, v) {
				return
			}
		}
	}
}

// Slice returns the elements from index i up to (not including) j as an
// Array that shares this one's storage (no copy). It panics unless
// 0 <= i <= j <= Len().
func (a Array[T]) Slice(i, j int) Array[T] {
	if i < 0 || j > len(a.s) || i > j {
		panic(fmt.Sprintf("immutable.Array.Slice: slice bounds [%d:%d] out of range [0:%d]", i, j, len(a.s)))
	}
	return Array[T]{s: a.s[i:j:j]}
}

// Append returns a new Array with vs added at the end. It copies the
// elements; the receiver is unchanged.
func (a Array[T]) Append(vs ...T) Array[T] {
	if len(vs) == 0 {
		return a
	}
	s := make([]T, len(a.s)+len(vs))
	copy(s, a.s)
	copy(s[len(a.s):], vs)
	return Array[T]{s: s}
}

// Set returns a new Array with the element at index i replaced by v. It
// panics if i is out of range.
func (a Array[T]) Set(i int, v T) Array[T] {
	if uint(i) >= uint(len(a.s)) {
		panic(fmt.Sprintf("immutable.Array.Set: index %d out of range [0:%d]", i, len(a.s)))
	}
	s := slices.Clone(a.s)
	s[i] = v
	return Array[T]{s: s}
}

// ToSlice returns a new slice holding the elements; the caller may modify it.
func (a Array[T]) ToSlice() []T {
	return slices.Clone(a.s)
}

// ToList returns the elements as a [List].
func (a Array[T]) ToList() List[T] { return ListFrom(a.s) }

// Filter returns an Array of the elements for which keep returns true.
func (a Array[T]) Filter(keep func(T) bool) Array[T] {
	var s []T
	for _, v := range a.s {
		if keep(v) {
			s = append(s, v)
		}
	}
	return Own(s)
}

// EqualFunc reports whether a and b have the same length and eq holds for
// each pair of elements at the same index.
func (a Array[T]) EqualFunc(b Array[T], eq func(T, T) bool) bool {
	return slices.EqualFunc(a.s, b.s, eq)
}

// String formats the array like a slice, for debugging.
func (a Array[T]) String() string { return fmt.Sprint(a.s) }

// EqualArrays reports whether a and b hold equal elements in the same order.
func EqualArrays[T comparable](a, b Array[T]) bool { return slices.Equal(a.s, b.s) }

// MapArray returns an Array holding f applied to each element of a.
func MapArray[T, U any](a Array[T], f func(T) U) Array[U] {
	if len(a.s) == 0 {
		return Array[U]{}
	}
	s := make([]U, len(a.s))
	for i, v := range a.s {
		s[i] = f(v)
	}
	return Array[U]{s: s}
}

// ArrayBuilder accumulates elements for an [Array]. [ArrayBuilder.Build]
// hands the accumulated storage to the Array without copying, and the builder
// cannot be used afterwards (every method then panics).
//
// The zero value is an empty builder ready to use. A builder is not safe for
// concurrent use.
type ArrayBuilder[T any] struct {
	s    []T
	done bool
}

// NewArrayBuilder returns a builder with room for capacity elements.
func NewArrayBuilder[T any](capacity int) *ArrayBuilder[T] {
	return &ArrayBuilder[T]{s: make([]T, 0, max(capacity, 0))}
}

func (b *ArrayBuilder[T]) check(method string) {
	if b.done {
		panic("immutable.ArrayBuilder." + method + ": builder used after Build")
	}
}

// Append adds vs at the end.
func (b *ArrayBuilder[T]) Append(vs ...T) {
	b.check("Append")
	b.s = append(b.s, vs...)
}

// Len returns the number of elements added so far.
func (b *ArrayBuilder[T]) Len() int {
	b.check("Len")
	return len(b.s)
}

// At returns the element at index i. It panics if i is out of range.
func (b *ArrayBuilder[T]) At(i int) T {
	b.check("At")
	if uint(i) >= uint(len(b.s)) {
		panic(fmt.Sprintf("immutable.ArrayBuilder.At: index %d out of range [0:%d]", i, len(b.s)))
	}
	return b.s[i]
}

// Set replaces the element at index i. It panics if i is out of range.
func (b *ArrayBuilder[T]) Set(i int, v T) {
	b.check("Set")
	if uint(i) >= uint(len(b.s)) {
		panic(fmt.Sprintf("immutable.ArrayBuilder.Set: index %d out of range [0:%d]", i, len(b.s)))
	}
	b.s[i] = v
}

// Build returns the Array and ends the builder's life: its storage now
// belongs to the Array, and any later call on the builder panics.
func (b *ArrayBuilder[T]) Build() Array[T] {
	b.check("Build")
	b.done = true
	s := b.s
	b.s = nil
	return Own(s)
}

// indexError is the panic value of an index out of range. Building the
// message only when it is printed keeps At small enough to inline.
type indexError struct {
	method string
	i, n   int
}

func (e indexError) Error() string {
	return fmt.Sprintf("%s: index %d out of range [0:%d]", e.method, e.i, e.n)
}
