package immutable

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Errors reported by JSON decoding and encoding. Decoding errors reach the
// caller wrapped in a *json.SemanticError (github.com/go-json-experiment/json)
// that names the Go type and the position in the input, so both
// errors.Is(err, ErrDuplicateKey) and errors.As(err, new(*json.SemanticError))
// work; syntax errors are *jsontext.SyntacticError.
var (
	// ErrDuplicateKey: a JSON object holds the same map key twice.
	ErrDuplicateKey = errors.New("immutable: duplicate key in JSON object")
	// ErrJSONKind: the JSON value is of the wrong kind for the collection
	// (an object for a List, a number for a Map, …).
	ErrJSONKind = errors.New("immutable: wrong JSON kind")
	// ErrKeyType: the map's key type has no JSON object-name form. Keys must
	// be strings, integers, or implement encoding.TextMarshaler (and
	// encoding.TextUnmarshaler through a pointer, to decode).
	ErrKeyType = errors.New("immutable: map key type has no JSON object-name form")
)

// KeyError reports a JSON object name that cannot be decoded into a map key,
// or that names a key seen before (Err is then [ErrDuplicateKey]).
type KeyError struct {
	Name string // the object name as it appears in the input, unescaped
	Err  error  // the cause
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("immutable: JSON object name %q: %v", e.Name, e.Err)
}

// Unwrap returns the cause.
func (e *KeyError) Unwrap() error { return e.Err }

// ---- encoding ------------------------------------------------------------

func writeSeq[T any](enc *jsontext.Encoder, seq iter.Seq[T]) error {
	if err := enc.WriteToken(jsontext.BeginArray); err != nil {
		return err
	}
	for v := range seq {
		if err := jsonv2.MarshalEncode(enc, v); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndArray)
}

// writeSortedSeq writes the values of an unordered collection sorted by
// their JSON encoding (bytewise), so the output does not depend on hash
// order.
func writeSortedSeq[T any](enc *jsontext.Encoder, seq iter.Seq[T]) error {
	var vals []jsontext.Value
	// Sort by the unescaped form: the encoder escapes on output as its
	// options say, so the order is the same whatever the escaping.
	opts := jsonv2.JoinOptions(enc.Options(), jsontext.EscapeForHTML(false), jsontext.EscapeForJS(false))
	for v := range seq {
		b, err := jsonv2.Marshal(v, opts)
		if err != nil {
			return err
		}
		vals = append(vals, b)
	}
	slices.SortFunc(vals, func(a, b jsontext.Value) int { return bytes.Compare(a, b) })
	if err := enc.WriteToken(jsontext.BeginArray); err != nil {
		return err
	}
	for _, v := range vals {
		if err := enc.WriteValue(v); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndArray)
}

// keyName returns the JSON object name of k.
func keyName[K any](k K) (string, error) {
	switch k := any(k).(type) {
	case string:
		return k, nil
	case int:
		return strconv.Itoa(k), nil
	case encoding.TextMarshaler:
		b, err := k.MarshalText()
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
	v := reflect.ValueOf(&k).Elem()
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), nil
	}
	return "", fmt.Errorf("%w: %v", ErrKeyType, v.Type())
}

// parseKey returns the map key named name. Integers must be in canonical
// decimal form ("7", "-7"; not "07", "+7" or "7.0"), so that every key has one
// name and decoding then encoding is stable.
func parseKey[K any](name string) (K, error) {
	var k K
	if u, ok := any(&k).(encoding.TextUnmarshaler); ok {
		err := u.UnmarshalText([]byte(name))
		return k, err
	}
	v := reflect.ValueOf(&k).Elem()
	switch v.Kind() {
	case reflect.String:
		v.SetString(name)
		return k, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(name, 10, v.Type().Bits())
		if err != nil || strconv.FormatInt(n, 10) != name {
			return k, fmt.Errorf("not a canonical %v", v.Type())
		}
		v.SetInt(n)
		return k, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(name, 10, v.Type().Bits())
		if err != nil || strconv.FormatUint(n, 10) != name {
			return k, fmt.Errorf("not a canonical %v", v.Type())
		}
		v.SetUint(n)
		return k, nil
	}
	return k, fmt.Errorf("%w: %v", ErrKeyType, v.Type())
}

type entry[K, V any] struct {
	name string
	v    V
}

// writeObject writes pairs as a JSON object; sorted sorts them by name
// first (for hash maps, whose order is not defined).
func writeObject[K, V any](enc *jsontext.Encoder, seq iter.Seq2[K, V], n int, sorted bool) error {
	es := make([]entry[K, V], 0, n)
	for k, v := range seq {
		name, err := keyName(k)
		if err != nil {
			return err
		}
		es = append(es, entry[K, V]{name, v})
	}
	if sorted {
		slices.SortFunc(es, func(a, b entry[K, V]) int { return strings.Compare(a.name, b.name) })
	}
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, e := range es {
		if err := enc.WriteToken(jsontext.String(e.name)); err != nil {
			return err
		}
		if err := jsonv2.MarshalEncode(enc, e.v); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

// ---- decoding ------------------------------------------------------------

// readOpen reads the opening token: it returns false for null, and an
// ErrJSONKind error for any kind other than want ('[' or '{').
func readOpen(dec *jsontext.Decoder, want jsontext.Kind) (bool, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch k := tok.Kind(); k {
	case want:
		return true, nil
	case 'n':
		return false, nil
	default:
		return false, fmt.Errorf("%w: got %v, want %v", ErrJSONKind, k, want)
	}
}

// readArray calls add for each element of a JSON array (nothing for null).
func readArray[T any](dec *jsontext.Decoder, add func(T)) error {
	ok, err := readOpen(dec, '[')
	if !ok || err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		var v T
		if err := jsonv2.UnmarshalDecode(dec, &v); err != nil {
			return err
		}
		add(v)
	}
	_, err = dec.ReadToken()
	return err
}

// readObject calls set for each member of a JSON object (nothing for null);
// has reports keys already set, to reject duplicates.
func readObject[K, V any](dec *jsontext.Decoder, has func(K) bool, set func(K, V)) error {
	ok, err := readOpen(dec, '{')
	if !ok || err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		k, err := parseKey[K](name)
		if err != nil {
			return &KeyError{Name: name, Err: err}
		}
		if has(k) {
			return &KeyError{Name: name, Err: ErrDuplicateKey}
		}
		var v V
		if err := jsonv2.UnmarshalDecode(dec, &v); err != nil {
			return err
		}
		set(k, v)
	}
	_, err = dec.ReadToken()
	return err
}

// ---- Array ----

// MarshalJSON encodes the array as a JSON array (an empty array, never null).
// It returns the same bytes as [Array.MarshalJSONTo] with default options.
func (a Array[T]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(a) }

// MarshalJSONTo encodes the array as a JSON array, its elements with the
// encoder's options (json v2).
func (a Array[T]) MarshalJSONTo(enc *jsontext.Encoder) error { return writeSeq(enc, a.Values()) }

// UnmarshalJSON decodes a JSON array (or null, meaning empty), replacing the
// receiver's contents.
func (a *Array[T]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, a) }

// UnmarshalJSONFrom decodes a JSON array (or null) with the decoder's
// options (json v2), replacing the receiver's contents.
func (a *Array[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var s []T
	if err := readArray(dec, func(v T) { s = append(s, v) }); err != nil {
		return err
	}
	*a = Own(s)
	return nil
}

// ---- List ----

// MarshalJSON encodes the list as a JSON array (an empty array, never null).
func (l List[T]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(l) }

// MarshalJSONTo encodes the list as a JSON array (json v2).
func (l List[T]) MarshalJSONTo(enc *jsontext.Encoder) error { return writeSeq(enc, l.Values()) }

// UnmarshalJSON decodes a JSON array (or null, meaning empty), replacing the
// receiver.
func (l *List[T]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, l) }

// UnmarshalJSONFrom decodes a JSON array (or null) (json v2), replacing the
// receiver.
func (l *List[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var b ListBuilder[T]
	if err := readArray(dec, b.Append); err != nil {
		return err
	}
	*l = b.Build()
	return nil
}

// ---- Map ----

// MarshalJSON encodes the map as a JSON object whose members are sorted by
// name, so equal maps always encode to the same bytes (as encoding/json does
// for built-in maps). Keys are strings, integers (in decimal) or
// encoding.TextMarshaler; other key types give [ErrKeyType].
func (m Map[K, V]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(m) }

// MarshalJSONTo encodes the map as a JSON object sorted by name (json v2).
func (m Map[K, V]) MarshalJSONTo(enc *jsontext.Encoder) error {
	return writeObject(enc, m.All(), m.Len(), true)
}

// UnmarshalJSON decodes a JSON object (or null, meaning empty), replacing
// the receiver's entries but keeping its hasher. A name that repeats a key
// is an error ([ErrDuplicateKey]), as in json v2.
func (m *Map[K, V]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, m) }

// UnmarshalJSONFrom decodes a JSON object (or null) (json v2); see
// [Map.UnmarshalJSON].
func (m *Map[K, V]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	b := m.builder()
	has := func(k K) bool { _, ok := b.Get(k); return ok }
	if err := readObject(dec, has, b.Set); err != nil {
		return err
	}
	*m = b.Build()
	return nil
}

// ---- SortedMap ----

// MarshalJSON encodes the map as a JSON object with members in key order.
// Keys are strings, integers (in decimal) or encoding.TextMarshaler.
func (m SortedMap[K, V]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(m) }

// MarshalJSONTo encodes the map as a JSON object in key order (json v2).
func (m SortedMap[K, V]) MarshalJSONTo(enc *jsontext.Encoder) error {
	return writeObject(enc, m.All(), m.Len(), false)
}

// UnmarshalJSON decodes a JSON object (or null, meaning empty), replacing
// the receiver's entries but keeping its order. A name that repeats a key is
// an error ([ErrDuplicateKey]).
func (m *SortedMap[K, V]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, m) }

// UnmarshalJSONFrom decodes a JSON object (or null) (json v2); see
// [SortedMap.UnmarshalJSON].
func (m *SortedMap[K, V]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if _, err := comparerOrError[K](m.cmp); err != nil {
		return err
	}
	b := &SortedMapBuilder[K, V]{cmp: m.cmp}
	has := func(k K) bool { _, ok := b.Get(k); return ok }
	if err := readObject(dec, has, b.Set); err != nil {
		return err
	}
	*m = b.Build()
	return nil
}

// comparerOrError reports, as an error rather than a panic, a sorted
// collection of a key type with no natural order and no compare function.
func comparerOrError[K any](f func(a, b K) int) (ok bool, err error) {
	if f != nil {
		return true, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v has no natural order", ErrKeyType, reflect.TypeFor[K]())
		}
	}()
	naturalOrder[K]("immutable.SortedMap.UnmarshalJSON")
	return true, nil
}

// ---- Set ----

// MarshalJSON encodes the set as a JSON array sorted by the elements' JSON
// encodings, so equal sets always encode to the same bytes.
func (s Set[T]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(s) }

// MarshalJSONTo encodes the set as a sorted JSON array (json v2).
func (s Set[T]) MarshalJSONTo(enc *jsontext.Encoder) error { return writeSortedSeq(enc, s.All()) }

// UnmarshalJSON decodes a JSON array (or null, meaning empty), replacing the
// receiver's values but keeping its hasher. Repeated values collapse into one.
func (s *Set[T]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, s) }

// UnmarshalJSONFrom decodes a JSON array (or null) (json v2); see
// [Set.UnmarshalJSON].
func (s *Set[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	b := s.builder()
	if err := readArray(dec, b.Add); err != nil {
		return err
	}
	*s = b.Build()
	return nil
}

// ---- SortedSet ----

// MarshalJSON encodes the set as a JSON array in ascending order.
func (s SortedSet[T]) MarshalJSON() ([]byte, error) { return jsonv2.Marshal(s) }

// MarshalJSONTo encodes the set as a JSON array in ascending order (json v2).
func (s SortedSet[T]) MarshalJSONTo(enc *jsontext.Encoder) error { return writeSeq(enc, s.All()) }

// UnmarshalJSON decodes a JSON array (or null, meaning empty), replacing the
// receiver's values but keeping its order. Repeated values collapse into one.
func (s *SortedSet[T]) UnmarshalJSON(b []byte) error { return jsonv2.Unmarshal(b, s) }

// UnmarshalJSONFrom decodes a JSON array (or null) (json v2); see
// [SortedSet.UnmarshalJSON].
func (s *SortedSet[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if _, err := comparerOrError[T](s.m.cmp); err != nil {
		return err
	}
	b := s.builder()
	if err := readArray(dec, b.Add); err != nil {
		return err
	}
	*s = b.Build()
	return nil
}

// Interface checks.
var (
	_ jsonv2.MarshalerTo     = Array[int]{}
	_ jsonv2.UnmarshalerFrom = (*Array[int])(nil)
	_ jsonv2.MarshalerTo     = List[int]{}
	_ jsonv2.UnmarshalerFrom = (*List[int])(nil)
	_ jsonv2.MarshalerTo     = Map[string, int]{}
	_ jsonv2.UnmarshalerFrom = (*Map[string, int])(nil)
	_ jsonv2.MarshalerTo     = SortedMap[string, int]{}
	_ jsonv2.UnmarshalerFrom = (*SortedMap[string, int])(nil)
	_ jsonv2.MarshalerTo     = Set[int]{}
	_ jsonv2.UnmarshalerFrom = (*Set[int])(nil)
	_ jsonv2.MarshalerTo     = SortedSet[int]{}
	_ jsonv2.UnmarshalerFrom = (*SortedSet[int])(nil)
)
