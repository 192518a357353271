package nullable_test

import (
	"database/sql/driver"
	stdjson "encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
)

func TestAccessors(t *testing.T) {
	var zero nullable.Value[int]
	if !zero.IsNull() || !zero.IsZero() || zero != nullable.Null[int]() {
		t.Fatalf("zero Value = %v, want null", zero)
	}
	if got := zero.Or(7); got != 7 {
		t.Errorf("Null.Or(7) = %d, want 7", got)
	}
	calls := 0
	if got := zero.OrElse(func() int { calls++; return 8 }); got != 8 || calls != 1 {
		t.Errorf("Null.OrElse = %d after %d calls, want 8 after 1", got, calls)
	}
	v := nullable.Of(3)
	if got := v.OrElse(func() int { calls++; return 8 }); got != 3 || calls != 1 {
		t.Errorf("Of(3).OrElse = %d after %d calls, want 3 and no call", got, calls)
	}
	if x, ok := v.Get(); !ok || x != 3 || v.MustGet() != 3 || v.Or(7) != 3 {
		t.Errorf("Of(3): Get = %d, %v; MustGet = %d", x, ok, v.MustGet())
	}
	if p := v.Ptr(); p == nil || *p != 3 {
		t.Errorf("Of(3).Ptr() = %v", p)
	} else if *p = 4; v.MustGet() != 3 {
		t.Errorf("writing through Ptr changed the Value")
	}
	if zero.Ptr() != nil {
		t.Errorf("Null.Ptr() != nil")
	}
	x := 5
	if nullable.FromPtr(&x) != nullable.Of(5) || !nullable.FromPtr[int](nil).IsNull() {
		t.Errorf("FromPtr wrong")
	}
	tests := []struct {
		give fmtStringer
		want string
	}{
		{nullable.Null[int](), "null"},
		{nullable.Of(-12), "-12"},
		{nullable.Of[int64](1 << 40), "1099511627776"},
		{nullable.Of("hi"), "hi"},
		{nullable.Of(true), "true"},
		{nullable.Of(1.5), "1.5"},
		{nullable.Of(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)), "2020-01-02 03:04:05 +0000 UTC"},
		{nullable.Absent[int](), "absent"},
		{nullable.FieldNull[int](), "null"},
		{nullable.FieldOf(2), "2"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

type fmtStringer interface{ String() string }

func TestMustGetPanics(t *testing.T) {
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if !strings.HasPrefix(msg, "nullable.Value.MustGet: ") || !strings.Contains(msg, "int64") {
			t.Errorf("MustGet on null panicked with %v, want a message naming the method and int64", r)
		}
	}()
	nullable.Null[int64]().MustGet()
	t.Errorf("MustGet on null did not panic")
}

func TestFieldAccessors(t *testing.T) {
	cur := nullable.Of("old")
	tests := []struct {
		give                      nullable.Field[string]
		wantAbsent, wantNull, wok bool
		wantApply                 nullable.Value[string]
	}{
		{nullable.Absent[string](), true, false, false, cur},
		{nullable.Field[string]{}, true, false, false, cur},
		{nullable.FieldNull[string](), false, true, false, nullable.Null[string]()},
		{nullable.FieldOf("new"), false, false, true, nullable.Of("new")},
		{nullable.FieldFrom(nullable.Null[string]()), false, true, false, nullable.Null[string]()},
		{nullable.FieldFrom(nullable.Of("new")), false, false, true, nullable.Of("new")},
	}
	for _, tt := range tests {
		f := tt.give
		if f.IsAbsent() != tt.wantAbsent || f.IsPresent() == tt.wantAbsent || f.IsNull() != tt.wantNull || f.IsZero() != tt.wantAbsent {
			t.Errorf("%v: absent %v null %v zero %v", f, f.IsAbsent(), f.IsNull(), f.IsZero())
		}
		if _, ok := f.Get(); ok != tt.wok {
			t.Errorf("%v.Get() ok = %v", f, ok)
		}
		if got := f.Apply(cur); got != tt.wantApply {
			t.Errorf("%v.Apply(%v) = %v, want %v", f, cur, got, tt.wantApply)
		}
		if got := f.Or("def"); (got == "def") == tt.wok {
			t.Errorf("%v.Or(def) = %q", f, got)
		}
		if f.AsValue().IsNull() == tt.wok {
			t.Errorf("%v.AsValue() = %v", f, f.AsValue())
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		give     string
		wantType string
		wantIs   error
	}{
		{`"12"`, "int64", nil},
		{`{}`, "int64", nil},
		{`[1]`, "int64", nil},
		{`1.5`, "int64", strconv.ErrSyntax},
		{`9223372036854775808`, "int64", strconv.ErrRange},
		{`true`, "int64", nil},
	}
	for _, tt := range tests {
		v := nullable.Of[int64](99)
		errs := map[string]error{
			"encoding/json": stdjson.Unmarshal([]byte(tt.give), &v),
			"json/v2":       json.Unmarshal([]byte(tt.give), &v),
			"method":        v.UnmarshalJSON([]byte(tt.give)),
		}
		for name, err := range errs {
			var de *nullable.DecodeError
			if !errors.As(err, &de) || de.Type != tt.wantType || de.Format != "JSON" {
				t.Errorf("%s(%s) into Value[int64]: err = %v, want a *DecodeError for %s", name, tt.give, err, tt.wantType)
				continue
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("%s(%s): err = %v, want errors.Is %v", name, tt.give, err, tt.wantIs)
			}
		}
		if v != nullable.Of[int64](99) {
			t.Errorf("failed decode of %s changed the value to %v", tt.give, v)
		}
	}
	// The slow path (a struct T) wraps json/v2's own error.
	var p nullable.Value[point]
	err := stdjson.Unmarshal([]byte(`{"x":"no"}`), &p)
	var de *nullable.DecodeError
	if !errors.As(err, &de) || de.Type != "nullable_test.point" {
		t.Errorf("decode of a bad struct: %v, want a *DecodeError naming nullable_test.point", err)
	}
	// XML and text.
	var x struct {
		V nullable.Value[int] `xml:"v"`
		A nullable.Value[int] `xml:"a,attr"`
	}
	for _, give := range []string{`<r><v>abc</v></r>`, `<r a="abc"></r>`} {
		if err := xml.Unmarshal([]byte(give), &x); !errors.As(err, &de) || de.Format != "XML" || de.Type != "int" {
			t.Errorf("xml.Unmarshal(%s) = %v, want a *DecodeError", give, err)
		}
	}
	var tv nullable.Value[float64]
	if err := tv.UnmarshalText([]byte("x")); !errors.As(err, &de) || de.Format != "text" || !errors.Is(err, strconv.ErrSyntax) {
		t.Errorf("UnmarshalText(x) = %v", err)
	}
	if _, err := nullable.Of(point{}).MarshalText(); !errors.Is(err, nullable.ErrNoTextForm) {
		t.Errorf("MarshalText of a struct without text form: %v, want ErrNoTextForm", err)
	}
}

func TestMarshalErrors(t *testing.T) {
	for _, v := range []nullable.Value[float64]{nullable.Of(math.NaN()), nullable.Of(math.Inf(1))} {
		if _, err := v.MarshalJSON(); err == nil {
			t.Errorf("%v.MarshalJSON() succeeded", v)
		}
		if _, err := json.Marshal(v); err == nil {
			t.Errorf("json/v2 Marshal(%v) succeeded", v)
		}
	}
	bad := nullable.Of(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := bad.MarshalJSON(); err == nil {
		t.Errorf("MarshalJSON of year 10000 succeeded")
	}
	if _, err := json.Marshal(bad); err == nil {
		t.Errorf("json/v2 Marshal of year 10000 succeeded")
	}
	var ve *nullable.ValuerError
	if _, err := nullable.Of(uint64(math.MaxUint64)).Value(); !errors.As(err, &ve) {
		t.Errorf("Value of MaxUint64: %v, want *ValuerError", err)
	}
	if _, err := nullable.Of(point{}).Value(); !errors.As(err, &ve) || !strings.Contains(err.Error(), "point") {
		t.Errorf("Value of a struct: %v, want *ValuerError naming point", err)
	}
}

// celsius has its own Scanner and Valuer (pointer and value receivers).
type celsius float64

func (c *celsius) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return errors.New("want a string")
	}
	s, found := strings.CutSuffix(s, "C")
	if !found {
		return errors.New("want a C suffix")
	}
	f, err := strconv.ParseFloat(s, 64)
	*c = celsius(f)
	return err
}

func (c celsius) Value() (driver.Value, error) {
	return strconv.FormatFloat(float64(c), 'f', -1, 64) + "C", nil
}

func TestSQLDelegates(t *testing.T) {
	v := nullable.Of(celsius(21.5))
	dv, err := v.Value()
	if err != nil || dv != "21.5C" {
		t.Fatalf("Value() = %v, %v; want 21.5C from celsius.Value", dv, err)
	}
	var back nullable.Value[celsius]
	if err := back.Scan(dv); err != nil || back != v {
		t.Fatalf("Scan(%v) = %v, %v", dv, back, err)
	}
	var se *nullable.ScanError
	if err := back.Scan(int64(3)); !errors.As(err, &se) || se.Type != "nullable_test.celsius" || se.Src != "int64" || back != v {
		t.Errorf("Scan(int64) = %v (value %v), want *ScanError and no change", err, back)
	}
	if err := back.Scan(nil); err != nil || !back.IsNull() {
		t.Errorf("Scan(nil) = %v, %v", back, err)
	}
	if dv, err := nullable.Null[celsius]().Value(); dv != nil || err != nil {
		t.Errorf("Null.Value() = %v, %v", dv, err)
	}
	for _, f := range []nullable.Field[int]{nullable.Absent[int](), nullable.FieldNull[int]()} {
		if dv, err := f.Value(); dv != nil || err != nil {
			t.Errorf("%v.Value() = %v, %v; want nil", f, dv, err)
		}
	}
	if dv, err := nullable.FieldOf(int8(4)).Value(); dv != int64(4) || err != nil {
		t.Errorf("FieldOf(int8(4)).Value() = %#v, %v", dv, err)
	}
}

func TestXMLForm(t *testing.T) {
	type rec struct {
		XMLName xml.Name               `xml:"r"`
		V       nullable.Value[int]    `xml:"v"`
		A       nullable.Value[int]    `xml:"a,attr"`
		F       nullable.Field[string] `xml:"f"`
	}
	tests := []struct {
		give rec
		want string
	}{
		{rec{}, `<r><v xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></v></r>`},
		{rec{V: nullable.Of(1), A: nullable.Of(2), F: nullable.FieldOf("")}, `<r a="2"><v>1</v><f></f></r>`},
		{rec{V: nullable.Of(0), F: nullable.FieldNull[string]()}, `<r><v>0</v><f xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></f></r>`},
	}
	for _, tt := range tests {
		b, err := xml.Marshal(tt.give)
		if err != nil || string(b) != tt.want {
			t.Errorf("xml.Marshal(%+v) = %s, %v; want %s", tt.give, b, err, tt.want)
		}
	}
	// Other producers' nil markers.
	var r rec
	r.V = nullable.Of(9)
	if err := xml.Unmarshal([]byte(`<r><v xsi:nil="true">5</v></r>`), &r); err != nil || !r.V.IsNull() {
		t.Errorf("undeclared xsi prefix: %v, %v", r.V, err)
	}
}
