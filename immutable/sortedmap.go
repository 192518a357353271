package immutable

import (
	"cmp"
	"iter"

	upstream "github.com/benbjohnson/immutable"
)

// SortedMap is a persistent map ordered by key (a B+tree): every update
// returns a new SortedMap that shares most of its structure with the old one,
// which stays unchanged. Get, Set and Delete take O(log n); iteration is in
// key order, forwards ([SortedMap.All]) or backwards ([SortedMap.Backward]).
//
// Keys are ordered by [cmp.Compare] when the key type is ordered (integers,
// floats, strings, and named types based on them), or by the function given
// to [NewSortedMap]. The zero value is an empty map ready to use when the key
// type is ordered; for any other key type, use NewSortedMap (the zero value
// panics on its first Set, naming the key type).
//
// A SortedMap is a small value and is safe for concurrent use: nothing can
// change it.
type SortedMap[K, V any] struct {
	m   *upstream.SortedMap[K, V] // nil until the first Set
	cmp func(a, b K) int          // the order given to NewSortedMap, or nil
}

// NewSortedMap returns an empty SortedMap ordered by compare, which must be a
// strict weak order returning a negative number, zero or a positive number as
// a < b, a == b or a > b (like [cmp.Compare]). A nil compare means the natural
// order of an ordered key type.
func NewSortedMap[K, V any](compare func(a, b K) int) SortedMap[K, V] {
	return SortedMap[K, V]{cmp: compare}
}

// SortedMapFrom returns a SortedMap holding the entries of m, in the natural
// order of K.
func SortedMapFrom[K cmp.Ordered, V any](m map[K]V) SortedMap[K, V] {
	b := NewSortedMapBuilder[K, V](orderedCompare[K]())
	for k, v := range m {
		b.Set(k, v)
	}
	return b.Build()
}

// CollectSortedMap returns a SortedMap of the pairs of seq in the natural
// order of K; a later pair replaces an earlier one with the same key.
func CollectSortedMap[K cmp.Ordered, V any](seq iter.Seq2[K, V]) SortedMap[K, V] {
	b := NewSortedMapBuilder[K, V](orderedCompare[K]())
	for k, v := range seq {
		b.Set(k, v)
	}
	return b.Build()
}

func (m SortedMap[K, V]) comparer(method string) upstream.Comparer[K] {
	if m.cmp != nil {
		return comparer[K](m.cmp)
	}
	return naturalOrder[K](method)
}

// Compare returns the order of the map's keys.
func (m SortedMap[K, V]) Compare(a, b K) int {
	if m.cmp != nil {
		return m.cmp(a, b)
	}
	return naturalOrder[K]("immutable.SortedMap.Compare").Compare(a, b)
}

// Len returns the number of entries.
func (m SortedMap[K, V]) Len() int {
	if m.m == nil {
		return 0
	}
	return m.m.Len()
}

// IsEmpty reports whether the map has no entries.
func (m SortedMap[K, V]) IsEmpty() bool { return m.Len() == 0 }

// Get returns the value stored under key and whether there is one.
func (m SortedMap[K, V]) Get(key K) (value V, ok bool) {
	if m.m != nil {
		value, ok = m.m.Get(key)
	}
	return
}

// Has reports whether the map holds key.
func (m SortedMap[K, V]) Has(key K) bool {
	_, ok := m.Get(key)
	return ok
}

// Set returns a new SortedMap with key set to value.
func (m SortedMap[K, V]) Set(key K, value V) SortedMap[K, V] {
	u := m.m
	if u == nil {
		u = upstream.NewSortedMap[K, V](m.comparer("immutable.SortedMap.Set"))
	}
	return SortedMap[K, V]{m: u.Set(key, value), cmp: m.cmp}
}

// Delete returns a SortedMap without key (the receiver itself if key is
// absent).
func (m SortedMap[K, V]) Delete(key K) SortedMap[K, V] {
	if m.m == nil {
		return m
	}
	return SortedMap[K, V]{m: m.m.Delete(key), cmp: m.cmp}
}

// Min returns the smallest key and its value; ok is false if the map is empty.
func (m SortedMap[K, V]) Min() (key K, value V, ok bool) {
	if m.Len() == 0 {
		return key, value, false
	}
	return m.m.Iterator().Next()
}

// Max returns the largest key and its value; ok is false if the map is empty.
func (m SortedMap[K, V]) Max() (key K, value V, ok bool) {
	if m.Len() == 0 {
		return key, value, false
	}
	it := m.m.Iterator()
	it.Last()
	return it.Next()
}

// All returns an iterator over the entries in ascending key order.
func (m SortedMap[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.m == nil {
			return
		}
		for it := m.m.Iterator(); !it.Done(); {
			k, v, _ := it.Next()
			if !yield(k, v) {
				return
			}
		}
	}
}

// From returns an iterator over the entries whose keys are at least key,
// in ascending order.
func (m SortedMap[K, V]) From(key K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.Len() == 0 {
			return
		}
		it := m.m.Iterator()
		for it.Seek(key); !it.Done(); {
			k, v, _ := it.Next()
			if !yield(k, v) {
				return
			}
		}
	}
}

// Backward returns an iterator over the entries in descending key order.
func (m SortedMap[K, V]) Backward() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if m.Len() == 0 {
			return
		}
		it := m.m.Iterator()
		for it.Last(); !it.Done(); {
			k, v, _ := it.Prev()
			if !yield(k, v) {
				return
			}
		}
	}
}

// Keys returns an iterator over the keys in ascending order.
func (m SortedMap[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range m.All() {
			if !yield(k) {
				return
			}
		}
	}
}

// Values returns an iterator over the values in ascending key order.
func (m SortedMap[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, v := range m.All() {
			if !yield(v) {
				return
			}
		}
	}
}

// Filter returns a SortedMap of the entries for which keep returns true, in
// the same order.
func (m SortedMap[K, V]) Filter(keep func(K, V) bool) SortedMap[K, V] {
	b := &SortedMapBuilder[K, V]{cmp: m.cmp}
	for k, v := range m.All() {
		if keep(k, v) {
			b.Set(k, v)
		}
	}
	return b.Build()
}

// EqualFunc reports whether m and o hold the same keys (by the receiver's
// order) and eq holds for the values under each key.
func (m SortedMap[K, V]) EqualFunc(o SortedMap[K, V], eq func(V, V) bool) bool {
	if m.Len() != o.Len() {
		return false
	}
	if m.m == o.m {
		return true
	}
	for k, v := range m.All() {
		w, ok := o.Get(k)
		if !ok || !eq(v, w) {
			return false
		}
	}
	return true
}

// EqualSortedMaps reports whether a and b hold the same entries.
func EqualSortedMaps[K any, V comparable](a, b SortedMap[K, V]) bool {
	return a.EqualFunc(b, func(x, y V) bool { return x == y })
}

// SortedMapBuilder builds a [SortedMap] by updating it in place, which is much
// faster than a chain of persistent updates. [SortedMapBuilder.Build] hands
// the contents to the SortedMap without copying, and the builder cannot be used
// afterwards (every method then panics).
//
// The zero value is an empty builder using the natural order of K, ready to
// use. A builder is not safe for concurrent use.
type SortedMapBuilder[K, V any] struct {
	b    *upstream.SortedMapBuilder[K, V] // nil until first use
	cmp  func(a, b K) int                 // the order, or nil for the natural one
	done bool
}

// NewSortedMapBuilder returns an empty builder ordered by compare (nil means
// the natural order of K).
func NewSortedMapBuilder[K, V any](compare func(a, b K) int) *SortedMapBuilder[K, V] {
	return &SortedMapBuilder[K, V]{cmp: compare}
}

// get returns the upstream builder. It is small enough to be inlined into
// every method; the first use and use after Build take the slow path.
func (b *SortedMapBuilder[K, V]) get(method string) *upstream.SortedMapBuilder[K, V] {
	if u := b.b; u != nil {
		return u
	}
	return b.init(method)
}

// init creates the upstream builder, or panics if Build has run (Build sets
// b.b back to nil).
func (b *SortedMapBuilder[K, V]) init(method string) *upstream.SortedMapBuilder[K, V] {
	if b.done {
		panic("immutable.SortedMapBuilder." + method + ": builder used after Build")
	}
	b.b = upstream.NewSortedMapBuilder[K, V](SortedMap[K, V]{cmp: b.cmp}.comparer("immutable.SortedMapBuilder." + method))
	return b.b
}

// Len returns the number of entries so far.
func (b *SortedMapBuilder[K, V]) Len() int { return b.get("Len").Len() }

// Get returns the value stored under key and whether there is one.
func (b *SortedMapBuilder[K, V]) Get(key K) (V, bool) { return b.get("Get").Get(key) }

// Set stores value under key.
func (b *SortedMapBuilder[K, V]) Set(key K, value V) { b.get("Set").Set(key, value) }

// Delete removes key.
func (b *SortedMapBuilder[K, V]) Delete(key K) { b.get("Delete").Delete(key) }

// Build returns the SortedMap and ends the builder's life: any later call on
// the builder panics.
func (b *SortedMapBuilder[K, V]) Build() SortedMap[K, V] {
	if b.done {
		panic("immutable.SortedMapBuilder.Build: builder used after Build")
	}
	b.done = true
	if b.b == nil {
		return SortedMap[K, V]{cmp: b.cmp}
	}
	u := b.b
	b.b = nil
	m := u.Map()
	if m.Len() == 0 {
		return SortedMap[K, V]{cmp: b.cmp}
	}
	return SortedMap[K, V]{m: m, cmp: b.cmp}
}
