package nullable

// Map returns f applied to the value held by v, or null when v is null. f is
// called only when v is not null.
func Map[T, U any](v Value[T], f func(T) U) Value[U] {
	if !v.valid {
		return Value[U]{}
	}
	return Value[U]{v: f(v.v), valid: true}
}

// Bind returns f applied to the value held by v, or null when v is null. It
// is [Map] for functions that may themselves return null (the monadic bind,
// also called flatMap or and_then).
func Bind[T, U any](v Value[T], f func(T) Value[U]) Value[U] {
	if !v.valid {
		return Value[U]{}
	}
	return f(v.v)
}

// Match returns some(value) when v holds a value and none() when v is null.
// Exactly one of the two functions is called.
func Match[T, R any](v Value[T], some func(T) R, none func() R) R {
	if v.valid {
		return some(v.v)
	}
	return none()
}

// Filter returns v when it holds a value for which keep reports true, and
// null otherwise. keep is called only when v is not null.
func Filter[T any](v Value[T], keep func(T) bool) Value[T] {
	if v.valid && keep(v.v) {
		return v
	}
	return Value[T]{}
}

// Coalesce returns the first non-null value in vs, or null when every value
// is null or vs is empty. It is the `??` operator of C# and SQL's COALESCE.
func Coalesce[T any](vs ...Value[T]) Value[T] {
	for _, v := range vs {
		if v.valid {
			return v
		}
	}
	return Value[T]{}
}
