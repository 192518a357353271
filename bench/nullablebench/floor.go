package nullablebench

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// The floor codec answers one question: how fast can ANY nullable type
// with JSON methods be, compared with plain *T fields? Its types do the
// least work a method-based type can do — no options checks, no range or
// NaN checks, no typed errors, a shared "null" literal, strconv straight
// into the returned slice — so they are a lower bound on the time of
// every real implementation (nullable's included), not a usable library.
// If the floor is slower than *T, the cost is the method call and the
// encoder's handling of it, which no implementation can remove.

var (
	nullLit     = []byte("null")
	errFloorTok = errors.New("floor: unexpected JSON token")
)

// FloorInt is the least a nullable int64 with JSON methods can do.
type FloorInt struct {
	V  int64
	OK bool
}

// MarshalJSON appends V's digits to a fresh slice.
func (f FloorInt) MarshalJSON() ([]byte, error) {
	if !f.OK {
		return nullLit, nil
	}
	return strconv.AppendInt(make([]byte, 0, 20), f.V, 10), nil
}

// MarshalJSONTo writes one Int token.
func (f FloorInt) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !f.OK {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.Int(f.V))
}

// UnmarshalJSON parses the literal with strconv.
func (f *FloorInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = FloorInt{}
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	*f = FloorInt{v, err == nil}
	return err
}

// UnmarshalJSONFrom reads one token.
func (f *FloorInt) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	t, err := dec.ReadToken()
	if err != nil || t.Kind() == 'n' {
		*f = FloorInt{}
		return err
	}
	v, err := t.Int()
	*f = FloorInt{v, err == nil}
	return err
}

// FloorFloat is the least a nullable float64 with JSON methods can do.
type FloorFloat struct {
	V  float64
	OK bool
}

// MarshalJSON formats V with strconv.
func (f FloorFloat) MarshalJSON() ([]byte, error) {
	if !f.OK {
		return nullLit, nil
	}
	return strconv.AppendFloat(make([]byte, 0, 24), f.V, 'g', -1, 64), nil
}

// MarshalJSONTo writes one Float token.
func (f FloorFloat) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !f.OK {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.Float(f.V))
}

// UnmarshalJSON parses the literal with strconv.
func (f *FloorFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = FloorFloat{}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = FloorFloat{v, err == nil}
	return err
}

// UnmarshalJSONFrom reads one token.
func (f *FloorFloat) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	t, err := dec.ReadToken()
	if err != nil || t.Kind() == 'n' {
		*f = FloorFloat{}
		return err
	}
	v, err := t.Float()
	*f = FloorFloat{v, err == nil}
	return err
}

// FloorBool is the least a nullable bool with JSON methods can do.
type FloorBool struct {
	V  bool
	OK bool
}

var trueLit, falseLit = []byte("true"), []byte("false")

// MarshalJSON returns a shared literal.
func (f FloorBool) MarshalJSON() ([]byte, error) {
	switch {
	case !f.OK:
		return nullLit, nil
	case f.V:
		return trueLit, nil
	}
	return falseLit, nil
}

// MarshalJSONTo writes one Bool token.
func (f FloorBool) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !f.OK {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.Bool(f.V))
}

// UnmarshalJSON compares with the literals.
func (f *FloorBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*f = FloorBool{}
	case "true":
		*f = FloorBool{true, true}
	case "false":
		*f = FloorBool{false, true}
	default:
		return errFloorTok
	}
	return nil
}

// UnmarshalJSONFrom reads one token.
func (f *FloorBool) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	t, err := dec.ReadToken()
	if err != nil || t.Kind() == 'n' {
		*f = FloorBool{}
		return err
	}
	*f = FloorBool{t.Bool(), true}
	return nil
}

// FloorString is the least a nullable string with JSON methods can do.
type FloorString struct {
	V  string
	OK bool
}

// MarshalJSON quotes V into a fresh slice.
func (f FloorString) MarshalJSON() ([]byte, error) {
	if !f.OK {
		return nullLit, nil
	}
	return jsontext.AppendQuote(make([]byte, 0, len(f.V)+2), f.V)
}

// MarshalJSONTo writes one String token.
func (f FloorString) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !f.OK {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.String(f.V))
}

// UnmarshalJSON unquotes the literal.
func (f *FloorString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = FloorString{}
		return nil
	}
	if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 {
		*f = FloorString{string(b[1 : len(b)-1]), true}
		return nil
	}
	v, err := jsontext.AppendUnquote(nil, b)
	*f = FloorString{string(v), err == nil}
	return err
}

// UnmarshalJSONFrom reads one token.
func (f *FloorString) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	t, err := dec.ReadToken()
	if err != nil || t.Kind() == 'n' {
		*f = FloorString{}
		return err
	}
	*f = FloorString{t.String(), true}
	return nil
}

// FloorTime is the least a nullable time.Time with JSON methods can do.
type FloorTime struct {
	V  time.Time
	OK bool
}

// MarshalJSON formats V in RFC 3339 with nanoseconds.
func (f FloorTime) MarshalJSON() ([]byte, error) {
	if !f.OK {
		return nullLit, nil
	}
	b := append(make([]byte, 0, 40), '"')
	return append(f.V.AppendFormat(b, time.RFC3339Nano), '"'), nil
}

// MarshalJSONTo writes the formatted time as one value.
func (f FloorTime) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !f.OK {
		return enc.WriteToken(jsontext.Null)
	}
	b := append(enc.AvailableBuffer(), '"')
	return enc.WriteValue(append(f.V.AppendFormat(b, time.RFC3339Nano), '"'))
}

// UnmarshalJSON parses the quoted time.
func (f *FloorTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = FloorTime{}
		return nil
	}
	if len(b) < 2 {
		return errFloorTok
	}
	v, err := time.Parse(time.RFC3339Nano, string(b[1:len(b)-1]))
	*f = FloorTime{v, err == nil}
	return err
}

// UnmarshalJSONFrom reads one value and parses it.
func (f *FloorTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil || raw.Kind() == 'n' {
		*f = FloorTime{}
		return err
	}
	return f.UnmarshalJSON(raw)
}

// RecordFloor holds the record in floor types.
type RecordFloor struct {
	ID      FloorInt    `json:"id"`
	Name    FloorString `json:"name"`
	Score   FloorFloat  `json:"score"`
	Active  FloorBool   `json:"active"`
	Created FloorTime   `json:"created"`
	Note    FloorString `json:"note"`
}

// Floor is the floor codec: measured against *T only, as evidence of the
// structural limit (see the section notes).
var Floor = Codec{
	Name: "floor",
	Value: &RecordFloor{
		ID: FloorInt{1234567, true}, Name: FloorString{"Ada Lovelace", true}, Score: FloorFloat{98.5, true},
		Active: FloorBool{true, true}, Created: FloorTime{created, true},
	},
	Unmarshal: unmarshalInto[RecordFloor],
}
