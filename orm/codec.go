package orm

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/go-json-experiment/json"
)

// timeLayout stores times as fixed-width UTC text, so that text order is
// time order and every value round-trips to the nanosecond.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(timeLayout, s); err == nil {
		return t, nil
	}
	// Accept what other tools write: RFC 3339 and SQLite's own format.
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a time", s)
}

var errUint64Range = errors.New("uint64 value above math.MaxInt64 cannot be stored")

// encode returns the bound-parameter value of the field at base. With
// clone, []byte values are copied (for change-detection snapshots).
func (f *field) encode(base unsafe.Pointer, clone bool) (any, error) {
	p := f.ptr(base)
	switch f.kind {
	case kInt:
		return int64(*(*int)(p)), nil
	case kInt8:
		return int64(*(*int8)(p)), nil
	case kInt16:
		return int64(*(*int16)(p)), nil
	case kInt32:
		return int64(*(*int32)(p)), nil
	case kInt64:
		return *(*int64)(p), nil
	case kUint:
		return uintValue(uint64(*(*uint)(p)))
	case kUint8:
		return int64(*(*uint8)(p)), nil
	case kUint16:
		return int64(*(*uint16)(p)), nil
	case kUint32:
		return int64(*(*uint32)(p)), nil
	case kUint64:
		return uintValue(*(*uint64)(p))
	case kFloat32:
		return float64(*(*float32)(p)), nil
	case kFloat64:
		return *(*float64)(p), nil
	case kBool:
		if *(*bool)(p) {
			return int64(1), nil
		}
		return int64(0), nil
	case kString:
		return *(*string)(p), nil
	case kBytes:
		b := *(*[]byte)(p)
		if b == nil {
			return nil, nil
		}
		if clone {
			return bytes.Clone(b), nil
		}
		return b, nil
	case kTime:
		return formatTime(*(*time.Time)(p)), nil
	case kJSON:
		b, err := json.Marshal(reflect.NewAt(f.typ, p).Interface())
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case kNullable:
		if !*(*bool)(unsafe.Add(p, f.validOff)) {
			return nil, nil
		}
		return f.inner.encode(p, clone)
	case kScanner:
		v, err := reflect.NewAt(f.typ, p).Elem().Interface().(driver.Valuer).Value()
		if err != nil {
			return nil, err
		}
		return normalizeArg(v)
	}
	panic("orm: unreachable field kind")
}

func uintValue(u uint64) (any, error) {
	if u > math.MaxInt64 {
		return nil, errUint64Range
	}
	return int64(u), nil
}

// decode stores the driver value src into the field at base.
func (f *field) decode(base unsafe.Pointer, src any) error {
	p := f.ptr(base)
	switch f.kind {
	case kNullable:
		valid := (*bool)(unsafe.Add(p, f.validOff))
		if src == nil {
			*valid = false
			// Reset the held value so a null compares equal to Null().
			return f.inner.decode(p, nil)
		}
		*valid = true
		return f.inner.decode(p, src)
	case kScanner:
		if s, ok := src.(string); ok && f.scanInner == timeType {
			t, err := parseTime(s)
			if err != nil {
				return err
			}
			src = t
		}
		return reflect.NewAt(f.typ, p).Interface().(sql.Scanner).Scan(src)
	case kJSON:
		v := reflect.NewAt(f.typ, p)
		v.Elem().SetZero()
		switch s := src.(type) {
		case nil:
			return nil
		case string:
			return json.Unmarshal([]byte(s), v.Interface())
		case []byte:
			return json.Unmarshal(s, v.Interface())
		}
		return fmt.Errorf("cannot store %T in a JSON column", src)
	}
	switch s := src.(type) {
	case int64:
		return f.setInt(p, s)
	case float64:
		switch f.kind {
		case kFloat64:
			*(*float64)(p) = s
			return nil
		case kFloat32:
			*(*float32)(p) = float32(s)
			return nil
		}
		if s == math.Trunc(s) && s >= math.MinInt64 && s < math.MaxInt64 {
			return f.setInt(p, int64(s))
		}
	case string:
		switch f.kind {
		case kString:
			*(*string)(p) = s
			return nil
		case kBytes:
			*(*[]byte)(p) = []byte(s)
			return nil
		case kTime:
			t, err := parseTime(s)
			if err != nil {
				return err
			}
			*(*time.Time)(p) = t
			return nil
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && f.kind != kFloat32 && f.kind != kFloat64 {
			return f.setInt(p, n)
		}
	case []byte:
		switch f.kind {
		case kBytes:
			*(*[]byte)(p) = s
			return nil
		case kString:
			*(*string)(p) = string(s)
			return nil
		}
	case time.Time:
		if f.kind == kTime {
			*(*time.Time)(p) = s.UTC()
			return nil
		}
	case nil:
		f.zero(p)
		return nil
	}
	return fmt.Errorf("cannot store %T in a %s field", src, f.typ)
}

func (f *field) setInt(p unsafe.Pointer, n int64) error {
	switch f.kind {
	case kInt:
		*(*int)(p) = int(n)
	case kInt8:
		if n < math.MinInt8 || n > math.MaxInt8 {
			return errRange(n, f)
		}
		*(*int8)(p) = int8(n)
	case kInt16:
		if n < math.MinInt16 || n > math.MaxInt16 {
			return errRange(n, f)
		}
		*(*int16)(p) = int16(n)
	case kInt32:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return errRange(n, f)
		}
		*(*int32)(p) = int32(n)
	case kInt64:
		*(*int64)(p) = n
	case kUint, kUint64:
		if n < 0 {
			return errRange(n, f)
		}
		if f.kind == kUint {
			*(*uint)(p) = uint(n)
		} else {
			*(*uint64)(p) = uint64(n)
		}
	case kUint8:
		if n < 0 || n > math.MaxUint8 {
			return errRange(n, f)
		}
		*(*uint8)(p) = uint8(n)
	case kUint16:
		if n < 0 || n > math.MaxUint16 {
			return errRange(n, f)
		}
		*(*uint16)(p) = uint16(n)
	case kUint32:
		if n < 0 || n > math.MaxUint32 {
			return errRange(n, f)
		}
		*(*uint32)(p) = uint32(n)
	case kBool:
		*(*bool)(p) = n != 0
	case kFloat32:
		*(*float32)(p) = float32(n)
	case kFloat64:
		*(*float64)(p) = float64(n)
	default:
		return fmt.Errorf("cannot store an integer in a %s field", f.typ)
	}
	return nil
}

func errRange(n int64, f *field) error {
	return fmt.Errorf("value %d out of range for %s", n, f.typ)
}

func (f *field) zero(p unsafe.Pointer) {
	switch f.kind {
	case kInt, kInt64, kUint, kUint64:
		*(*uint64)(p) = 0
	case kInt8, kUint8, kBool:
		*(*uint8)(p) = 0
	case kInt16, kUint16:
		*(*uint16)(p) = 0
	case kInt32, kUint32, kFloat32:
		*(*uint32)(p) = 0
	case kFloat64:
		*(*float64)(p) = 0
	case kString:
		*(*string)(p) = ""
	case kBytes:
		*(*[]byte)(p) = nil
	case kTime:
		*(*time.Time)(p) = time.Time{}
	default:
		reflect.NewAt(f.typ, p).Elem().SetZero()
	}
}

// normalizeArg turns a query argument into the value the ORM stores for it:
// integers as int64, bools as 0/1, times as fixed-width UTC text, Valuers
// through their Value. It rejects types the database cannot store.
func normalizeArg(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, string, []byte:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		return formatTime(x), nil
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			return nil, err
		}
		if _, again := dv.(driver.Valuer); again {
			return nil, fmt.Errorf("orm: %T.Value returned a Valuer", v)
		}
		return normalizeArg(dv)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintValue(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.Bool:
		return normalizeArg(rv.Bool())
	case reflect.String:
		return rv.String(), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes(), nil
		}
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return normalizeArg(rv.Elem().Interface())
	}
	if isNullable(rv.Type()) {
		// A nullable.Value without a Valuer: read it through its Get method.
		out := rv.MethodByName("Get").Call(nil)
		if !out[1].Bool() {
			return nil, nil
		}
		return normalizeArg(out[0].Interface())
	}
	return nil, fmt.Errorf("orm: unsupported argument type %T", v)
}

// equalValues compares two encoded values (as produced by encode).
func equalValues(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case nil:
		return b == nil
	}
	switch b.(type) {
	case []byte:
		return false
	}
	return a == b
}
