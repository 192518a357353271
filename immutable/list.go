package immutable

import (
	"fmt"
	"iter"

	upstream "github.com/benbjohnson/immutable"
)

// List is a persistent ordered sequence (a 32-way trie): every update returns
// a new List that shares most of its structure with the old one, which stays
// unchanged. Get, Set, Append and Prepend take O(log32 n).
//
// The zero value is an empty list ready to use (unlike the upstream List,
// whose zero value panics on Append). A List is a small value (one pointer)
// and is safe for concurrent use: nothing can change it.
type List[T any] struct {
	l *upstream.List[T]
}

// ListOf returns a List holding vs.
func ListOf[T any](vs ...T) List[T] {
	return ListFrom(vs)
}

// ListFrom returns a List holding the elements of s (copied).
func ListFrom[T any](s []T) List[T] {
	if len(s) == 0 {
		return List[T]{}
	}
	b := upstream.NewListBuilder[T]()
	for _, v := range s {
		b.Append(v)
	}
	return List[T]{l: b.List()}
}

// CollectList returns a List of the values of seq, in order.
func CollectList[T any](seq iter.Seq[T]) List[T] {
	var b ListBuilder[T]
	for v := range seq {
		b.Append(v)
	}
	return b.Build()
}

// Len returns the number of elements.
func (l List[T]) Len() int {
	if l.l == nil {
		return 0
	}
	return l.l.Len()
}

// IsEmpty reports whether the list has no elements.
func (l List[T]) IsEmpty() bool { return l.Len() == 0 }

// At returns the element at index i. It panics if i is out of range, like
// a slice index.
//
// At is small enough to be inlined (inlining cost 80, the compiler's budget),
// so a lookup costs one call, as calling upstream's Get does: the index of a
// non-empty list is checked by upstream's Get, whose panic names
// "immutable.List.Get"; only the zero List is checked here. Adding a check
// here would push At over the budget and cost every lookup a second call.
func (l List[T]) At(i int) T {
	if l.l == nil {
		panic(indexError{"immutable.List.At", i, 0})
	}
	return l.l.Get(i)
}

// Set returns a new List with the element at index i replaced by v. It panics
// if i is out of range.
func (l List[T]) Set(i int, v T) List[T] {
	if uint(i) >= uint(l.Len()) {
		panic(fmt.Sprintf("immutable.List.Set: index %d out of range [0:%d]", i, l.Len()))
	}
	return List[T]{l: l.l.Set(i, v)}
}

// Append returns a new List with v added at the end.
func (l List[T]) Append(v T) List[T] {
	if l.l == nil {
		return List[T]{l: upstream.NewList(v)}
	}
	return List[T]{l: l.l.Append(v)}
}

// Prepend returns a new List with v added at the front.
func (l List[T]) Prepend(v T) List[T] {
	if l.l == nil {
		return List[T]{l: upstream.NewList(v)}
	}
	return List[T]{l: l.l.Prepend(v)}
}

// Slice returns the elements from index i up to (not including) j. It panics
// unless 0 <= i <= j <= Len(). Elements outside the range are released, so
// they can be garbage collected once no other version holds them.
func (l List[T]) Slice(i, j int) List[T] {
	n := l.Len()
	if i < 0 || j > n || i > j {
		panic(fmt.Sprintf("immutable.List.Slice: slice bounds [%d:%d] out of range [0:%d]", i, j, n))
	}
	if i == j {
		return List[T]{}
	}
	return List[T]{l: l.l.Slice(i, j)}
}

// All returns an iterator over the indexes and elements, in order.
func (l List[T]) All() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		if l.l == nil {
			return
		}
		for it := l.l.Iterator(); !it.Done(); {
			i, v := it.Next()
			if !yield(i, v) {
				return
			}
		}
	}
}

// Values returns an iterator over the elements, in order.
func (l List[T]) Values() iter.Seq[T] {
	return func(yield func(T) bool) {
		if l.l == nil {
			return
		}
		for it := l.l.Iterator(); !it.Done(); {
			if _, v := it.Next(); !yield(v) {
				return
			}
		}
	}
}

// Backward returns an iterator over the indexes and elements, last first.
func (l List[T]) Backward() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		if l.Len() == 0 {
			return
		}
		it := l.l.Iterator()
		for it.Last(); !it.Done(); {
			if !yield(it.Prev()) {
				return
			}
		}
	}
}

// ToSlice returns a new slice holding the elements; the caller may modify it.
func (l List[T]) ToSlice() []T {
	s := make([]T, 0, l.Len())
	for v := range l.Values() {
		s = append(s, v)
	}
	return s
}

// ToArray returns the elements as an [Array].
func (l List[T]) ToArray() Array[T] { return Own(l.ToSlice()) }

// Filter returns a List of the elements for which keep returns true.
func (l List[T]) Filter(keep func(T) bool) List[T] {
	var b ListBuilder[T]
	for v := range l.Values() {
		if keep(v) {
			b.Append(v)
		}
	}
	return b.Build()
}

// EqualFunc reports whether l and o have the same length and eq holds for
// each pair of elements at the same index.
func (l List[T]) EqualFunc(o List[T], eq func(T, T) bool) bool {
	if l.Len() != o.Len() {
		return false
	}
	if l.l == o.l {
		return true
	}
	next, stop := iter.Pull(o.Values())
	defer stop()
	for v := range l.Values() {
		w, _ := next()
		if !eq(v, w) {
			return false
		}
	}
	return true
}

// String formats the list like a slice, for debugging.
func (l List[T]) String() string { return fmt.Sprint(l.ToSlice()) }

// EqualLists reports whether a and b hold equal elements in the same order.
func EqualLists[T comparable](a, b List[T]) bool {
	return a.EqualFunc(b, func(x, y T) bool { return x == y })
}

// MapList returns a List holding f applied to each element of l.
func MapList[T, U any](l List[T], f func(T) U) List[U] {
	var b ListBuilder[U]
	for v := range l.Values() {
		b.Append(f(v))
	}
	return b.Build()
}

// ListBuilder builds a [List] by updating it in place, which is much faster
// than a chain of persistent updates. [ListBuilder.Build] hands the contents
// to the List without copying, and the builder cannot be used afterwards
// (every method then panics).
//
// The zero value is an empty builder ready to use. A builder is not safe for
// concurrent use.
type ListBuilder[T any] struct {
	b    *upstream.ListBuilder[T]
	done bool
}

// get returns the upstream builder. It is small enough to be inlined into
// every method; the first use and use after Build take the slow path.
func (b *ListBuilder[T]) get(method string) *upstream.ListBuilder[T] {
	if u := b.b; u != nil {
		return u
	}
	return b.init(method)
}

// init creates the upstream builder, or panics if Build has run (Build sets
// b.b back to nil).
func (b *ListBuilder[T]) init(method string) *upstream.ListBuilder[T] {
	if b.done {
		panic("immutable.ListBuilder." + method + ": builder used after Build")
	}
	b.b = upstream.NewListBuilder[T]()
	return b.b
}

// Len returns the number of elements added so far.
func (b *ListBuilder[T]) Len() int { return b.get("Len").Len() }

// At returns the element at index i. It panics if i is out of range.
func (b *ListBuilder[T]) At(i int) T {
	u := b.get("At")
	if uint(i) >= uint(u.Len()) {
		panic(fmt.Sprintf("immutable.ListBuilder.At: index %d out of range [0:%d]", i, u.Len()))
	}
	return u.Get(i)
}

// Set replaces the element at index i. It panics if i is out of range.
func (b *ListBuilder[T]) Set(i int, v T) {
	u := b.get("Set")
	if uint(i) >= uint(u.Len()) {
		panic(fmt.Sprintf("immutable.ListBuilder.Set: index %d out of range [0:%d]", i, u.Len()))
	}
	u.Set(i, v)
}

// Append adds v at the end.
func (b *ListBuilder[T]) Append(v T) { b.get("Append").Append(v) }

// Prepend adds v at the front.
func (b *ListBuilder[T]) Prepend(v T) { b.get("Prepend").Prepend(v) }

// Build returns the List and ends the builder's life: any later call on the
// builder panics.
func (b *ListBuilder[T]) Build() List[T] {
	u := b.get("Build")
	b.done = true
	b.b = nil
	if u.Len() == 0 {
		return List[T]{}
	}
	return List[T]{l: u.List()}
}

// ListIterator is a cursor over a [List] in index order, for the hottest
// loops: calling Next costs what the upstream iterator costs, whereas a
// range-over-func loop over [List.All] pays a closure call per element
// (bench/RESULTS.md measures both). The zero value is an exhausted cursor;
// a ListIterator must not be shared between goroutines.
type ListIterator[T any] struct {
	it *upstream.ListIterator[T]
}

// Iterator returns a cursor positioned at the first element.
func (l List[T]) Iterator() (it ListIterator[T]) {
	if l.l != nil {
		it.it = l.l.Iterator()
	}
	return
}

// Next returns the next index and element and advances; ok is false when
// the cursor is exhausted.
func (it ListIterator[T]) Next() (i int, v T, ok bool) {
	if it.it != nil {
		i, v = it.it.Next() // -1 once exhausted
		ok = i >= 0
	}
	return
}
