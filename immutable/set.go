package immutable

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// Set is a persistent set of comparable values, built on [Map]: every update
// returns a new Set and leaves the old one unchanged. Values are hashed with
// a seeded [hash/maphash] unless a [Hasher] is given to [NewSet]; iteration
// order is unspecified.
//
// The zero value is an empty set ready to use. A Set is a small value and is
// safe for concurrent use: nothing can change it.
type Set[T comparable] struct {
	m Map[T, struct{}]
}

// NewSet returns an empty Set whose values are hashed and compared by h (nil
// means the default seeded hasher, which is what the zero Set uses).
func NewSet[T comparable](h Hasher[T]) Set[T] {
	return Set[T]{m: NewMap[T, struct{}](h)}
}

// SetOf returns a Set holding vs (duplicates collapse).
func SetOf[T comparable](vs ...T) Set[T] {
	var b SetBuilder[T]
	for _, v := range vs {
		b.Add(v)
	}
	return b.Build()
}

// CollectSet returns a Set of the values of seq.
func CollectSet[T comparable](seq iter.Seq[T]) Set[T] {
	var b SetBuilder[T]
	for v := range seq {
		b.Add(v)
	}
	return b.Build()
}

// Len returns the number of values.
func (s Set[T]) Len() int { return s.m.Len() }

// IsEmpty reports whether the set has no values.
func (s Set[T]) IsEmpty() bool { return s.m.Len() == 0 }

// Has reports whether the set holds v.
func (s Set[T]) Has(v T) bool { return s.m.Has(v) }

// Add returns a Set that also holds v (the receiver itself if it already
// does).
func (s Set[T]) Add(v T) Set[T] {
	if s.m.Has(v) {
		return s
	}
	return Set[T]{m: s.m.Set(v, struct{}{})}
}

// Delete returns a Set without v (the receiver itself if v is absent).
func (s Set[T]) Delete(v T) Set[T] { return Set[T]{m: s.m.Delete(v)} }

// All returns an iterator over the values, in unspecified order.
func (s Set[T]) All() iter.Seq[T] { return s.m.Keys() }

// ToSlice returns a new slice holding the values, in unspecified order.
func (s Set[T]) ToSlice() []T {
	out := make([]T, 0, s.Len())
	return slices.AppendSeq(out, s.All())
}

// Filter returns a Set of the values for which keep returns true.
func (s Set[T]) Filter(keep func(T) bool) Set[T] {
	return Set[T]{m: s.m.Filter(func(v T, _ struct{}) bool { return keep(v) })}
}

// builder returns an empty builder with the receiver's hasher.
func (s Set[T]) builder() *SetBuilder[T] {
	return &SetBuilder[T]{b: MapBuilder[T, struct{}]{h: s.m.h}}
}

// sameEquality reports whether s and o certainly agree on which values are
// equal, which lets the set algebra pick the cheaper operand.
func (s Set[T]) sameEquality(o Set[T]) bool { return s.m.h == nil && o.m.h == nil }

// Union returns the values in s or in o. The result uses the receiver's
// hasher. When one operand is much smaller, its values are added to the other
// persistently, so the result shares most of its storage with the larger.
func (s Set[T]) Union(o Set[T]) Set[T] {
	return setUnion(s, o, s.sameEquality(o), s.builder())
}

// Intersect returns the values in both s and o. The result uses the
// receiver's hasher.
func (s Set[T]) Intersect(o Set[T]) Set[T] {
	return setIntersect(s, o, s.sameEquality(o), s.builder())
}

// Difference returns the values in s that are not in o.
func (s Set[T]) Difference(o Set[T]) Set[T] { return setDifference(s, o, s.builder()) }

// IsSubset reports whether every value of s is in o.
func (s Set[T]) IsSubset(o Set[T]) bool { return setIsSubset(s, o, s.sameEquality(o)) }

// Equal reports whether s and o hold the same values.
func (s Set[T]) Equal(o Set[T]) bool { return setEqual(s, o, s.sameEquality(o)) }

// String formats the set for debugging, in unspecified order.
func (s Set[T]) String() string { return formatSeq(s.All()) }

// SetBuilder builds a [Set] in place. [SetBuilder.Build] hands the contents
// to the Set without copying, and the builder cannot be used afterwards
// (every method then panics).
//
// The zero value is an empty builder with the default hasher, ready to use.
// A builder is not safe for concurrent use.
type SetBuilder[T comparable] struct {
	b MapBuilder[T, struct{}]
}

// NewSetBuilder returns an empty builder whose values are hashed and compared
// by h (nil means the default seeded hasher).
func NewSetBuilder[T comparable](h Hasher[T]) *SetBuilder[T] {
	return &SetBuilder[T]{b: MapBuilder[T, struct{}]{h: h}}
}

func (b *SetBuilder[T]) check(method string) {
	if b.b.done {
		panic("immutable.SetBuilder." + method + ": builder used after Build")
	}
}

// Add adds v.
func (b *SetBuilder[T]) Add(v T) {
	b.check("Add")
	b.b.Set(v, struct{}{})
}

// Delete removes v.
func (b *SetBuilder[T]) Delete(v T) {
	b.check("Delete")
	b.b.Delete(v)
}

// Has reports whether v has been added (and not deleted).
func (b *SetBuilder[T]) Has(v T) bool {
	b.check("Has")
	_, ok := b.b.Get(v)
	return ok
}

// Len returns the number of values so far.
func (b *SetBuilder[T]) Len() int {
	b.check("Len")
	return b.b.Len()
}

// Build returns the Set and ends the builder's life: any later call on the
// builder panics.
func (b *SetBuilder[T]) Build() Set[T] {
	b.check("Build")
	return Set[T]{m: b.b.Build()}
}

// SortedSet is a persistent set kept in order, built on [SortedMap]: every
// update returns a new SortedSet and leaves the old one unchanged. Values are
// ordered by [cmp.Compare] when the type is ordered, or by the function given
// to [NewSortedSet]; the zero value of a SortedSet of any other type panics on
// its first Add.
//
// The zero value is an empty set ready to use (for ordered types). A
// SortedSet is a small value and is safe for concurrent use.
type SortedSet[T any] struct {
	m SortedMap[T, struct{}]
}

// NewSortedSet returns an empty SortedSet ordered by compare (see
// [NewSortedMap]; nil means the natural order of T).
func NewSortedSet[T any](compare func(a, b T) int) SortedSet[T] {
	return SortedSet[T]{m: NewSortedMap[T, struct{}](compare)}
}

// SortedSetOf returns a SortedSet holding vs in their natural order
// (duplicates collapse).
func SortedSetOf[T cmp.Ordered](vs ...T) SortedSet[T] {
	b := NewSortedSetBuilder(orderedCompare[T]())
	for _, v := range vs {
		b.Add(v)
	}
	return b.Build()
}

// CollectSortedSet returns a SortedSet of the values of seq in their natural
// order.
func CollectSortedSet[T cmp.Ordered](seq iter.Seq[T]) SortedSet[T] {
	b := NewSortedSetBuilder(orderedCompare[T]())
	for v := range seq {
		b.Add(v)
	}
	return b.Build()
}

// Len returns the number of values.
func (s SortedSet[T]) Len() int { return s.m.Len() }

// IsEmpty reports whether the set has no values.
func (s SortedSet[T]) IsEmpty() bool { return s.m.Len() == 0 }

// Has reports whether the set holds v.
func (s SortedSet[T]) Has(v T) bool { return s.m.Has(v) }

// Add returns a SortedSet that also holds v (the receiver itself if it
// already does).
func (s SortedSet[T]) Add(v T) SortedSet[T] {
	if s.m.Has(v) {
		return s
	}
	return SortedSet[T]{m: s.m.Set(v, struct{}{})}
}

// Delete returns a SortedSet without v (the receiver itself if v is absent).
func (s SortedSet[T]) Delete(v T) SortedSet[T] { return SortedSet[T]{m: s.m.Delete(v)} }

// Min returns the smallest value; ok is false if the set is empty.
func (s SortedSet[T]) Min() (v T, ok bool) {
	v, _, ok = s.m.Min()
	return v, ok
}

// Max returns the largest value; ok is false if the set is empty.
func (s SortedSet[T]) Max() (v T, ok bool) {
	v, _, ok = s.m.Max()
	return v, ok
}

// All returns an iterator over the values in ascending order.
func (s SortedSet[T]) All() iter.Seq[T] { return s.m.Keys() }

// From returns an iterator over the values that are at least v, ascending.
func (s SortedSet[T]) From(v T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for k := range s.m.From(v) {
			if !yield(k) {
				return
			}
		}
	}
}

// Backward returns an iterator over the values in descending order.
func (s SortedSet[T]) Backward() iter.Seq[T] {
	return func(yield func(T) bool) {
		for k := range s.m.Backward() {
			if !yield(k) {
				return
			}
		}
	}
}

// ToSlice returns a new slice holding the values in ascending order.
func (s SortedSet[T]) ToSlice() []T {
	out := make([]T, 0, s.Len())
	return slices.AppendSeq(out, s.All())
}

// Filter returns a SortedSet of the values for which keep returns true.
func (s SortedSet[T]) Filter(keep func(T) bool) SortedSet[T] {
	return SortedSet[T]{m: s.m.Filter(func(v T, _ struct{}) bool { return keep(v) })}
}

func (s SortedSet[T]) builder() *SortedSetBuilder[T] {
	return &SortedSetBuilder[T]{b: SortedMapBuilder[T, struct{}]{cmp: s.m.cmp}}
}

func (s SortedSet[T]) sameOrder(o SortedSet[T]) bool { return s.m.cmp == nil && o.m.cmp == nil }

// Union returns the values in s or in o, in the receiver's order. When one
// operand is much smaller, its values are added to the other persistently.
func (s SortedSet[T]) Union(o SortedSet[T]) SortedSet[T] {
	return setUnion(s, o, s.sameOrder(o), s.builder())
}

// Intersect returns the values in both s and o, in the receiver's order.
func (s SortedSet[T]) Intersect(o SortedSet[T]) SortedSet[T] {
	return setIntersect(s, o, s.sameOrder(o), s.builder())
}

// Difference returns the values in s that are not in o.
func (s SortedSet[T]) Difference(o SortedSet[T]) SortedSet[T] {
	return setDifference(s, o, s.builder())
}

// IsSubset reports whether every value of s is in o.
func (s SortedSet[T]) IsSubset(o SortedSet[T]) bool { return setIsSubset(s, o, s.sameOrder(o)) }

// Equal reports whether s and o hold the same values.
func (s SortedSet[T]) Equal(o SortedSet[T]) bool { return setEqual(s, o, s.sameOrder(o)) }

// String formats the set for debugging, in ascending order.
func (s SortedSet[T]) String() string { return formatSeq(s.All()) }

// SortedSetBuilder builds a [SortedSet] in place. [SortedSetBuilder.Build]
// hands the contents to the SortedSet without copying, and the builder cannot
// be used afterwards (every method then panics).
//
// The zero value is an empty builder using the natural order of T, ready to
// use. A builder is not safe for concurrent use.
type SortedSetBuilder[T any] struct {
	b SortedMapBuilder[T, struct{}]
}

// NewSortedSetBuilder returns an empty builder ordered by compare (nil means
// the natural order of T).
func NewSortedSetBuilder[T any](compare func(a, b T) int) *SortedSetBuilder[T] {
	return &SortedSetBuilder[T]{b: SortedMapBuilder[T, struct{}]{cmp: compare}}
}

func (b *SortedSetBuilder[T]) check(method string) {
	if b.b.done {
		panic("immutable.SortedSetBuilder." + method + ": builder used after Build")
	}
}

// Add adds v.
func (b *SortedSetBuilder[T]) Add(v T) {
	b.check("Add")
	b.b.Set(v, struct{}{})
}

// Delete removes v.
func (b *SortedSetBuilder[T]) Delete(v T) {
	b.check("Delete")
	b.b.Delete(v)
}

// Has reports whether v has been added (and not deleted).
func (b *SortedSetBuilder[T]) Has(v T) bool {
	b.check("Has")
	_, ok := b.b.Get(v)
	return ok
}

// Len returns the number of values so far.
func (b *SortedSetBuilder[T]) Len() int {
	b.check("Len")
	return b.b.Len()
}

// Build returns the SortedSet and ends the builder's life: any later call on
// the builder panics.
func (b *SortedSetBuilder[T]) Build() SortedSet[T] {
	b.check("Build")
	return SortedSet[T]{m: b.b.Build()}
}

func formatSeq[T any](seq iter.Seq[T]) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for v := range seq {
		if sb.Len() > 1 {
			sb.WriteByte(' ')
		}
		fmt.Fprint(&sb, v)
	}
	sb.WriteByte('}')
	return sb.String()
}

// Reduce folds the values of seq into an accumulator, starting from init:
// Reduce(l.Values(), 0, func(sum, v int) int { return sum + v }).
func Reduce[T, A any](seq iter.Seq[T], init A, f func(A, T) A) A {
	acc := init
	for v := range seq {
		acc = f(acc, v)
	}
	return acc
}

// Reduce2 folds the pairs of seq (for example a map's All) into an
// accumulator, starting from init.
func Reduce2[K, V, A any](seq iter.Seq2[K, V], init A, f func(A, K, V) A) A {
	acc := init
	for k, v := range seq {
		acc = f(acc, k, v)
	}
	return acc
}
