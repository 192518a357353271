package nullable

// Value is an immutable "T or null". The zero value is null and ready to use.
// A Value is a plain value: copying it copies the content, so it is safe to
// share between goroutines as long as T is.
type Value[T any] struct {
	v     T
	valid bool
}

// Of returns a non-null Value holding v.
func Of[T any](v T) Value[T] { return Value[T]{v: v, valid: true} }

// Null returns the null Value of type T. It equals the zero Value[T].
func Null[T any]() Value[T] { return Value[T]{} }

// FromPtr returns null for a nil pointer and Of(*p) otherwise.
func FromPtr[T any](p *T) Value[T] {
	if p == nil {
		return Value[T]{}
	}
	return Value[T]{v: *p, valid: true}
}

// Get returns the held value and true, or the zero T and false when v is null.
func (v Value[T]) Get() (T, bool) { return v.v, v.valid }

// IsNull reports whether v is null.
func (v Value[T]) IsNull() bool { return !v.valid }

// Or returns the held value, or def when v is null.
func (v Value[T]) Or(def T) T {
	if v.valid {
		return v.v
	}
	return def
}

// Equal reports whether a and b are both null or both hold equal values.
func Equal[T comparable](a, b Value[T]) bool {
	return a.valid == b.valid && (!a.valid || a.v == b.v)
}
