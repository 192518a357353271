package nullable

import (
	"bytes"
	"encoding"
	"fmt"
	"reflect"
	"strconv"
)

var (
	_ encoding.TextMarshaler   = Value[int]{}
	_ encoding.TextUnmarshaler = (*Value[int])(nil)
	_ encoding.TextMarshaler   = Field[int]{}
	_ encoding.TextUnmarshaler = (*Field[int])(nil)
)

// MarshalText implements encoding.TextMarshaler. A null Value is the empty
// text; a value is its own text form: T's MarshalText (or AppendText) when T
// has one, the string or bytes themselves, strconv's form of bools and
// numbers (floats as strconv.FormatFloat(f, 'g', -1, bits), as encoding/xml
// writes them). Any other T returns an error wrapping [ErrNoTextForm].
//
// The empty text decodes as null, so a value whose text form is empty
// (Of(""), Of([]byte{})) becomes null after a text round trip; the JSON and
// XML forms keep the difference.
func (v Value[T]) MarshalText() ([]byte, error) {
	if !v.valid {
		return []byte{}, nil
	}
	return appendText(nil, &v.v)
}

// UnmarshalText implements encoding.TextUnmarshaler: the empty text makes v
// null, any other text is parsed as T (the reverse of [Value.MarshalText]).
// Text T cannot parse returns a *[DecodeError] and leaves v unchanged.
func (v *Value[T]) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = Value[T]{}
		return nil
	}
	var t T
	if err := parseText(b, &t); err != nil {
		return decodeErr[T]("text", err)
	}
	*v = Value[T]{v: t, valid: true}
	return nil
}

// MarshalText implements encoding.TextMarshaler: absent and null are both
// the empty text (text has no way to omit itself); see [Value.MarshalText].
func (f Field[T]) MarshalText() ([]byte, error) {
	if f.state != present {
		return []byte{}, nil
	}
	return appendText(nil, &f.v)
}

// UnmarshalText implements encoding.TextUnmarshaler: the empty text makes f
// null (present), any other text makes f hold it. A Field whose text is
// never decoded stays absent.
func (f *Field[T]) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*f = Field[T]{state: null}
		return nil
	}
	var t T
	if err := parseText(b, &t); err != nil {
		return decodeErr[T]("text", err)
	}
	*f = Field[T]{v: t, state: present}
	return nil
}

// appendText appends the text form of *p.
func appendText[T any](dst []byte, p *T) ([]byte, error) {
	switch m := any(p).(type) {
	case encoding.TextAppender:
		return m.AppendText(dst)
	case encoding.TextMarshaler:
		b, err := m.MarshalText()
		return append(dst, b...), err
	case *string:
		return append(dst, *m...), nil
	case *[]byte:
		return append(dst, *m...), nil
	}
	rv := reflect.ValueOf(p).Elem()
	switch rv.Kind() {
	case reflect.String:
		return append(dst, rv.String()...), nil
	case reflect.Bool:
		return strconv.AppendBool(dst, rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(dst, rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(dst, rv.Float(), 'g', -1, rv.Type().Bits()), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return append(dst, rv.Bytes()...), nil
		}
	}
	return dst, fmt.Errorf("%w: %s", ErrNoTextForm, typeName[T]())
}

// parseText parses b (not empty) as the text form of T into *p.
func parseText[T any](b []byte, p *T) error {
	switch m := any(p).(type) {
	case encoding.TextUnmarshaler:
		return m.UnmarshalText(b)
	case *string:
		*m = string(b)
		return nil
	case *[]byte:
		*m = bytes.Clone(b)
		return nil
	}
	rv := reflect.ValueOf(p).Elem()
	switch rv.Kind() {
	case reflect.String:
		rv.SetString(string(b))
		return nil
	case reflect.Bool:
		x, err := strconv.ParseBool(string(b))
		if err == nil {
			rv.SetBool(x)
		}
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(string(b), 10, rv.Type().Bits())
		if err == nil {
			rv.SetInt(x)
		}
		return err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x, err := strconv.ParseUint(string(b), 10, rv.Type().Bits())
		if err == nil {
			rv.SetUint(x)
		}
		return err
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(string(b), rv.Type().Bits())
		if err == nil {
			rv.SetFloat(x)
		}
		return err
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			rv.SetBytes(bytes.Clone(b))
			return nil
		}
	}
	return ErrNoTextForm
}
