package nullable

// Field is a [Value] with a third state, absent, for PATCH-style input where
// "not sent" and "sent as null" mean different things: absent leaves a stored
// value alone, null clears it. The zero Field is absent and ready to use.
//
// Decoders leave a Field they never visit absent; a visited Field becomes
// null or holds a value. Encoders drop an absent Field where the format
// allows it: under the `omitzero` JSON option ([Field.IsZero] reports
// absent), as an omitted XML element or attribute. Like Value, a Field is an
// immutable plain value, safe to share between goroutines as long as T is.
type Field[T any] struct {
	v     T
	state fieldState
}

type fieldState uint8

const (
	absent fieldState = iota
	null
	present
)

// Absent returns the absent Field of type T. It equals the zero Field[T].
func Absent[T any]() Field[T] { return Field[T]{} }

// FieldNull returns a Field that was set to null.
func FieldNull[T any]() Field[T] { return Field[T]{state: null} }

// FieldOf returns a Field holding v.
func FieldOf[T any](v T) Field[T] { return Field[T]{v: v, state: present} }

// FieldFrom returns a present Field: null when v is null, holding v's value
// otherwise.
func FieldFrom[T any](v Value[T]) Field[T] {
	if !v.valid {
		return Field[T]{state: null}
	}
	return Field[T]{v: v.v, state: present}
}

// IsAbsent reports whether f is absent (was never set or decoded).
func (f Field[T]) IsAbsent() bool { return f.state == absent }

// IsPresent reports whether f was set, to null or to a value.
func (f Field[T]) IsPresent() bool { return f.state != absent }

// IsNull reports whether f was set to null. An absent Field is not null.
func (f Field[T]) IsNull() bool { return f.state == null }

// IsZero reports whether f is absent, so that the `omitzero` JSON option
// drops absent fields and keeps null ones.
func (f Field[T]) IsZero() bool { return f.state == absent }

// Get returns the held value and true, or the zero T and false when f is
// absent or null.
func (f Field[T]) Get() (T, bool) { return f.v, f.state == present }

// Or returns the held value, or def when f is absent or null.
func (f Field[T]) Or(def T) T {
	if f.state == present {
		return f.v
	}
	return def
}

// AsValue returns f as a Value: null when f is absent or null.
func (f Field[T]) AsValue() Value[T] {
	return Value[T]{v: f.v, valid: f.state == present}
}

// Apply returns the stored value after applying f as a PATCH: cur unchanged
// when f is absent, null when f is null, f's value otherwise.
func (f Field[T]) Apply(cur Value[T]) Value[T] {
	switch f.state {
	case absent:
		return cur
	case null:
		return Value[T]{}
	}
	return Value[T]{v: f.v, valid: true}
}

// String returns "absent", "null", or the held value formatted as
// [Value.String] does.
func (f Field[T]) String() string {
	if f.state == absent {
		return "absent"
	}
	return f.AsValue().String()
}
