package nullable

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The fast paths below encode and decode the predeclared scalar types and
// time.Time without reflection and without allocating (except the string a
// decoded string needs). They produce exactly what json/v2 produces for the
// same type under default options; named types (type ID int64) and every
// other T go through json/v2 itself, which honours their own methods.

var (
	errUnsupportedFloat = errors.New("unsupported value: NaN or infinite float")
	errYearRange        = errors.New("year outside of range [0,9999]")
	errZoneRange        = errors.New("timezone hour outside of range [0,23]")
)

// noMarshalers reports whether the caller passed no json.WithMarshalers,
// which could replace the encoding of T.
func noMarshalers(opts json.Options) bool {
	_, ok := json.GetOption(opts, json.WithMarshalers)
	return !ok
}

// plainNumbers reports whether numbers keep their default encoding: no
// marshalers and no json.StringifyNumbers (or `string` tag).
func plainNumbers(opts json.Options) bool {
	if s, _ := json.GetOption(opts, json.StringifyNumbers); s {
		return false
	}
	return noMarshalers(opts)
}

// plainDecode reports whether T's fast decoding path applies under opts:
// T has one, the caller passed no json.WithUnmarshalers, numbers are not
// stringified, and strings are not allowed to hold invalid UTF-8 (which the
// fast string path rejects).
func plainDecode[T any](opts json.Options) bool {
	switch any((*T)(nil)).(type) {
	case *int, *int8, *int16, *int32, *int64,
		*uint, *uint8, *uint16, *uint32, *uint64, *float32, *float64:
		if s, _ := json.GetOption(opts, json.StringifyNumbers); s {
			return false
		}
	case *string:
		if a, _ := json.GetOption(opts, jsontext.AllowInvalidUTF8); a {
			return false
		}
	case *bool, *time.Time:
	default:
		return false
	}
	_, ok := json.GetOption(opts, json.WithUnmarshalers)
	return !ok
}

// appendJSON appends the JSON form of *p when T has a fast path.
func appendJSON[T any](dst []byte, p *T) (_ []byte, handled bool, err error) {
	switch p := any(p).(type) {
	case *string:
		dst, err = jsontext.AppendQuote(dst, *p)
		return dst, true, err
	case *bool:
		return strconv.AppendBool(dst, *p), true, nil
	case *int:
		return strconv.AppendInt(dst, int64(*p), 10), true, nil
	case *int8:
		return strconv.AppendInt(dst, int64(*p), 10), true, nil
	case *int16:
		return strconv.AppendInt(dst, int64(*p), 10), true, nil
	case *int32:
		return strconv.AppendInt(dst, int64(*p), 10), true, nil
	case *int64:
		return strconv.AppendInt(dst, *p, 10), true, nil
	case *uint:
		return strconv.AppendUint(dst, uint64(*p), 10), true, nil
	case *uint8:
		return strconv.AppendUint(dst, uint64(*p), 10), true, nil
	case *uint16:
		return strconv.AppendUint(dst, uint64(*p), 10), true, nil
	case *uint32:
		return strconv.AppendUint(dst, uint64(*p), 10), true, nil
	case *uint64:
		return strconv.AppendUint(dst, *p, 10), true, nil
	case *float32:
		f := float64(*p)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return dst, true, errUnsupportedFloat
		}
		return appendFloat(dst, f, 32), true, nil
	case *float64:
		if math.IsNaN(*p) || math.IsInf(*p, 0) {
			return dst, true, errUnsupportedFloat
		}
		return appendFloat(dst, *p, 64), true, nil
	case *time.Time:
		dst, err = appendJSONTime(dst, *p)
		return dst, true, err
	}
	return dst, false, nil
}

// appendJSONTime appends t quoted in RFC 3339 with nanoseconds, as json/v2
// does by default, and rejects what RFC 3339 cannot represent.
func appendJSONTime(dst []byte, t time.Time) ([]byte, error) {
	n0 := len(dst)
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	s := dst[n0+1:]
	switch {
	case len(s) < len("2006-01-02T15:04:05Z") || s[4] != '-':
		return dst[:n0], errYearRange
	case s[len(s)-1] != 'Z':
		c := s[len(s)-len("Z07:00")]
		if ('0' <= c && c <= '9') || dec2(s[len(s)-len("07:00"):]) >= 24 {
			return dst[:n0], errZoneRange
		}
	}
	return append(dst, '"'), nil
}

func dec2(b []byte) int { return int(b[0]-'0')*10 + int(b[1]-'0') }

// writeJSON writes *p to enc when T has a fast path and enc's options
// leave T's encoding alone, and reports whether it did.
func writeJSON[T any](enc *jsontext.Encoder, p *T) (handled bool, err error) {
	switch p := any(p).(type) {
	case *string:
		if noMarshalers(enc.Options()) {
			return true, enc.WriteToken(jsontext.String(*p))
		}
	case *bool:
		if noMarshalers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Bool(*p))
		}
	case *int64:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Int(*p))
		}
	case *int:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Int(int64(*p)))
		}
	case *int8:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Int(int64(*p)))
		}
	case *int16:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Int(int64(*p)))
		}
	case *int32:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Int(int64(*p)))
		}
	case *uint:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Uint(uint64(*p)))
		}
	case *uint8:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Uint(uint64(*p)))
		}
	case *uint16:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Uint(uint64(*p)))
		}
	case *uint32:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Uint(uint64(*p)))
		}
	case *uint64:
		if plainNumbers(enc.Options()) {
			return true, enc.WriteToken(jsontext.Uint(*p))
		}
	case *float32:
		if plainNumbers(enc.Options()) {
			if f := float64(*p); math.IsNaN(f) || math.IsInf(f, 0) {
				return true, errUnsupportedFloat
			}
			return true, enc.WriteValue(appendFloat(enc.AvailableBuffer(), float64(*p), 32))
		}
	case *float64:
		if plainNumbers(enc.Options()) {
			if math.IsNaN(*p) || math.IsInf(*p, 0) {
				return true, errUnsupportedFloat
			}
			return true, enc.WriteToken(jsontext.Float(*p))
		}
	case *time.Time:
		if noMarshalers(enc.Options()) {
			b, err := appendJSONTime(enc.AvailableBuffer(), *p)
			if err != nil {
				return true, err
			}
			return true, enc.WriteValue(b)
		}
	}
	return false, nil
}

// decodeJSON decodes the single, non-null JSON value b (no surrounding
// whitespace) into *p when T has a fast path. It accepts exactly what json/v2
// accepts for T under default options. valid says b came from a
// jsontext.Decoder that already checked its syntax and UTF-8, so the checks
// need not be repeated. Errors are causes, to be wrapped.
func decodeJSON[T any](b []byte, p *T, valid bool) (handled bool, err error) {
	switch p := any(p).(type) {
	case *string:
		s, err := unquoteJSON(b, valid)
		if err == nil {
			*p = s
		}
		return true, err
	case *bool:
		switch string(b) {
		case "true":
			*p = true
		case "false":
			*p = false
		default:
			return true, wrongKind(b)
		}
		return true, nil
	case *int:
		n, err := parseJSONInt(b, strconv.IntSize)
		*p = int(n)
		return true, err
	case *int8:
		n, err := parseJSONInt(b, 8)
		*p = int8(n)
		return true, err
	case *int16:
		n, err := parseJSONInt(b, 16)
		*p = int16(n)
		return true, err
	case *int32:
		n, err := parseJSONInt(b, 32)
		*p = int32(n)
		return true, err
	case *int64:
		n, err := parseJSONInt(b, 64)
		*p = n
		return true, err
	case *uint:
		n, err := parseJSONUint(b, strconv.IntSize)
		*p = uint(n)
		return true, err
	case *uint8:
		n, err := parseJSONUint(b, 8)
		*p = uint8(n)
		return true, err
	case *uint16:
		n, err := parseJSONUint(b, 16)
		*p = uint16(n)
		return true, err
	case *uint32:
		n, err := parseJSONUint(b, 32)
		*p = uint32(n)
		return true, err
	case *uint64:
		n, err := parseJSONUint(b, 64)
		*p = n
		return true, err
	case *float32:
		f, err := parseJSONFloat(b, 32, valid)
		*p = float32(f)
		return true, err
	case *float64:
		f, err := parseJSONFloat(b, 64, valid)
		*p = f
		return true, err
	case *time.Time:
		return true, decodeJSONTime(b, p, valid)
	}
	return false, nil
}

func wrongKind(b []byte) error {
	if len(b) == 0 {
		return kindError("value")
	}
	return jsonKindName(b[0])
}

// unquoteJSON returns the string a JSON string literal denotes. valid says
// b is known to be a well-formed JSON string with valid UTF-8.
func unquoteJSON(b []byte, valid bool) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", wrongKind(b)
	}
	in := b[1 : len(b)-1]
	if valid {
		if bytes.IndexByte(in, '\\') < 0 {
			return string(in), nil
		}
		goto slow
	}
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			goto slow
		}
	}
	if utf8.Valid(in) {
		return string(in), nil
	}
slow:
	out, err := jsontext.AppendUnquote(nil, b)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// parseJSONUint parses a JSON integer without sign: digits, no leading zero.
// ok is false for any other input; overflow is true when the digits do not
// fit in 64 bits.
func parseJSONUint(b []byte, bits int) (uint64, error) {
	n, err := parseDigits(b)
	if err != nil {
		if len(b) > 0 && b[0] == '-' && validNumber(b) {
			if _, ierr := parseDigits(b[1:]); ierr == nil {
				return 0, strconv.ErrRange // a negative integer
			}
		}
		return 0, err
	}
	if bits < 64 && n >= 1<<uint(bits) {
		return 0, strconv.ErrRange
	}
	return n, nil
}

// parseJSONInt parses a JSON integer into a signed integer of the given size.
func parseJSONInt(b []byte, bits int) (int64, error) {
	neg := len(b) > 0 && b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	n, err := parseDigits(digits)
	if err != nil {
		if neg && errors.Is(err, strconv.ErrSyntax) && !validNumber(b) {
			return 0, wrongKind(b)
		}
		return 0, err
	}
	limit := uint64(1) << uint(bits-1)
	if neg {
		if n > limit {
			return 0, strconv.ErrRange
		}
		return int64(-n), nil
	}
	if n >= limit {
		return 0, strconv.ErrRange
	}
	return int64(n), nil
}

// parseDigits parses an unsigned JSON integer. It returns ErrSyntax for a
// valid JSON number that is not an integer (1.5, 1e3), ErrRange when the
// integer does not fit in 64 bits, and a kind error for anything else.
func parseDigits(b []byte) (uint64, error) {
	var n uint64
	i := 0
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			if validNumber(b) {
				return 0, strconv.ErrRange
			}
			return 0, wrongKind(b)
		}
		n = n*10 + d
	}
	if i == 0 || i != len(b) || (b[0] == '0' && len(b) > 1) {
		if validNumber(b) {
			return 0, strconv.ErrSyntax
		}
		return 0, wrongKind(b)
	}
	return n, nil
}

// parseJSONFloat parses a JSON number (known to be one when valid).
func parseJSONFloat(b []byte, bits int, valid bool) (float64, error) {
	if valid {
		if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
			return 0, wrongKind(b)
		}
	} else if !validNumber(b) {
		return 0, wrongKind(b)
	}
	f, err := strconv.ParseFloat(string(b), bits)
	if err != nil {
		return 0, strconv.ErrRange // the grammar is checked, so only range remains
	}
	return f, nil
}

// validNumber reports whether b is exactly one JSON number (RFC 8259).
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(b)
}

// decodeJSONTime decodes a JSON string holding an RFC 3339 timestamp with
// the strictness json/v2 applies by default.
func decodeJSONTime(b []byte, p *time.Time, valid bool) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return wrongKind(b)
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') >= 0 || (!valid && !plainASCII(in)) {
		// Escapes never occur in a valid timestamp; unquote and retry.
		s, err := unquoteJSON(b, valid)
		if err != nil {
			return err
		}
		in = []byte(s)
	}
	var t time.Time
	if err := t.UnmarshalText(in); err != nil {
		return err
	}
	// time.Time.UnmarshalText is looser than RFC 3339 (go.dev/issue/54580);
	// reject what json/v2 rejects.
	switch {
	case in[len("2006-01-02T")+1] == ':':
		return errors.New("hour must have two digits")
	case in[len("2006-01-02T15:04:05")] == ',':
		return errors.New("sub-second separator must be a period")
	case in[len(in)-1] != 'Z':
		if dec2(in[len(in)-len("07:00"):]) >= 24 {
			return errors.New("timezone hour out of range")
		}
		if dec2(in[len(in)-len("00"):]) >= 60 {
			return errors.New("timezone minute out of range")
		}
	}
	*p = t
	return nil
}

// trimJSONSpace removes the JSON whitespace around b.
func trimJSONSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// jsonSizeHint is the buffer size MarshalJSON starts with for *p.
func jsonSizeHint[T any](p *T) int {
	switch p := any(p).(type) {
	case *string:
		return len(*p) + 2
	case *time.Time:
		return len(`"2006-01-02T15:04:05.999999999-07:00"`)
	case *bool:
		return len("false")
	}
	return 24
}

// plainASCII reports whether b holds only printable ASCII other than '"'
// and '\\'.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendFloat appends f (finite) in the number format of ECMAScript, which
// encoding/json and json/v2 share: the shortest decimal that parses back to
// the same float of the given size, in exponent form below 1e-6 and from
// 1e21, with a one-digit exponent written without padding (1e-7, not 1e-07).
// jsontext.AppendFloat does the same but is missing from the standard
// library's experimental encoding/json/jsontext in Go 1.25 and 1.26.
func appendFloat(dst []byte, f float64, bits int) []byte {
	if bits == 32 {
		f = float64(float32(f))
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		if bits == 64 || float32(a) < 1e-6 || float32(a) >= 1e21 {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}
