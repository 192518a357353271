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
// Map and Set hash keys with a seeded [hash/maphash]: maphash.String for
// strings, maphash.Comparable for struct, array, pointer, interface and named
// key types (which need no hasher). The built-in integer types get a seeded
// hash drawn from the same seed, the key's low 32 bits plus a seeded hash of
// its high 32 bits: keys that share their high half never collide, and a run
// of consecutive keys (IDs 1…n) fills the trie's nodes as densely, and
// iterates in the same memory order, as upstream's identity hash does; keys
// with different high halves collide with probability 2^-32. The price: keys that are all
// multiples of a large power of two share their first trie levels, a lookup
// taking up to two more hops for multiples of 1,024. The seed is chosen when
// the process starts: iteration order differs between runs and no set of keys
// collides in every process, so none can be precomputed to flood a map. A
// custom [Hasher] (for example one that folds case) is given to [NewMap] or
// [NewSet].
//
// SortedMap and SortedSet order keys by [cmp.Compare] when the key type is
// ordered (integers, floats, strings and named types based on them) or by
// the compare function given to [NewSortedMap] or [NewSortedSet].
//
// # JSON
//
// Every collection implements the json v1 interfaces (MarshalJSON,
// UnmarshalJSON) and the v2 streaming ones of
// github.com/go-json-experiment/json (MarshalJSONTo, UnmarshalJSONFrom),
// with identical output: the v1 methods run the v2 code with default
// options. (encoding/json then escapes <, > and & in all output, as it does
// for every type; ask v2 for jsontext.EscapeForHTML to get the same bytes.)
//
//   - Array, List, Set and SortedSet encode as JSON arrays; a Set is sorted by
//     the elements' encodings, so equal sets encode to equal bytes.
//   - Map and SortedMap encode as JSON objects. Keys must be strings,
//     integers (in canonical decimal) or implement [encoding.TextMarshaler]
//     (and [encoding.TextUnmarshaler] through a pointer, to decode); other
//     key types give [ErrKeyType]. A SortedMap writes its members in key
//     order; a Map sorts them by name, as encoding/json does for Go maps,
//     so output is deterministic.
//   - Empty collections encode as [] or {}, never null; null decodes to an
//     empty collection. Decoding replaces the receiver's contents (it does
//     not merge) but keeps its hasher or order.
//   - A repeated object name is an error (*jsontext.SyntacticError from the
//     decoder, or a [KeyError] wrapping [ErrDuplicateKey] when two names
//     decode to the same key); repeated set elements collapse into one.
//   - Bad input gives an error, never a panic: [ErrJSONKind] for a value of
//     the wrong kind, [KeyError] for a bad object name, and json's own
//     *SemanticError and *jsontext.SyntacticError otherwise.
//
// # Concurrency
//
// Collections are immutable values: any number of goroutines may read,
// iterate and derive new versions from the same collection at the same time
// with no synchronisation. To share a changing collection, keep the current
// version in an atomic reference (atomicx.Ref) and replace it with an
// update loop. Builders are mutable and are not safe for concurrent use.
package immutable
