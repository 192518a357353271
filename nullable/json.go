package nullable

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Compile-time checks that both JSON generations see the methods.
var (
	_ json.MarshalerTo     = Value[int]{}
	_ json.UnmarshalerFrom = (*Value[int])(nil)
	_ json.Marshaler       = Value[int]{}
	_ json.Unmarshaler     = (*Value[int])(nil)
	_ json.MarshalerTo     = Field[int]{}
	_ json.UnmarshalerFrom = (*Field[int])(nil)
	_ json.Marshaler       = Field[int]{}
	_ json.Unmarshaler     = (*Field[int])(nil)
)

// MarshalJSON implements encoding/json.Marshaler: null for a null Value, and
// otherwise the json/v2 encoding of the held value under default options, so
// the bytes are the same as [Value.MarshalJSONTo] writes (encoding/json then
// applies its own HTML escaping to them).
func (v Value[T]) MarshalJSON() ([]byte, error) {
	if !v.valid {
		return []byte("null"), nil
	}
	return marshalJSON(&v.v)
}

func marshalJSON[T any](p *T) ([]byte, error) {
	if b, ok, err := appendJSON(make([]byte, 0, jsonSizeHint(p)), p); ok {
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	return json.Marshal(*p)
}

// MarshalJSONTo implements json/v2's MarshalerTo: null for a null Value,
// and otherwise the held value encoded under enc's options (for string,
// bool, number and time.Time values under default options, without
// reflection).
func (v Value[T]) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !v.valid {
		return enc.WriteToken(jsontext.Null)
	}
	return marshalJSONTo(enc, &v.v)
}

func marshalJSONTo[T any](enc *jsontext.Encoder, p *T) error {
	if ok, err := writeJSON(enc, p); ok {
		return err
	}
	return marshalEncodeSlow(enc, *p)
}

func marshalEncodeSlow[T any](enc *jsontext.Encoder, t T) error {
	return json.MarshalEncode(enc, t)
}

// UnmarshalJSON implements encoding/json.Unmarshaler. JSON null makes v
// null; any other value replaces v with Of(the decoded value), decoded as
// json/v2 decodes T under default options. Input of the wrong kind or out of
// range for T returns a *[DecodeError] and leaves v unchanged.
func (v *Value[T]) UnmarshalJSON(b []byte) error {
	b = trimJSONSpace(b)
	if string(b) == "null" {
		*v = Value[T]{}
		return nil
	}
	var t T
	if err := unmarshalJSON(b, &t); err != nil {
		return err
	}
	*v = Value[T]{v: t, valid: true}
	return nil
}

func unmarshalJSON[T any](b []byte, p *T) error {
	if ok, err := decodeJSON(b, p, false); ok {
		if err != nil {
			return decodeErr[T]("JSON", err)
		}
		return nil
	}
	return unmarshalJSONSlow(b, p)
}

func unmarshalJSONSlow[T any](b []byte, p *T) error {
	var t T
	if err := json.Unmarshal(b, &t); err != nil {
		return decodeErr[T]("JSON", err)
	}
	*p = t
	return nil
}

// UnmarshalJSONFrom implements json/v2's UnmarshalerFrom, with the same
// results as [Value.UnmarshalJSON] under default options; other options of
// dec apply to the held value.
func (v *Value[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var t T
	isNull, err := unmarshalJSONFrom(dec, &t)
	switch {
	case err != nil:
		return err
	case isNull:
		*v = Value[T]{}
	default:
		*v = Value[T]{v: t, valid: true}
	}
	return nil
}

// unmarshalJSONFrom reads one JSON value from dec into *p and reports
// whether it was null (leaving *p alone).
func unmarshalJSONFrom[T any](dec *jsontext.Decoder, p *T) (isNull bool, err error) {
	if plainDecode[T](dec.Options()) {
		raw, err := dec.ReadValue()
		if err != nil {
			return false, err
		}
		if raw[0] == 'n' { // the decoder checked it is exactly null
			return true, nil
		}
		if _, err := decodeJSON([]byte(raw), p, true); err != nil {
			return false, decodeErr[T]("JSON", err)
		}
		return false, nil
	}
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err == nil, err
	}
	return false, unmarshalDecodeSlow(dec, p)
}

func unmarshalDecodeSlow[T any](dec *jsontext.Decoder, p *T) error {
	var t T
	if err := json.UnmarshalDecode(dec, &t); err != nil {
		return decodeErr[T]("JSON", err)
	}
	*p = t
	return nil
}

// MarshalJSON implements encoding/json.Marshaler. An absent Field encodes
// as null when it is not dropped by `omitzero`; see [Value.MarshalJSON].
func (f Field[T]) MarshalJSON() ([]byte, error) {
	if f.state != present {
		return []byte("null"), nil
	}
	return marshalJSON(&f.v)
}

// MarshalJSONTo implements json/v2's MarshalerTo; see [Field.MarshalJSON].
func (f Field[T]) MarshalJSONTo(enc *jsontext.Encoder) error {
	if f.state != present {
		return enc.WriteToken(jsontext.Null)
	}
	return marshalJSONTo(enc, &f.v)
}

// UnmarshalJSON implements encoding/json.Unmarshaler: JSON null makes f
// null (present), any other value makes f hold it. A Field the decoder never
// reaches stays absent.
func (f *Field[T]) UnmarshalJSON(b []byte) error {
	b = trimJSONSpace(b)
	if string(b) == "null" {
		*f = Field[T]{state: null}
		return nil
	}
	var t T
	if err := unmarshalJSON(b, &t); err != nil {
		return err
	}
	*f = Field[T]{v: t, state: present}
	return nil
}

// UnmarshalJSONFrom implements json/v2's UnmarshalerFrom; see
// [Field.UnmarshalJSON].
func (f *Field[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var t T
	isNull, err := unmarshalJSONFrom(dec, &t)
	switch {
	case err != nil:
		return err
	case isNull:
		*f = Field[T]{state: null}
	default:
		*f = Field[T]{v: t, state: present}
	}
	return nil
}
