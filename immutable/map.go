package immutable

import (
	"iter"
	"maps"

	upstream "github.com/benbjohnson/immutable"
)

// Map is a persistent hash map (a hash array mapped trie): every update
// returns a new Map that shares most of its structure with the old one, which
// stays unchanged. Get, Set and Delete take O(log32 n).
//
// Keys of any comparable type work without a hasher: they are hashed with a
// seeded [hash/maphash], built-in integer keys with a cheaper seeded hash
// that keeps runs of consecutive keys dense (see "Hashing and ordering" in
// the package documentation, and [NewMap] for a custom [Hasher]). Iteration
// order is unspecified and differs between processes; JSON output is sorted
// by key.
//
// The zero value is an empty map ready to use. A Map is a small value (a
// pointer and its hasher) and is safe for concurrent use: nothing can change
// it.
type Map[K comparable, V any] struct {
	m *upstream.Map[K, V] // nil until the first Set
	h upstream.Hasher[K]  // a custom hasher, or nil for the default
}

// NewMap returns an empty Map whose keys are hashed and compared by h. A nil
// h means the default seeded hasher, which is what the zero Map uses.
func NewMap[K comparable, V any](h Hasher[K]) Map[K, V] {
	if h == nil {
		return Map[K, V]{}
	}
	return Map[K, V]{h: h}
}

// MapFrom returns a Map holding the entries of m.
func MapFrom[K comparable, V any](m map[K]V) Map[K, V] {
	var b MapBuilder[K, V]
	for k, v := range m {
		b.Set(k, v)
	}
	return b.Build()
}

// CollectMap returns a Map of the pairs of seq; a later pair replaces an
// earlier one with the same key.
func CollectMap[K comparable, V any](seq iter.Seq2[K, V]) Map[K, V] {
	var b MapBuilder[K, V]
	for k, v := range seq {
		b.Set(k, v)
	}
	return b.Build()
}

// up returns the upstream map, an empty one with the receiver's hasher for
// the zero Map. Its fast path is small enough to be inlined into Set.
func (m Map[K, V]) up() *upstream.Map[K, V] {
	if u := m.m; u != nil {
		return u
	}
	return m.empty()
}

// empty returns an empty upstream map with the receiver's hasher.
func (m Map[K, V]) empty() *upstream.Map[K, V] {
	return upstream.NewMap[K, V](m.hasher())
}

// Len returns the number of entries.
func (m Map[K, V]) Len() int {
	if m.m == nil {
		return 0
	}
	return m.m.Len()
}

// IsEmpty reports whether the map has no entries.
func (m Map[K, V]) IsEmpty() bool { return m.Len() == 0 }

// Get returns the value stored under key and whether there is one.
func (m Map[K, V]) Get(key K) (value V, ok bool) {
	if m.m != nil {
		value, ok = m.m.Get(key)
	}
	return
}

// Has reports whether the map holds key.
func (m Map[K, V]) Has(key K) bool {
	_, ok := m.Get(key)
	return ok
}

// Set returns a new Map with key set to value.
func (m Map[K, V]) Set(key K, value V) Map[K, V] {
	return Map[K, V]{m: m.up().Set(key, value), h: m.h}
}

// Delete returns a Map without key (the receiver itself if key is absent).
func (m Map[K, V]) Delete(key K) Map[K, V] {
	if m.m == nil {
		return m
	}
	return Map[K, V]{m: m.m.Delete(key), h: m.h}
}

// All returns an iterator over the entries, in unspecified order.
func (m Map[K, V]) All() iter.Seq2[K, V] {
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

// Keys returns an iterator over the keys, in unspecified order.
func (m Map[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range m.All() {
			if !yield(k) {
				return
			}
		}
	}
}

// Values returns an iterator over the values, in unspecified order.
func (m Map[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, v := range m.All() {
			if !yield(v) {
				return
			}
		}
	}
}

// ToMap returns a new built-in map holding the entries.
func (m Map[K, V]) ToMap() map[K]V {
	out := make(map[K]V, m.Len())
	maps.Insert(out, m.All())
	return out
}

// Filter returns a Map of the entries for which keep returns true. The result
// uses the receiver's hasher.
func (m Map[K, V]) Filter(keep func(K, V) bool) Map[K, V] {
	b := m.builder()
	for k, v := range m.All() {
		if keep(k, v) {
			b.Set(k, v)
		}
	}
	return b.Build()
}

// builder returns an empty builder with the receiver's hasher.
func (m Map[K, V]) builder() *MapBuilder[K, V] {
	return &MapBuilder[K, V]{h: m.h}
}

// hasher returns the receiver's hasher.
func (m Map[K, V]) hasher() upstream.Hasher[K] {
	if m.h != nil {
		return m.h
	}
	return defaultHasher[K]()
}

// EqualFunc reports whether m and o hold the same keys (by the receiver's
// equality) and eq holds for the values under each key.
func (m Map[K, V]) EqualFunc(o Map[K, V], eq func(V, V) bool) bool {
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

// EqualMaps reports whether a and b hold the same entries.
func EqualMaps[K, V comparable](a, b Map[K, V]) bool {
	return a.EqualFunc(b, func(x, y V) bool { return x == y })
}

// MapValues returns a Map with the same keys as m and f applied to each
// value. The result uses m's hasher.
func MapValues[K comparable, V, W any](m Map[K, V], f func(K, V) W) Map[K, W] {
	b := MapBuilder[K, W]{h: m.h}
	for k, v := range m.All() {
		b.Set(k, f(k, v))
	}
	return b.Build()
}

// MapBuilder builds a [Map] by updating it in place, which is much faster
// than a chain of persistent updates. [MapBuilder.Build] hands the contents to
// the Map without copying, and the builder cannot be used afterwards (every
// method then panics).
//
// The zero value is an empty builder with the default hasher, ready to use.
// A builder is not safe for concurrent use.
type MapBuilder[K comparable, V any] struct {
	b    *upstream.MapBuilder[K, V] // nil until first use
	h    upstream.Hasher[K]         // a custom hasher, or nil for the default
	done bool
}

// NewMapBuilder returns an empty builder whose keys are hashed and compared by
// h (nil means the default seeded hasher).
func NewMapBuilder[K comparable, V any](h Hasher[K]) *MapBuilder[K, V] {
	if h == nil {
		return &MapBuilder[K, V]{}
	}
	return &MapBuilder[K, V]{h: h}
}

// get returns the upstream builder. It is small enough to be inlined into
// every method; the first use and use after Build take the slow path.
func (b *MapBuilder[K, V]) get(method string) *upstream.MapBuilder[K, V] {
	if u := b.b; u != nil {
		return u
	}
	return b.init(method)
}

// init creates the upstream builder, or panics if Build has run (Build sets
// b.b back to nil).
func (b *MapBuilder[K, V]) init(method string) *upstream.MapBuilder[K, V] {
	if b.done {
		panic("immutable.MapBuilder." + method + ": builder used after Build")
	}
	h := b.h
	if h == nil {
		h = defaultHasher[K]()
	}
	b.b = upstream.NewMapBuilder[K, V](h)
	return b.b
}

// Len returns the number of entries so far.
func (b *MapBuilder[K, V]) Len() int { return b.get("Len").Len() }

// Get returns the value stored under key and whether there is one.
func (b *MapBuilder[K, V]) Get(key K) (V, bool) { return b.get("Get").Get(key) }

// Set stores value under key.
func (b *MapBuilder[K, V]) Set(key K, value V) { b.get("Set").Set(key, value) }

// Delete removes key.
func (b *MapBuilder[K, V]) Delete(key K) { b.get("Delete").Delete(key) }

// Build returns the Map and ends the builder's life: any later call on the
// builder panics.
func (b *MapBuilder[K, V]) Build() Map[K, V] {
	u := b.get("Build")
	b.done = true
	b.b = nil
	return Map[K, V]{m: u.Map(), h: b.h}
}

// MapIterator is a cursor over a [Map] in unspecified order, for loops that
// want explicit control: calling Next costs what the upstream iterator costs,
// as does ranging over [Map.All] (bench/RESULTS.md measures both). Creating
// one allocates the cursor's stack (896 bytes) once: [Map.Iterator] is just
// over the compiler's inlining budget, so the stack cannot live in the
// caller's frame (ranging over All does not allocate). The cursor is kept
// behind a pointer rather than in the MapIterator value so that copying one,
// which a three-clause for loop does on every iteration once Next takes its
// address, stays cheap. The zero value is an exhausted cursor; a MapIterator
// must not be shared between goroutines.
type MapIterator[K comparable, V any] struct {
	it *upstream.MapIterator[K, V]
}

// Iterator returns a cursor positioned at the first entry.
func (m Map[K, V]) Iterator() (it MapIterator[K, V]) {
	if m.m != nil {
		it.it = m.m.Iterator()
	}
	return
}

// Next returns the next entry and advances; ok is false when the cursor is
// exhausted.
func (it MapIterator[K, V]) Next() (key K, value V, ok bool) {
	if it.it != nil {
		key, value, ok = it.it.Next()
	}
	return
}
