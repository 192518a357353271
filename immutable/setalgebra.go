package immutable

import "iter"

// persistentSet is what the set algebra needs from [Set] and [SortedSet].
type persistentSet[S, T any] interface {
	Len() int
	Has(v T) bool
	All() iter.Seq[T]
	Add(v T) S
	Delete(v T) S
}

// setBuilder is what the set algebra needs from their builders.
type setBuilder[S, T any] interface {
	Add(v T)
	Len() int
	Build() S
}

// The functions below implement Union, Intersect, Difference, IsSubset and
// Equal once for both set kinds. same reports whether s and o certainly agree
// on which values are equal (both use the default hasher or order), which
// lets the algebra pick the cheaper operand; b is an empty builder with s's
// hasher or order, so results keep the receiver's.

func setUnion[S persistentSet[S, T], T any](s, o S, same bool, b setBuilder[S, T]) S {
	big, small := s, o
	if same && small.Len() > big.Len() {
		big, small = small, big
	}
	if small.Len()*3 <= big.Len() {
		for v := range small.All() {
			big = big.Add(v)
		}
		return big
	}
	for v := range s.All() {
		b.Add(v)
	}
	for v := range o.All() {
		b.Add(v)
	}
	return b.Build()
}

func setIntersect[S persistentSet[S, T], T any](s, o S, same bool, b setBuilder[S, T]) S {
	scan, probe := s, o
	if same && o.Len() < s.Len() {
		scan, probe = o, s
	}
	for v := range scan.All() {
		if probe.Has(v) {
			b.Add(v)
		}
	}
	if b.Len() == s.Len() {
		return s
	}
	return b.Build()
}

func setDifference[S persistentSet[S, T], T any](s, o S, b setBuilder[S, T]) S {
	if o.Len()*3 <= s.Len() {
		r := s
		for v := range o.All() {
			r = r.Delete(v)
		}
		return r
	}
	for v := range s.All() {
		if !o.Has(v) {
			b.Add(v)
		}
	}
	if b.Len() == s.Len() {
		return s
	}
	return b.Build()
}

func setIsSubset[S persistentSet[S, T], T any](s, o S, same bool) bool {
	if same && s.Len() > o.Len() {
		return false
	}
	for v := range s.All() {
		if !o.Has(v) {
			return false
		}
	}
	return true
}

func setEqual[S persistentSet[S, T], T any](s, o S, same bool) bool {
	return s.Len() == o.Len() && setIsSubset(s, o, same) && (same || setIsSubset(o, s, same))
}
