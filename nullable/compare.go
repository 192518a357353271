package nullable

import "cmp"

// Equal reports whether a and b are both null or both hold equal values.
// Values are compared with ==, so for floating-point T a NaN is not equal to
// itself; use Compare(a, b) == 0 for the equality of the total order.
func Equal[T comparable](a, b Value[T]) bool {
	return a.valid == b.valid && (!a.valid || a.v == b.v)
}

// Compare returns -1, 0 or +1 as a sorts before, with or after b. Null sorts
// before every value and equals null; values are ordered by [cmp.Compare], so
// the order is total even for floating-point T (a NaN sorts before every
// other number and equals any NaN, and -0.0 equals 0.0). For every T without
// NaN values, Compare(a, b) == 0 exactly when Equal(a, b).
func Compare[T cmp.Ordered](a, b Value[T]) int {
	switch {
	case !a.valid && !b.valid:
		return 0
	case !a.valid:
		return -1
	case !b.valid:
		return +1
	}
	return cmp.Compare(a.v, b.v)
}

// CompareFunc is [Compare] with a caller-supplied comparison of values: null
// sorts first, and compare orders two non-null values. It is a total order
// when compare is one.
func CompareFunc[T any](a, b Value[T], compare func(T, T) int) int {
	switch {
	case !a.valid && !b.valid:
		return 0
	case !a.valid:
		return -1
	case !b.valid:
		return +1
	}
	return compare(a.v, b.v)
}
