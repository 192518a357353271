package nullable

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
)

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

// IsZero reports whether v is null. It makes the `omitzero` option of
// encoding/json and json/v2 drop null values; a non-null zero T (Of(0),
// Of("")) is not zero and is kept.
func (v Value[T]) IsZero() bool { return !v.valid }

// Or returns the held value, or def when v is null.
func (v Value[T]) Or(def T) T {
	if v.valid {
		return v.v
	}
	return def
}

// OrElse returns the held value, or the result of f when v is null. f is
// called only when v is null.
func (v Value[T]) OrElse(f func() T) T {
	if v.valid {
		return v.v
	}
	return f()
}

// MustGet returns the held value. It panics when v is null: use it only where
// a null is a broken invariant, and [Value.Get] or [Value.Or] elsewhere.
func (v Value[T]) MustGet() T {
	if !v.valid {
		panic("nullable.Value.MustGet: Value[" + typeName[T]() + "] is null")
	}
	return v.v
}

// Ptr returns nil when v is null, and otherwise a pointer to a new copy of
// the held value (changing *p does not change v). The copy may be allocated
// on the heap.
func (v Value[T]) Ptr() *T {
	if !v.valid {
		return nil
	}
	p := v.v
	return &p
}

// String returns "null" for a null Value and the held value formatted as
// with fmt.Sprint otherwise. A Value therefore prints as its content in
// fmt's %v and %s verbs.
func (v Value[T]) String() string {
	if !v.valid {
		return "null"
	}
	switch p := any(&v.v).(type) {
	case *string:
		return *p
	case *int:
		return strconv.Itoa(*p)
	case *int64:
		return strconv.FormatInt(*p, 10)
	case *bool:
		return strconv.FormatBool(*p)
	case *time.Time:
		return p.String()
	}
	return fmt.Sprint(v.v)
}

// typeName names T for error and panic messages (never on a hot path).
func typeName[T any]() string { return reflect.TypeFor[T]().String() }
