package nullable

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"time"
)

var (
	_ sql.Scanner   = (*Value[int])(nil)
	_ driver.Valuer = Value[int]{}
	_ sql.Scanner   = (*Field[int])(nil)
	_ driver.Valuer = Field[int]{}
)

var errUint64Range = errors.New("uint64 values with high bit set are not supported")

// Scan implements database/sql.Scanner. SQL NULL (a nil src) makes v null.
// Any other src is stored as database/sql would store it into a *T: through
// T's own Scan method when *T is a sql.Scanner, and otherwise by
// database/sql's conversion rules (an int64 into any integer type that holds
// it, []byte or string into a string, and so on). The common cases (src of
// T's own type, int64 into smaller integers, []byte into string) take a path
// without allocation. A src that cannot be converted returns a *[ScanError]
// naming T and leaves v unchanged.
func (v *Value[T]) Scan(src any) error {
	if src == nil {
		*v = Value[T]{}
		return nil
	}
	t, err := scan[T](src)
	if err != nil {
		return err
	}
	*v = Value[T]{v: t, valid: true}
	return nil
}

// Value implements database/sql/driver.Valuer. A null Value is SQL NULL
// (nil). A value is converted as database/sql converts a T argument: through
// T's own Value method when T (or *T) is a driver.Valuer, and otherwise by
// driver.DefaultParameterConverter (integers to int64, float32 to float64,
// and so on). A T with no driver form returns a *[ValuerError].
func (v Value[T]) Value() (driver.Value, error) {
	if !v.valid {
		return nil, nil
	}
	return driverValue(&v.v)
}

// Scan implements database/sql.Scanner: SQL NULL makes f null (present),
// anything else makes f hold it; see [Value.Scan].
func (f *Field[T]) Scan(src any) error {
	if src == nil {
		*f = Field[T]{state: null}
		return nil
	}
	t, err := scan[T](src)
	if err != nil {
		return err
	}
	*f = Field[T]{v: t, state: present}
	return nil
}

// Value implements database/sql/driver.Valuer: absent and null are SQL NULL;
// see [Value.Value].
func (f Field[T]) Value() (driver.Value, error) {
	if f.state != present {
		return nil, nil
	}
	return driverValue(&f.v)
}

// scan converts the non-nil src to T. The common cases take scanFast, whose
// local T stays on the stack; T's own Scanner and database/sql's conversion
// each need a T on the heap and live in their own functions.
func scan[T any](src any) (T, error) {
	if _, ok := any((*T)(nil)).(sql.Scanner); ok {
		return scanScanner[T](src)
	}
	var t T
	if scanFast(&t, src) {
		return t, nil
	}
	return scanSlow[T](src)
}

func scanScanner[T any](src any) (T, error) {
	var t T
	if err := any(&t).(sql.Scanner).Scan(src); err != nil {
		return t, scanErr[T](src, err)
	}
	return t, nil
}

func scanSlow[T any](src any) (T, error) {
	var n sql.Null[T]
	if err := n.Scan(src); err != nil {
		return n.V, scanErr[T](src, err)
	}
	return n.V, nil
}

// scanFast stores src into *p when database/sql would store it unchanged or
// by a plain integer conversion, and reports whether it did.
func scanFast[T any](p *T, src any) bool {
	switch d := any(p).(type) {
	case *int64:
		if s, ok := src.(int64); ok {
			*d = s
			return true
		}
	case *int:
		if s, ok := src.(int64); ok && s >= math.MinInt && s <= math.MaxInt {
			*d = int(s)
			return true
		}
	case *int32:
		if s, ok := src.(int64); ok && s >= math.MinInt32 && s <= math.MaxInt32 {
			*d = int32(s)
			return true
		}
	case *int16:
		if s, ok := src.(int64); ok && s >= math.MinInt16 && s <= math.MaxInt16 {
			*d = int16(s)
			return true
		}
	case *int8:
		if s, ok := src.(int64); ok && s >= math.MinInt8 && s <= math.MaxInt8 {
			*d = int8(s)
			return true
		}
	case *float64:
		if s, ok := src.(float64); ok {
			*d = s
			return true
		}
	case *bool:
		if s, ok := src.(bool); ok {
			*d = s
			return true
		}
	case *string:
		switch s := src.(type) {
		case string:
			*d = s
			return true
		case []byte:
			*d = string(s)
			return true
		}
	case *[]byte:
		switch s := src.(type) {
		case []byte:
			*d = bytes.Clone(s)
			return true
		case string:
			*d = []byte(s)
			return true
		}
	case *time.Time:
		if s, ok := src.(time.Time); ok {
			*d = s
			return true
		}
	}
	return false
}

func driverValue[T any](p *T) (driver.Value, error) {
	switch x := any(p).(type) {
	case *int64:
		return *x, nil
	case *string:
		return *x, nil
	case *float64:
		return *x, nil
	case *bool:
		return *x, nil
	case *time.Time:
		return *x, nil
	case *[]byte:
		return *x, nil
	case *int:
		return int64(*x), nil
	case *int32:
		return int64(*x), nil
	case *int16:
		return int64(*x), nil
	case *int8:
		return int64(*x), nil
	case *uint32:
		return int64(*x), nil
	case *uint16:
		return int64(*x), nil
	case *uint8:
		return int64(*x), nil
	case *uint64:
		if *x > math.MaxInt64 {
			return nil, &ValuerError{Type: "uint64", Err: errUint64Range}
		}
		return int64(*x), nil
	case *uint:
		if uint64(*x) > math.MaxInt64 {
			return nil, &ValuerError{Type: "uint", Err: errUint64Range}
		}
		return int64(*x), nil
	case *float32:
		return float64(*x), nil
	}
	return driverValueSlow(*p)
}

// driverValueSlow converts t through its own Valuer or database/sql's
// default converter; t lives on the heap here, not in the callers.
func driverValueSlow[T any](t T) (driver.Value, error) {
	if vr, ok := any(&t).(driver.Valuer); ok {
		val, err := vr.Value()
		if err != nil {
			return nil, &ValuerError{Type: typeName[T](), Err: err}
		}
		if !driver.IsValue(val) {
			return nil, &ValuerError{Type: typeName[T](), Err: errors.New("its Value method returned a non-driver value")}
		}
		return val, nil
	}
	val, err := driver.DefaultParameterConverter.ConvertValue(t)
	if err != nil {
		return nil, &ValuerError{Type: typeName[T](), Err: err}
	}
	return val, nil
}
