package nullable

import (
	"errors"
	"fmt"
)

// DecodeError is returned when JSON, XML or text input cannot be decoded
// into a [Value] or [Field]: the input has the wrong kind (a JSON string for
// an int64), is out of range, or is malformed for T. Decoding never panics on
// bad input.
//
// errors.As(err, new(*DecodeError)) works on the errors of the methods and
// on the errors encoding/json, json/v2 and encoding/xml return around them;
// errors.Is(err, strconv.ErrRange) (or ErrSyntax) works when that is the
// cause.
type DecodeError struct {
	Format string // "JSON", "XML" or "text"
	Type   string // the Go type of T, e.g. "int64"
	Err    error  // the cause
}

func (e *DecodeError) Error() string {
	return "nullable: decode " + e.Format + " into " + e.Type + ": " + errString(e.Err)
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// ScanError is returned by the Scan methods (database/sql.Scanner) when the
// source value cannot be converted to T under database/sql's conversion
// rules, or T's own Scan method fails. The Value or Field is left unchanged.
type ScanError struct {
	Type string // the Go type of T, e.g. "int64"
	Src  string // the Go type of the source value, e.g. "string"
	Err  error  // the cause
}

func (e *ScanError) Error() string {
	return "nullable: scan " + e.Src + " into " + e.Type + ": " + errString(e.Err)
}

// Unwrap returns the cause.
func (e *ScanError) Unwrap() error { return e.Err }

// ValuerError is returned by the Value methods (database/sql/driver.Valuer)
// when T is not a valid driver value and cannot be converted to one, or T's
// own Value method fails.
type ValuerError struct {
	Type string // the Go type of T
	Err  error  // the cause
}

func (e *ValuerError) Error() string {
	return "nullable: driver value of " + e.Type + ": " + errString(e.Err)
}

// Unwrap returns the cause.
func (e *ValuerError) Unwrap() error { return e.Err }

// ErrNoTextForm is the cause of errors from the text and XML-attribute
// methods when T has no text form: T is not a string, []byte, bool or
// number kind and implements neither encoding.TextMarshaler (for encoding)
// nor encoding.TextUnmarshaler (for decoding).
var ErrNoTextForm = errors.New("nullable: type has no text form")

func errString(err error) string {
	if err == nil {
		return "invalid value"
	}
	return err.Error()
}

func decodeErr[T any](format string, err error) error {
	return &DecodeError{Format: format, Type: typeName[T](), Err: err}
}

func scanErr[T any](src any, err error) error {
	return &ScanError{Type: typeName[T](), Src: fmt.Sprintf("%T", src), Err: err}
}

// kindError is the cause of a DecodeError for input of the wrong JSON kind.
type kindError string

func (k kindError) Error() string { return "unexpected JSON " + string(k) }

func jsonKindName(c byte) kindError {
	switch c {
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "number"
	}
	return "value"
}
