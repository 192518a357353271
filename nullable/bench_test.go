package nullable_test

import (
	"bytes"
	"cmp"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json/jsontext"
)

// Sinks keep the compiler from discarding the benchmarked work.
var (
	sinkInt   int
	sinkBool  bool
	sinkValue nullable.Value[int]
	sinkStr   string
	sinkErr   error
)

// zeroAllocOps are the accessor and helper paths that must not allocate.
// TestZeroAllocs fails when one does; BenchmarkZeroAllocs reports them.
var zeroAllocOps = []struct {
	name string
	op   func()
}{
	{"Of", func() { sinkValue = nullable.Of(sinkInt) }},
	{"Get", func() { x, ok := sinkValue.Get(); sinkInt, sinkBool = x, ok }},
	{"Or", func() { sinkInt = sinkValue.Or(3) }},
	{"OrElse", func() { sinkInt = sinkValue.OrElse(func() int { return 4 }) }},
	{"IsNull", func() { sinkBool = sinkValue.IsNull() }},
	{"MustGet", func() { sinkInt = nullable.Of(1).MustGet() }},
	{"FromPtr", func() { sinkValue = nullable.FromPtr(&sinkInt) }},
	{"Map", func() { sinkValue = nullable.Map(sinkValue, func(x int) int { return x + 1 }) }},
	{"Bind", func() { sinkValue = nullable.Bind(sinkValue, nullable.Of[int]) }},
	{"Filter", func() { sinkValue = nullable.Filter(sinkValue, func(x int) bool { return x > 0 }) }},
	{"Match", func() { sinkInt = nullable.Match(sinkValue, func(x int) int { return x }, func() int { return 0 }) }},
	{"Coalesce", func() { sinkValue = nullable.Coalesce(nullable.Null[int](), sinkValue, nullable.Of(2)) }},
	{"Equal", func() { sinkBool = nullable.Equal(sinkValue, nullable.Of(2)) }},
	{"Compare", func() { sinkInt = nullable.Compare(sinkValue, nullable.Of(2)) }},
	{"CompareFunc", func() { sinkInt = nullable.CompareFunc(sinkValue, nullable.Of(2), cmp.Compare[int]) }},
	{"And", func() { sinkBool = nullable.And(nullable.Of(sinkBool), nullable.Null[bool]()).IsNull() }},
	{"Or3VL", func() { sinkBool = nullable.Or(nullable.Of(sinkBool), nullable.Null[bool]()).IsNull() }},
	{"Not", func() { sinkBool = nullable.Not(nullable.Of(sinkBool)).IsNull() }},
	{"FieldApply", func() { sinkValue = nullable.FieldOf(sinkInt).Apply(sinkValue) }},
	{"FieldGet", func() { x, ok := nullable.FieldNull[int]().Get(); sinkInt, sinkBool = x, ok }},
	{"StringOfString", func() { sinkStr = nullable.Of(sinkStr).String() }},
	{"ScanInt64", func() { sinkErr = new(nullable.Value[int64]).Scan(boxedInt) }},
	{"ScanString", func() { sinkErr = new(nullable.Value[string]).Scan(boxedString) }},
	{"ScanNull", func() { sinkErr = new(nullable.Value[time.Time]).Scan(nil) }},
	{"ValueNull", func() { _, sinkErr = nullable.Null[string]().Value() }},
	{"JSONv2EncodeInt64", func() { sinkErr = nullable.Of[int64](123456789).MarshalJSONTo(discardEnc) }},
	{"JSONv2EncodeString", func() { sinkErr = nullable.Of("hello world").MarshalJSONTo(discardEnc) }},
	{"JSONv2EncodeFloat64", func() { sinkErr = nullable.Of(3.25).MarshalJSONTo(discardEnc) }},
	{"JSONv2EncodeBool", func() { sinkErr = nullable.Of(true).MarshalJSONTo(discardEnc) }},
	{"JSONv2EncodeTime", func() { sinkErr = nullable.Of(benchTime).MarshalJSONTo(discardEnc) }},
	{"JSONv2EncodeNull", func() { sinkErr = nullable.Null[int64]().MarshalJSONTo(discardEnc) }},
	{"JSONv2DecodeInt64", func() { var v nullable.Value[int64]; sinkErr = v.UnmarshalJSONFrom(intDec.next()) }},
	{"JSONv2DecodeFloat64", func() { var v nullable.Value[float64]; sinkErr = v.UnmarshalJSONFrom(floatDec.next()) }},
	{"JSONv2DecodeTime", func() { var v nullable.Value[time.Time]; sinkErr = v.UnmarshalJSONFrom(timeDec.next()) }},
	{"JSONv2DecodeNull", func() { var v nullable.Field[string]; sinkErr = v.UnmarshalJSONFrom(nullDec.next()) }},
	{"JSONv1DecodeInt64", func() { var v nullable.Value[int64]; sinkErr = v.UnmarshalJSON(int64JSON) }},
	{"JSONv1DecodeBool", func() { var v nullable.Value[bool]; sinkErr = v.UnmarshalJSON(boolJSON) }},
	{"JSONv1DecodeTime", func() { var v nullable.Value[time.Time]; sinkErr = v.UnmarshalJSON(timeJSON) }},
}

var (
	boxedInt    any = int64(1 << 40)
	boxedString any = "a string from the driver"
	benchTime       = time.Date(2026, 11, 21, 22, 0, 0, 123456789, time.UTC)
	discardEnc      = jsontext.NewEncoder(io.Discard)
	int64JSON       = []byte("1234567890")
	boolJSON        = []byte("true")
	timeJSON        = []byte(`"2026-11-21T22:00:00.123456789Z"`)
	intDec          = newStream("1234567890")
	floatDec        = newStream("-12.5e3")
	timeDec         = newStream(`"2026-11-21T22:00:00.123456789Z"`)
	nullDec         = newStream("null")
)

// stream hands out a decoder positioned before one more copy of a value,
// refilling (outside the measured steady state) when it runs dry.
type stream struct {
	value string
	left  int
	dec   *jsontext.Decoder
}

const streamLen = 4096

func newStream(value string) *stream { return &stream{value: value} }

func (s *stream) next() *jsontext.Decoder {
	if s.left == 0 {
		s.dec = jsontext.NewDecoder(bytes.NewReader([]byte(strings.Repeat(s.value+" ", streamLen))))
		s.left = streamLen
	}
	s.left--
	return s.dec
}

func TestZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are only meaningful without -cover and -race")
	}
	for _, tt := range zeroAllocOps {
		tt.op() // warm up (first decoder fill)
		if got := testing.AllocsPerRun(streamLen/4, tt.op); got != 0 {
			t.Errorf("%s: %v allocs per run, want 0", tt.name, got)
		}
		if sinkErr != nil {
			t.Errorf("%s: %v", tt.name, sinkErr)
		}
	}
}

func BenchmarkZeroAllocs(b *testing.B) {
	for _, tt := range zeroAllocOps {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tt.op()
			}
		})
	}
}
