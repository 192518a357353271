package immutable

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"reflect"

	upstream "github.com/benbjohnson/immutable"
)

// Hasher hashes map keys and compares them for equality. Two keys that are
// Equal must have the same Hash. It has the same method set as the upstream
// benbjohnson/immutable Hasher, so a hasher written for one works with the other.
//
// Most code never needs one: a [Map] or [Set] of any comparable key type hashes
// its keys with a seeded [hash/maphash] by default. Write a Hasher only to
// change what "equal keys" means (for example case-insensitive strings).
type Hasher[K any] interface {
	// Hash returns the hash of key.
	Hash(key K) uint32
	// Equal reports whether a and b are the same key.
	Equal(a, b K) bool
}

// seed is the process-wide seed of the default hashers. Maps of the same key
// type share it, so their iteration orders agree within one process; it differs
// between processes, which defeats hash flooding and keeps callers from relying
// on an order (JSON output is sorted; see [Map.MarshalJSON]).
var seed = maphash.MakeSeed()

func fold(h uint64) uint32 { return uint32(h ^ h>>32) }

type stringHasher struct{}

// Hash implements the upstream Hasher.
func (*stringHasher) Hash(k string) uint32 { return fold(maphash.String(seed, k)) }

// Equal implements the upstream Hasher.
func (*stringHasher) Equal(a, b string) bool { return a == b }

// The integer hashers. A key's hash picks its slot at each level of the
// trie five bits at a time, lowest bits first, so a hash whose low bits are a
// bijection of the key's low bits (as upstream's identity hash is) packs a run
// of consecutive keys 0…n-1 into full nodes: the trie is as shallow as it can
// be. A random-looking hash (maphash, or multiply-shift taking the product's
// high bits) scatters the same keys, and how unevenly depends on the seed: in
// about a third of processes n = 10,000 consecutive keys needed 10–30% more
// node hops per lookup.
//
// intHash keeps the low-bit bijection and still takes a seed:
//
//	hash(x) = lo(x) + g(hi(x))  (mod 2^32),   g(h) = mix32((a·h + b) >> 32) (64-bit arithmetic)
//
// where lo and hi are the key's low and high 32 bits and a, b are random
// 64-bit words. Adding a constant permutes the low k bits of lo for every k
// and keeps their order up to a rotation, so keys that share their high half
// never collide, consecutive ones fill trie nodes, and iterating them walks
// memory in the order it was allocated, as with an identity hash (an earlier
// version multiplied lo by a random odd number, which scrambles that order:
// iterating 10,000 keys was 1.2× slower than upstream). Multiply-add-shift is
// Dietzfelbinger's 2-independent hash of the high half and mix32 a bijection,
// so for two keys with different high halves g(hi x) - g(hi y) is uniform and
// they collide with probability 2^-32 over the seed. No set of keys collides
// in every process, which is what seeding is for (full collisions are what
// make a hash trie slow: colliding keys share a node searched linearly). The
// trade-off against maphash: keys that are all multiples of 2^k (with one
// high half) share their low k hash bits, so they meet at the trie's top
// levels and a lookup takes up to k/5 more hops (2 for multiples of 1024) —
// the depth of the trie stays bounded by 7.
var (
	intA = maphash.Comparable(seed, "immutable: integer hash a")
	intB = maphash.Comparable(seed, "immutable: integer hash b")
	// intHi0 is g(0), the high-half term of every key in [0, 2^32).
	intHi0 = mix32(uint32(intB >> 32))
)

// intHash hashes a 64-bit key (see the comment on intA).
func intHash(x uint64) uint32 {
	if x>>32 == 0 {
		return uint32(x) + intHi0
	}
	return uint32(x) + mix32(uint32((intA*(x>>32)+intB)>>32))
}

// mix32 is a bijection of 32-bit words that moves every input bit into the
// low bits (the xorshift-multiply finaliser of MurmurHash3). The low bits of
// multiply-add-shift are its weakest: for keys whose high halves form an
// arithmetic progression (k<<32 for k = 0, 1, 2…) they repeat with a short
// period for some seeds, stacking the keys on a few trie paths. Being a
// bijection, mix32 keeps g's pairwise collision probability of 2^-32.
func mix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	return h ^ h>>16
}

// smallHash hashes a key of at most 32 bits: a bijection, so no two such
// keys ever collide.
func smallHash(x uint32) uint32 { return x + intHi0 }

type intHasher struct{}

// Hash implements the upstream Hasher.
func (*intHasher) Hash(k int) uint32 { return intHash(uint64(k)) }

// Equal implements the upstream Hasher.
func (*intHasher) Equal(a, b int) bool { return a == b }

type int64Hasher struct{}

// Hash implements the upstream Hasher.
func (*int64Hasher) Hash(k int64) uint32 { return intHash(uint64(k)) }

// Equal implements the upstream Hasher.
func (*int64Hasher) Equal(a, b int64) bool { return a == b }

type uint64Hasher struct{}

// Hash implements the upstream Hasher.
func (*uint64Hasher) Hash(k uint64) uint32 { return intHash(k) }

// Equal implements the upstream Hasher.
func (*uint64Hasher) Equal(a, b uint64) bool { return a == b }

type uintHasher struct{}

// Hash implements the upstream Hasher.
func (*uintHasher) Hash(k uint) uint32 { return intHash(uint64(k)) }

// Equal implements the upstream Hasher.
func (*uintHasher) Equal(a, b uint) bool { return a == b }

type uintptrHasher struct{}

// Hash implements the upstream Hasher.
func (*uintptrHasher) Hash(k uintptr) uint32 { return intHash(uint64(k)) }

// Equal implements the upstream Hasher.
func (*uintptrHasher) Equal(a, b uintptr) bool { return a == b }

type int32Hasher struct{}

// Hash implements the upstream Hasher.
func (*int32Hasher) Hash(k int32) uint32 { return smallHash(uint32(k)) }

// Equal implements the upstream Hasher.
func (*int32Hasher) Equal(a, b int32) bool { return a == b }

type uint32Hasher struct{}

// Hash implements the upstream Hasher.
func (*uint32Hasher) Hash(k uint32) uint32 { return smallHash(k) }

// Equal implements the upstream Hasher.
func (*uint32Hasher) Equal(a, b uint32) bool { return a == b }

type int16Hasher struct{}

// Hash implements the upstream Hasher.
func (*int16Hasher) Hash(k int16) uint32 { return smallHash(uint32(k)) }

// Equal implements the upstream Hasher.
func (*int16Hasher) Equal(a, b int16) bool { return a == b }

type uint16Hasher struct{}

// Hash implements the upstream Hasher.
func (*uint16Hasher) Hash(k uint16) uint32 { return smallHash(uint32(k)) }

// Equal implements the upstream Hasher.
func (*uint16Hasher) Equal(a, b uint16) bool { return a == b }

type int8Hasher struct{}

// Hash implements the upstream Hasher.
func (*int8Hasher) Hash(k int8) uint32 { return smallHash(uint32(k)) }

// Equal implements the upstream Hasher.
func (*int8Hasher) Equal(a, b int8) bool { return a == b }

type uint8Hasher struct{}

// Hash implements the upstream Hasher.
func (*uint8Hasher) Hash(k uint8) uint32 { return smallHash(uint32(k)) }

// Equal implements the upstream Hasher.
func (*uint8Hasher) Equal(a, b uint8) bool { return a == b }

// comparableHasher hashes any comparable type with maphash.Comparable: struct,
// array, pointer, interface and named key types need no hasher of their own.
type comparableHasher[K comparable] struct{}

// Hash implements the upstream Hasher.
func (*comparableHasher[K]) Hash(k K) uint32 { return fold(maphash.Comparable(seed, k)) }

// Equal implements the upstream Hasher.
func (*comparableHasher[K]) Equal(a, b K) bool { return a == b }

// defaultHasher returns the hasher used when none is given. The common key
// types get a hasher that is not generic, so the hot path pays no dictionary
// lookups; every other comparable type goes through maphash.Comparable.
func defaultHasher[K comparable]() upstream.Hasher[K] {
	var k K
	var h any
	switch any(k).(type) {
	case string:
		h = &stringHasher{}
	case int:
		h = &intHasher{}
	case int64:
		h = &int64Hasher{}
	case uint64:
		h = &uint64Hasher{}
	case uint:
		h = &uintHasher{}
	case uintptr:
		h = &uintptrHasher{}
	case int32:
		h = &int32Hasher{}
	case uint32:
		h = &uint32Hasher{}
	case int16:
		h = &int16Hasher{}
	case uint16:
		h = &uint16Hasher{}
	case int8:
		h = &int8Hasher{}
	case uint8:
		h = &uint8Hasher{}
	default:
		return &comparableHasher[K]{}
	}
	return h.(upstream.Hasher[K])
}

// comparer adapts a comparison function to the upstream Comparer.
type comparer[K any] func(a, b K) int

// Compare implements the upstream Comparer.
//
// The upstream B+tree tests for exactly -1 and +1, so any negative or positive
// result of a user's function (a - b, say) is folded to -1 or +1 here.
func (c comparer[K]) Compare(a, b K) int {
	switch r := c(a, b); {
	case r < 0:
		return -1
	case r > 0:
		return 1
	}
	return 0
}

type orderedComparer[K cmp.Ordered] struct{}

// Compare implements the upstream Comparer.
func (*orderedComparer[K]) Compare(a, b K) int { return cmp.Compare(a, b) }

// The common key types get a comparer that is not generic: upstream calls
// Compare through an interface at every step of a B+tree search, and a
// generic method called that way goes through a dictionary-passing wrapper.

type intComparer struct{}

// Compare implements the upstream Comparer.
func (*intComparer) Compare(a, b int) int { return cmp.Compare(a, b) }

type int64Comparer struct{}

// Compare implements the upstream Comparer.
func (*int64Comparer) Compare(a, b int64) int { return cmp.Compare(a, b) }

type int32Comparer struct{}

// Compare implements the upstream Comparer.
func (*int32Comparer) Compare(a, b int32) int { return cmp.Compare(a, b) }

type uintComparer struct{}

// Compare implements the upstream Comparer.
func (*uintComparer) Compare(a, b uint) int { return cmp.Compare(a, b) }

type uint64Comparer struct{}

// Compare implements the upstream Comparer.
func (*uint64Comparer) Compare(a, b uint64) int { return cmp.Compare(a, b) }

type uint32Comparer struct{}

// Compare implements the upstream Comparer.
func (*uint32Comparer) Compare(a, b uint32) int { return cmp.Compare(a, b) }

type stringComparer struct{}

// Compare implements the upstream Comparer.
func (*stringComparer) Compare(a, b string) int { return cmp.Compare(a, b) }

type float64Comparer struct{}

// Compare implements the upstream Comparer.
func (*float64Comparer) Compare(a, b float64) int { return cmp.Compare(a, b) }

// naturalOrder returns the comparer of a SortedMap or SortedSet whose order
// was not given: cmp.Compare for the built-in ordered types, a reflection
// based order for named types whose underlying type is ordered, and a panic
// (a contract violation found on first use) for anything else.
func naturalOrder[K any](method string) upstream.Comparer[K] {
	var k K
	var c any
	switch any(k).(type) {
	case string:
		c = &stringComparer{}
	case int:
		c = &intComparer{}
	case int8:
		c = &orderedComparer[int8]{}
	case int16:
		c = &orderedComparer[int16]{}
	case int32:
		c = &int32Comparer{}
	case int64:
		c = &int64Comparer{}
	case uint:
		c = &uintComparer{}
	case uint8:
		c = &orderedComparer[uint8]{}
	case uint16:
		c = &orderedComparer[uint16]{}
	case uint32:
		c = &uint32Comparer{}
	case uint64:
		c = &uint64Comparer{}
	case uintptr:
		c = &orderedComparer[uintptr]{}
	case float32:
		c = &orderedComparer[float32]{}
	case float64:
		c = &float64Comparer{}
	default:
		t := reflect.TypeFor[K]()
		if reflectOrdered(t.Kind()) {
			return &reflectComparer[K]{}
		}
		panic(fmt.Sprintf("%s: key type %v has no natural order; construct the collection with an explicit compare function", method, t))
	}
	return c.(upstream.Comparer[K])
}

func reflectOrdered(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// reflectComparer orders named types (type ID string) by their underlying
// value. It is slower than cmp.Compare; NewSortedMap with cmp.Compare[ID] or
// SortedMapOf avoid it.
type reflectComparer[K any] struct{}

// Compare implements the upstream Comparer.
func (*reflectComparer[K]) Compare(a, b K) int {
	va, vb := reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem()
	switch va.Kind() {
	case reflect.String:
		return cmp.Compare(va.String(), vb.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(va.Int(), vb.Int())
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(va.Float(), vb.Float())
	default:
		return cmp.Compare(va.Uint(), vb.Uint())
	}
}

// comparerOf adapts a compare function (nil means the natural order).
func comparerOf[K any](f func(a, b K) int, method string) upstream.Comparer[K] {
	if f == nil {
		return naturalOrder[K](method)
	}
	return comparer[K](f)
}

// orderedCompare returns the compare function for an ordered K: nil (the
// natural order, which is fastest) for the built-in types, cmp.Compare for
// named ones, which the natural order would otherwise reach by reflection.
func orderedCompare[K cmp.Ordered]() func(a, b K) int {
	if _, ok := naturalOrder[K]("").(*reflectComparer[K]); ok {
		return cmp.Compare[K]
	}
	return nil
}
