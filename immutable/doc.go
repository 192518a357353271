// Package immutable provides persistent collections: values that never
// change, so they can be shared between goroutines without locks, where every
// update returns a new version that shares most of its storage with the old.
//
// It is a typed, idiomatic face over [github.com/benbjohnson/immutable]:
//
//   - [Array]: a flat immutable slice, the fastest to read and iterate, for
//     small or read-mostly data; [Own] takes a slice without copying.
//   - [List]: a persistent sequence (32-way trie) with O(log n) At, Set,
//     Append and Prepend.
//   - [Map]: a persistent hash map (HAMT) for any comparable key type.
//   - [SortedMap]: a persistent map ordered by key (B+tree).
//   - [Set] and [SortedSet]: sets built on Map and SortedMap, with
//     [Set.Union], [Set.Intersect], [Set.Difference] and [Set.IsSubset].
//
// # Zero values
//
// The zero value of every collection and builder is empty and ready to use:
// var l List[int]; l = l.Append(1) works (the upstream zero List panics).
//
// # Builders
//
// Building a collection by repeated persistent updates allocates a new path
// for every update. A builder ([ListBuilder], [MapBuilder], …) updates in place
// instead and is many times faster. Build hands the builder's contents to the
// new collection without copying; from then on the builder is spent and every
// method panics with "immutable.XBuilder.Method: builder used after Build".
//
// # Iterators
//
// Collections offer Go iterators: All (an [iter.Seq2] of index or key and
// value), Values and Keys ([iter.Seq]), and Backward for ordered collections.
// Collect functions ([CollectList], [CollectMap], …) build collections from
// iterators; Filter methods and the MapList, MapArray and MapValues functions
// transform them, and [Reduce] folds any [iter.Seq].
//
// # Hashing and ordering
//
// Map and Set hash keys with a seeded [hash/maphash] (maphash.String for
// strings, maphash.Comparable for everything else), so struct, array,
// pointer and named key types need no hasher. The seed is chosen when the
// process starts: iteration order differs between runs and cannot be used
// to flood a map with colliding keys. A custom [Hasher] (for example one
// that folds case) is given to [NewMap] or [NewSet].
//
// SortedMap and SortedSet order keys by [cmp.Compare] when the key type is
// ordered (integers, floats, strings and named types based on them) or by
// the compare function given to [NewSortedMap] or [NewSortedSet].
//
// # Concurrency
//
// Collections are immutable values: any number of goroutines may read,
// iterate and derive new versions from the same collection at the same time
// with no synchronisation. To share a changing collection, keep the current
// version in an atomic reference (atomicx.Ref) and replace it with an
// update loop. Builders are mutable and are not safe for concurrent use.
package immutable
