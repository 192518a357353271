package nullable_test

import (
	"bytes"
	"cmp"
	"database/sql"
	stdjson "encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
	"pgregory.net/rapid"
)

// point is a struct T: JSON and XML encode it field by field; it has no text
// form.
type point struct {
	X    int64  `json:"x" xml:"x"`
	Name string `json:"name" xml:"name"`
}

// version is a struct T with its own text form ("major.minor").
type version struct{ Major, Minor int }

func (v version) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "%d.%d", v.Major, v.Minor), nil
}

func (v *version) UnmarshalText(b []byte) error {
	_, err := fmt.Sscanf(string(b), "%d.%d", &v.Major, &v.Minor)
	return err
}

// kind describes one T under test: how to draw values, compare them, and
// which encodings it has.
type kind[T any] struct {
	gen   *rapid.Generator[T]
	eq    func(a, b T) bool
	text  bool // has a text form (text and XML attribute round trips)
	sql   bool // has a driver form (Value then Scan round trips)
	empty func(T) bool
}

func eqEq[T comparable](a, b T) bool { return a == b }

func eqTime(a, b time.Time) bool {
	_, oa := a.Zone()
	_, ob := b.Zone()
	return a.Equal(b) && oa == ob
}

// xmlString draws strings XML can carry (XML 1.0 characters only).
func xmlString() *rapid.Generator[string] {
	return rapid.StringOf(rapid.Rune().Filter(func(r rune) bool {
		return r == '\t' || r == '\n' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000
	}))
}

func timeGen() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		sec := rapid.Int64Range(-62167219200+86400, 253402300799-86400).Draw(t, "sec")
		nsec := rapid.Int64Range(0, 999999999).Draw(t, "nsec")
		tm := time.Unix(sec, nsec).UTC()
		if rapid.Bool().Draw(t, "zoned") {
			off := rapid.IntRange(-(23*60+59), 23*60+59).Draw(t, "offmin")
			tm = tm.In(time.FixedZone("", off*60))
		}
		return tm
	})
}

var (
	int64Kind   = kind[int64]{gen: rapid.Int64(), eq: eqEq[int64], text: true, sql: true}
	float64Kind = kind[float64]{gen: rapid.Float64(), eq: eqEq[float64], text: true, sql: true}
	stringKind  = kind[string]{gen: xmlString(), eq: eqEq[string], text: true, sql: true,
		empty: func(s string) bool { return s == "" }}
	boolKind  = kind[bool]{gen: rapid.Bool(), eq: eqEq[bool], text: true, sql: true}
	timeKind  = kind[time.Time]{gen: timeGen(), eq: eqTime, text: true, sql: true}
	pointKind = kind[point]{gen: rapid.Custom(func(t *rapid.T) point {
		return point{X: rapid.Int64().Draw(t, "x"), Name: xmlString().Draw(t, "name")}
	}), eq: eqEq[point]}
	versionKind = kind[version]{gen: rapid.Custom(func(t *rapid.T) version {
		return version{rapid.IntRange(0, 1000).Draw(t, "maj"), rapid.IntRange(0, 1000).Draw(t, "min")}
	}), eq: eqEq[version], text: true}
)

func valueGen[T any](g *rapid.Generator[T]) *rapid.Generator[nullable.Value[T]] {
	return rapid.Custom(func(t *rapid.T) nullable.Value[T] {
		if rapid.IntRange(0, 3).Draw(t, "null") == 0 {
			return nullable.Null[T]()
		}
		return nullable.Of(g.Draw(t, "v"))
	})
}

func fieldGen[T any](g *rapid.Generator[T]) *rapid.Generator[nullable.Field[T]] {
	return rapid.Custom(func(t *rapid.T) nullable.Field[T] {
		switch rapid.IntRange(0, 2).Draw(t, "state") {
		case 0:
			return nullable.Absent[T]()
		case 1:
			return nullable.FieldNull[T]()
		}
		return nullable.FieldOf(g.Draw(t, "v"))
	})
}

func sameValue[T any](a, b nullable.Value[T], eq func(T, T) bool) bool {
	x, okx := a.Get()
	y, oky := b.Get()
	return okx == oky && (!okx || eq(x, y))
}

func sameField[T any](a, b nullable.Field[T], eq func(T, T) bool) bool {
	return a.IsAbsent() == b.IsAbsent() && a.IsNull() == b.IsNull() && sameValue(a.AsValue(), b.AsValue(), eq)
}

type jsonRec[T any] struct {
	V nullable.Value[T] `json:"v"`
	Z nullable.Value[T] `json:"z,omitzero"`
	F nullable.Field[T] `json:"f,omitzero"`
}

type xmlRec[T any] struct {
	XMLName xml.Name            `xml:"r"`
	Vs      []nullable.Value[T] `xml:"v"`
	F       nullable.Field[T]   `xml:"f"`
}

type xmlAttrRec[T any] struct {
	XMLName xml.Name          `xml:"r"`
	V       nullable.Value[T] `xml:"v,attr"`
	F       nullable.Field[T] `xml:"f,attr"`
}

// v1NoHTML is encoding/json's output without its HTML escaping, which is the
// one documented difference from json/v2.
func v1NoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := stdjson.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func checkRoundTrips[T any](t *testing.T, k kind[T]) {
	vg, fg := valueGen(k.gen), fieldGen(k.gen)
	t.Run("JSON", rapid.MakeCheck(func(rt *rapid.T) {
		in := jsonRec[T]{V: vg.Draw(rt, "v"), Z: vg.Draw(rt, "z"), F: fg.Draw(rt, "f")}
		b1, err := stdjson.Marshal(in)
		if err != nil {
			rt.Fatalf("encoding/json.Marshal(%+v): %v", in, err)
		}
		b2, err := json.Marshal(in)
		if err != nil {
			rt.Fatalf("json/v2.Marshal(%+v): %v", in, err)
		}
		if b1nh, _ := v1NoHTML(in); !v1OnV2 && !bytes.Equal(b1nh, b2) {
			rt.Fatalf("v1 %s != v2 %s", b1nh, b2)
		}
		m1, err1 := in.V.MarshalJSON()
		m2, err2 := json.Marshal(in.V)
		if err1 != nil || err2 != nil || !bytes.Equal(m1, m2) {
			rt.Fatalf("MarshalJSON = %s, %v; MarshalJSONTo = %s, %v", m1, err1, m2, err2)
		}
		var o1, o2 jsonRec[T]
		if err := stdjson.Unmarshal(b1, &o1); err != nil {
			rt.Fatalf("encoding/json.Unmarshal(%s): %v", b1, err)
		}
		if err := json.Unmarshal(b2, &o2); err != nil {
			rt.Fatalf("json/v2.Unmarshal(%s): %v", b2, err)
		}
		for _, o := range []jsonRec[T]{o1, o2} {
			if !sameValue(o.V, in.V, k.eq) || !sameValue(o.Z, in.Z, k.eq) || !sameField(o.F, in.F, k.eq) {
				rt.Fatalf("round trip of %s = %+v, want %+v", b2, o, in)
			}
		}
		if in.Z.IsNull() && bytes.Contains(b2, []byte(`"z"`)) {
			rt.Fatalf("omitzero kept a null Value: %s", b2)
		}
		if in.F.IsAbsent() == bytes.Contains(b2, []byte(`"f"`)) {
			rt.Fatalf("omitzero and absent Field disagree: %s for %v", b2, in.F)
		}
	}))
	t.Run("XML", rapid.MakeCheck(func(rt *rapid.T) {
		in := xmlRec[T]{Vs: rapid.SliceOfN(vg, 0, 4).Draw(rt, "vs"), F: fg.Draw(rt, "f")}
		b, err := xml.Marshal(in)
		if err != nil {
			rt.Fatalf("xml.Marshal(%+v): %v", in, err)
		}
		var out xmlRec[T]
		if err := xml.Unmarshal(b, &out); err != nil {
			rt.Fatalf("xml.Unmarshal(%s): %v", b, err)
		}
		if len(out.Vs) != len(in.Vs) || !sameField(out.F, in.F, k.eq) {
			rt.Fatalf("round trip of %s = %+v, want %+v", b, out, in)
		}
		for i := range in.Vs {
			if !sameValue(out.Vs[i], in.Vs[i], k.eq) {
				rt.Fatalf("round trip of %s = %+v, want %+v", b, out, in)
			}
		}
	}))
	if !k.text {
		return
	}
	t.Run("XMLAttr", rapid.MakeCheck(func(rt *rapid.T) {
		in := xmlAttrRec[T]{V: vg.Draw(rt, "v"), F: fg.Draw(rt, "f")}
		b, err := xml.Marshal(in)
		if err != nil {
			rt.Fatalf("xml.Marshal(%+v): %v", in, err)
		}
		var out xmlAttrRec[T]
		if err := xml.Unmarshal(b, &out); err != nil {
			rt.Fatalf("xml.Unmarshal(%s): %v", b, err)
		}
		// An attribute cannot carry null: a null Field comes back absent.
		wantF := in.F
		if wantF.IsNull() {
			wantF = nullable.Absent[T]()
		}
		if !sameValue(out.V, in.V, k.eq) || !sameField(out.F, wantF, k.eq) {
			rt.Fatalf("round trip of %s = %+v, want %+v", b, out, in)
		}
	}))
	t.Run("Text", rapid.MakeCheck(func(rt *rapid.T) {
		in := vg.Draw(rt, "v")
		b, err := in.MarshalText()
		if err != nil {
			rt.Fatalf("%v.MarshalText: %v", in, err)
		}
		var out nullable.Value[T]
		if err := out.UnmarshalText(b); err != nil {
			rt.Fatalf("UnmarshalText(%q): %v", b, err)
		}
		want := in
		if len(b) == 0 {
			want = nullable.Null[T]() // the documented loss: empty text is null
		}
		if !sameValue(out, want, k.eq) {
			rt.Fatalf("text round trip of %v via %q = %v", in, b, out)
		}
		f := fg.Draw(rt, "f")
		b, err = f.MarshalText()
		if err != nil {
			rt.Fatalf("%v.MarshalText: %v", f, err)
		}
		var fo nullable.Field[T]
		if err := fo.UnmarshalText(b); err != nil {
			rt.Fatalf("UnmarshalText(%q): %v", b, err)
		}
		if v, ok := f.Get(); ok && len(b) > 0 {
			if w, ok := fo.Get(); !ok || !k.eq(v, w) {
				rt.Fatalf("text round trip of %v via %q = %v", f, b, fo)
			}
		} else if !fo.IsNull() {
			rt.Fatalf("text round trip of %v via %q = %v, want null", f, b, fo)
		}
	}))
	if !k.sql {
		return
	}
	t.Run("SQL", rapid.MakeCheck(func(rt *rapid.T) {
		in := vg.Draw(rt, "v")
		dv, err := in.Value()
		if err != nil {
			rt.Fatalf("%v.Value(): %v", in, err)
		}
		var out nullable.Value[T]
		if err := out.Scan(dv); err != nil {
			rt.Fatalf("Scan(%#v): %v", dv, err)
		}
		if !sameValue(out, in, k.eq) {
			rt.Fatalf("SQL round trip of %v = %v", in, out)
		}
		f := fg.Draw(rt, "f")
		fv, err := f.Value()
		if err != nil {
			rt.Fatalf("%v.Value(): %v", f, err)
		}
		var fo nullable.Field[T]
		if err := fo.Scan(fv); err != nil {
			rt.Fatalf("Field.Scan(%#v): %v", fv, err)
		}
		// SQL has no absent: an absent Field is stored as NULL and reads back null.
		if fo.IsAbsent() || !sameValue(fo.AsValue(), f.AsValue(), k.eq) {
			rt.Fatalf("SQL round trip of %v = %v", f, fo)
		}
		x, ok := in.Get()
		model, merr := sql.Null[T]{V: x, Valid: ok}.Value()
		if merr != nil || fmt.Sprintf("%#v", model) != fmt.Sprintf("%#v", dv) {
			rt.Fatalf("%v.Value() = %#v, sql.Null gives %#v, %v", in, dv, model, merr)
		}
	}))
}

func TestRoundTripInt64(t *testing.T)   { checkRoundTrips(t, int64Kind) }
func TestRoundTripFloat64(t *testing.T) { checkRoundTrips(t, float64Kind) }
func TestRoundTripString(t *testing.T)  { checkRoundTrips(t, stringKind) }
func TestRoundTripBool(t *testing.T)    { checkRoundTrips(t, boolKind) }
func TestRoundTripTime(t *testing.T)    { checkRoundTrips(t, timeKind) }
func TestRoundTripStruct(t *testing.T)  { checkRoundTrips(t, pointKind) }
func TestRoundTripTextStruct(t *testing.T) {
	checkRoundTrips(t, versionKind)
}

// TestJSONStringsAnyUTF8 covers strings XML cannot carry (control
// characters, escapes) under both JSON generations.
func TestJSONStringsAnyUTF8(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		in := nullable.Of(rapid.String().Draw(rt, "s"))
		b1, err1 := in.MarshalJSON()
		b2, err2 := json.Marshal(in)
		if err1 != nil || err2 != nil || !bytes.Equal(b1, b2) {
			rt.Fatalf("MarshalJSON = %s, %v; v2 = %s, %v", b1, err1, b2, err2)
		}
		var o1, o2 nullable.Value[string]
		if err := stdjson.Unmarshal(b1, &o1); err != nil || o1 != in {
			rt.Fatalf("encoding/json.Unmarshal(%s) = %v, %v", b1, o1, err)
		}
		if err := json.Unmarshal(b2, &o2); err != nil || o2 != in {
			rt.Fatalf("json/v2.Unmarshal(%s) = %v, %v", b2, o2, err)
		}
	})
}

// TestJSONMatchesPlainV2 checks that a non-null Value encodes and decodes
// exactly as json/v2 does the bare T, for the kinds with a fast path.
func TestJSONMatchesPlainV2(t *testing.T) {
	t.Run("float64", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, rapid.Float64().Draw(rt, "f")) }))
	t.Run("float32", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, rapid.Float32().Draw(rt, "f")) }))
	t.Run("int8", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, rapid.Int8().Draw(rt, "i")) }))
	t.Run("uint64", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, rapid.Uint64().Draw(rt, "u")) }))
	t.Run("time", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, timeGen().Draw(rt, "t")) }))
	t.Run("string", rapid.MakeCheck(func(rt *rapid.T) { matchPlain(rt, rapid.String().Draw(rt, "s")) }))
}

func matchPlain[T any](rt *rapid.T, x T) {
	want, werr := json.Marshal(x)
	got, gerr := json.Marshal(nullable.Of(x))
	got1, gerr1 := nullable.Of(x).MarshalJSON()
	if (werr == nil) != (gerr == nil) || !bytes.Equal(want, got) || !bytes.Equal(got, got1) || (gerr == nil) != (gerr1 == nil) {
		rt.Fatalf("Of(%v): v2 %s, %v; MarshalJSON %s, %v; plain %s, %v", x, got, gerr, got1, gerr1, want, werr)
	}
}

// TestJSONAcceptanceMatchesPlainV2 decodes arbitrary JSON values as Value[T]
// under both generations and as a bare T under json/v2: all three accept the
// same inputs (null aside) and agree on the value.
func TestJSONAcceptanceMatchesPlainV2(t *testing.T) {
	lit := rapid.SampledFrom([]string{
		`0`, `-0`, `1`, `-1`, `1.5`, `1e3`, `-1E-2`, `01`, `1.`, `.5`, `+1`, `9223372036854775807`,
		`9223372036854775808`, `-9223372036854775808`, `-9223372036854775809`, `18446744073709551615`,
		`18446744073709551616`, `255`, `256`, `-128`, `-129`, `1e400`, `-1e400`, `4e-400`, `3.4028236e38`,
		`true`, `false`, `nul`, `null `, `""`, `"x"`, `"\u00e9\n"`, `"\ud800"`, `"\x"`, `"a"b"`, `[]`, `{}`,
		`"2020-01-02T03:04:05Z"`, `"2020-01-02T03:04:05.123+01:00"`, `"2020-01-02T3:04:05Z"`,
		`"2020-01-02T03:04:05,1Z"`, `"2020-01-02T03:04:05+24:00"`, `"2020-01-02T03:04:05+01:60"`,
		`"2020-01-02 03:04:05Z"`, `"10000-01-01T00:00:00Z"`, `"\u0032020-01-02T03:04:05Z"`,
	})
	check := func(name string, decode func(b []byte) (plain, v1, v2 string, perr, err1, err2 error)) {
		t.Run(name, rapid.MakeCheck(func(rt *rapid.T) {
			b := []byte(lit.Draw(rt, "json"))
			p, x1, x2, perr, err1, err2 := decode(b)
			if v1OnV2 {
				err1, x1 = err2, x2 // encoding/json applies v1's rules: only json/v2 is comparable
			}
			if (err1 == nil) != (err2 == nil) || (perr == nil) != (err1 == nil) {
				rt.Fatalf("%s: plain err %v, v1 err %v, v2 err %v", b, perr, err1, err2)
			}
			if err1 == nil && (x1 != x2 || x1 != p) {
				rt.Fatalf("%s: plain %s, v1 %s, v2 %s", b, p, x1, x2)
			}
		}))
	}
	check("int64", decodeAll[int64])
	check("int8", decodeAll[int8])
	check("uint8", decodeAll[uint8])
	check("uint64", decodeAll[uint64])
	check("float64", decodeAll[float64])
	check("float32", decodeAll[float32])
	check("bool", decodeAll[bool])
	check("string", decodeAll[string])
	check("time", decodeAll[time.Time])
}

func decodeAll[T any](b []byte) (plain, v1, v2 string, perr, err1, err2 error) {
	if string(bytes.TrimSpace(b)) == "null" {
		b = []byte(`"not null"`) // null is our own business; the others test T
	}
	var p T
	perr = json.Unmarshal(b, &p)
	var a, c nullable.Value[T]
	err1 = stdjson.Unmarshal(b, &a)
	err2 = json.Unmarshal(b, &c)
	return fmt.Sprint(p), a.String(), c.String(), perr, err1, err2
}

func TestMapLaws(t *testing.T) {
	fs := []func(int64) int64{
		func(x int64) int64 { return x + 1 },
		func(x int64) int64 { return x * 3 },
		func(x int64) int64 { return -x },
	}
	binds := []func(int64) nullable.Value[int64]{
		func(x int64) nullable.Value[int64] { return nullable.Of(x / 2) },
		func(x int64) nullable.Value[int64] {
			if x%2 == 0 {
				return nullable.Null[int64]()
			}
			return nullable.Of(x)
		},
		func(int64) nullable.Value[int64] { return nullable.Null[int64]() },
	}
	rapid.Check(t, func(rt *rapid.T) {
		v := valueGen(rapid.Int64()).Draw(rt, "v")
		f := fs[rapid.IntRange(0, len(fs)-1).Draw(rt, "f")]
		g := fs[rapid.IntRange(0, len(fs)-1).Draw(rt, "g")]
		id := func(x int64) int64 { return x }
		if got := nullable.Map(v, id); got != v {
			rt.Fatalf("Map(%v, id) = %v", v, got)
		}
		if a, b := nullable.Map(nullable.Map(v, f), g), nullable.Map(v, func(x int64) int64 { return g(f(x)) }); a != b {
			rt.Fatalf("Map composition: %v != %v", a, b)
		}
		k := binds[rapid.IntRange(0, len(binds)-1).Draw(rt, "k")]
		h := binds[rapid.IntRange(0, len(binds)-1).Draw(rt, "h")]
		x := rapid.Int64().Draw(rt, "x")
		if a, b := nullable.Bind(nullable.Of(x), k), k(x); a != b {
			rt.Fatalf("Bind left identity: %v != %v", a, b)
		}
		if a := nullable.Bind(v, nullable.Of[int64]); a != v {
			rt.Fatalf("Bind right identity: %v != %v", a, v)
		}
		if a, b := nullable.Bind(nullable.Bind(v, k), h), nullable.Bind(v, func(x int64) nullable.Value[int64] { return nullable.Bind(k(x), h) }); a != b {
			rt.Fatalf("Bind associativity: %v != %v", a, b)
		}
		// Map is Bind followed by Of; Filter and Match agree with Get.
		if a, b := nullable.Map(v, f), nullable.Bind(v, func(x int64) nullable.Value[int64] { return nullable.Of(f(x)) }); a != b {
			rt.Fatalf("Map vs Bind: %v != %v", a, b)
		}
		even := func(x int64) bool { return x%2 == 0 }
		x0, ok := v.Get()
		if got, want := nullable.Filter(v, even), ok && even(x0); got.IsNull() == want {
			rt.Fatalf("Filter(%v, even) = %v", v, got)
		}
		if got := nullable.Match(v, func(x int64) string { return fmt.Sprint("some ", x) }, func() string { return "none" }); (got == "none") == ok {
			rt.Fatalf("Match(%v) = %q", v, got)
		}
	})
}

func TestCompareTotalOrder(t *testing.T) {
	t.Run("float64", rapid.MakeCheck(func(rt *rapid.T) {
		g := valueGen(rapid.OneOf(rapid.Float64(), rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)})))
		checkOrder(rt, g.Draw(rt, "a"), g.Draw(rt, "b"), g.Draw(rt, "c"))
	}))
	t.Run("int64", rapid.MakeCheck(func(rt *rapid.T) {
		g := valueGen(rapid.Int64Range(-3, 3))
		checkOrder(rt, g.Draw(rt, "a"), g.Draw(rt, "b"), g.Draw(rt, "c"))
	}))
	t.Run("string", rapid.MakeCheck(func(rt *rapid.T) {
		g := valueGen(rapid.StringN(0, 2, 8))
		checkOrder(rt, g.Draw(rt, "a"), g.Draw(rt, "b"), g.Draw(rt, "c"))
	}))
}

func checkOrder[T cmp.Ordered](rt *rapid.T, a, b, c nullable.Value[T]) {
	sign := func(x int) int { return cmp.Compare(x, 0) }
	ab, ba := nullable.Compare(a, b), nullable.Compare(b, a)
	if sign(ab) != -sign(ba) || ab < -1 || ab > 1 {
		rt.Fatalf("Compare(%v,%v) = %d but Compare(%v,%v) = %d", a, b, ab, b, a, ba)
	}
	if nullable.Compare(a, a) != 0 {
		rt.Fatalf("Compare(%v, itself) != 0", a)
	}
	if ab <= 0 && nullable.Compare(b, c) <= 0 && nullable.Compare(a, c) > 0 {
		rt.Fatalf("not transitive: %v <= %v <= %v but %v > %v", a, b, c, a, c)
	}
	// The model: null first, then cmp.Compare.
	x, okx := a.Get()
	y, oky := b.Get()
	want := cmp.Compare(boolInt(okx), boolInt(oky))
	if okx && oky {
		want = cmp.Compare(x, y)
	}
	if ab != want {
		rt.Fatalf("Compare(%v,%v) = %d, model %d", a, b, ab, want)
	}
	if got := nullable.CompareFunc(a, b, cmp.Compare[T]); got != ab {
		rt.Fatalf("CompareFunc(%v,%v,cmp.Compare) = %d, Compare = %d", a, b, got, ab)
	}
	if !isNaN(x) && !isNaN(y) && (ab == 0) != nullable.Equal(a, b) {
		rt.Fatalf("Compare(%v,%v) = %d but Equal = %v", a, b, ab, nullable.Equal(a, b))
	}
}

func isNaN[T cmp.Ordered](x T) bool { return x != x }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCoalesce(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		vs := rapid.SliceOfN(valueGen(rapid.IntRange(0, 9)), 0, 6).Draw(rt, "vs")
		want := nullable.Null[int]()
		for _, v := range vs {
			if !v.IsNull() {
				want = v
				break
			}
		}
		if got := nullable.Coalesce(vs...); got != want {
			rt.Fatalf("Coalesce(%v) = %v, want %v", vs, got, want)
		}
	})
}

func TestThreeValuedLogic(t *testing.T) {
	T, F, N := nullable.Of(true), nullable.Of(false), nullable.Null[bool]()
	vals := []nullable.Value[bool]{T, F, N}
	// The SQL truth tables, rows and columns in the order true, false, null.
	and := [3][3]nullable.Value[bool]{{T, F, N}, {F, F, F}, {N, F, N}}
	or := [3][3]nullable.Value[bool]{{T, T, T}, {T, F, N}, {T, N, N}}
	not := [3]nullable.Value[bool]{F, T, N}
	for i, a := range vals {
		if got := nullable.Not(a); got != not[i] {
			t.Errorf("Not(%v) = %v, want %v", a, got, not[i])
		}
		for j, b := range vals {
			if got := nullable.And(a, b); got != and[i][j] {
				t.Errorf("And(%v, %v) = %v, want %v", a, b, got, and[i][j])
			}
			if got := nullable.Or(a, b); got != or[i][j] {
				t.Errorf("Or(%v, %v) = %v, want %v", a, b, got, or[i][j])
			}
			// De Morgan holds in Kleene logic.
			if x, y := nullable.Not(nullable.And(a, b)), nullable.Or(nullable.Not(a), nullable.Not(b)); x != y {
				t.Errorf("NOT(%v AND %v) = %v, NOT %v OR NOT %v = %v", a, b, x, a, b, y)
			}
		}
	}
}

// TestFieldAbsentVsNull decodes {}, {"f":null} and {"f":1} (and their XML
// and SQL counterparts) with every decoder.
func TestFieldAbsentVsNull(t *testing.T) {
	type rec struct {
		F nullable.Field[int] `json:"f,omitzero" xml:"f"`
	}
	tests := []struct {
		giveJSON, giveXML string
		wantAbsent        bool
		wantNull          bool
	}{
		{`{}`, `<rec></rec>`, true, false},
		{`{"f":null}`, `<rec><f xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></rec>`, false, true},
		{`{"f":1}`, `<rec><f>1</f></rec>`, false, false},
	}
	for _, tt := range tests {
		decoders := map[string]func(*rec) error{
			"encoding/json": func(r *rec) error { return stdjson.Unmarshal([]byte(tt.giveJSON), r) },
			"json/v2":       func(r *rec) error { return json.Unmarshal([]byte(tt.giveJSON), r) },
			"xml":           func(r *rec) error { return xml.Unmarshal([]byte(tt.giveXML), r) },
		}
		for name, dec := range decoders {
			var r rec
			if err := dec(&r); err != nil {
				t.Fatalf("%s(%s): %v", name, tt.giveJSON, err)
			}
			if r.F.IsAbsent() != tt.wantAbsent || r.F.IsNull() != tt.wantNull {
				t.Errorf("%s(%s): F = %v, want absent %v null %v", name, tt.giveJSON, r.F, tt.wantAbsent, tt.wantNull)
			}
			if !tt.wantAbsent && !tt.wantNull {
				if v, ok := r.F.Get(); !ok || v != 1 {
					t.Errorf("%s(%s): F = %v, want 1", name, tt.giveJSON, r.F)
				}
			}
		}
	}
	var f nullable.Field[int]
	if err := f.Scan(nil); err != nil || !f.IsNull() {
		t.Errorf("Field.Scan(nil) = %v, %v; want null", f, err)
	}
	if err := f.UnmarshalText(nil); err != nil || !f.IsNull() {
		t.Errorf("Field.UnmarshalText(\"\") = %v, %v; want null", f, err)
	}
}

func TestSQLScanMatchesDatabaseSQL(t *testing.T) {
	src := rapid.OneOf(
		rapid.Int64().AsAny(), rapid.Int64Range(-300, 300).AsAny(), rapid.Float64().AsAny(), rapid.Bool().AsAny(),
		rapid.String().AsAny(), rapid.SliceOf(rapid.Byte()).AsAny(), timeGen().AsAny(),
		rapid.SampledFrom([]string{"1", "-1", "0", "true", "false", "1.5", "300", "2020-01-02T03:04:05Z"}).AsAny(),
	)
	t.Run("int64", rapid.MakeCheck(func(rt *rapid.T) { scanModel[int64](rt, src.Draw(rt, "src")) }))
	t.Run("int32", rapid.MakeCheck(func(rt *rapid.T) { scanModel[int32](rt, src.Draw(rt, "src")) }))
	t.Run("int8", rapid.MakeCheck(func(rt *rapid.T) { scanModel[int8](rt, src.Draw(rt, "src")) }))
	t.Run("uint16", rapid.MakeCheck(func(rt *rapid.T) { scanModel[uint16](rt, src.Draw(rt, "src")) }))
	t.Run("float64", rapid.MakeCheck(func(rt *rapid.T) { scanModel[float64](rt, src.Draw(rt, "src")) }))
	t.Run("bool", rapid.MakeCheck(func(rt *rapid.T) { scanModel[bool](rt, src.Draw(rt, "src")) }))
	t.Run("string", rapid.MakeCheck(func(rt *rapid.T) { scanModel[string](rt, src.Draw(rt, "src")) }))
	t.Run("bytes", rapid.MakeCheck(func(rt *rapid.T) { scanModel[[]byte](rt, src.Draw(rt, "src")) }))
	t.Run("time", rapid.MakeCheck(func(rt *rapid.T) { scanModel[time.Time](rt, src.Draw(rt, "src")) }))
	t.Run("any", rapid.MakeCheck(func(rt *rapid.T) { scanModel[any](rt, src.Draw(rt, "src")) }))
}

// scanModel scans src into Value[T] and into database/sql.Null[T], the
// model: both accept the same sources and store the same value.
func scanModel[T any](rt *rapid.T, src any) {
	var model sql.Null[T]
	merr := model.Scan(src)
	var got nullable.Value[T]
	err := got.Scan(src)
	if (err == nil) != (merr == nil) {
		rt.Fatalf("Scan(%#v): err %v, database/sql err %v", src, err, merr)
	}
	if err != nil {
		var se *nullable.ScanError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), se.Type) {
			rt.Fatalf("Scan(%#v) error %v is not a *ScanError naming the type", src, err)
		}
		if !got.IsNull() {
			rt.Fatalf("failed Scan changed the value to %v", got)
		}
		return
	}
	v, ok := got.Get()
	if !ok || fmt.Sprintf("%#v", v) != fmt.Sprintf("%#v", model.V) {
		rt.Fatalf("Scan(%#v) = %#v, database/sql stores %#v", src, v, model.V)
	}
}

func TestStringUTF8(t *testing.T) {
	if v1OnV2 {
		t.Skip("encoding/json on json/v2 accepts invalid UTF-8 by its own options")
	}
	// Invalid UTF-8 is rejected by both generations alike.
	for _, b := range [][]byte{[]byte("\"\xff\""), []byte("\"a\xc3\"")} {
		var a, c nullable.Value[string]
		err1 := stdjson.Unmarshal(b, &a)
		err2 := json.Unmarshal(b, &c)
		if err1 == nil || err2 == nil {
			t.Errorf("Unmarshal(%q): v1 err %v, v2 err %v; want both errors", b, err1, err2)
		}
		if !utf8.Valid(b) && a.String() != "null" {
			t.Errorf("failed decode changed the value to %v", a)
		}
	}
}
