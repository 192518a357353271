// Package nullablebench compares nullable.Value with the other ways Go code
// holds nullable JSON fields: database/sql.Null[T] with hand-written JSON
// methods, github.com/guregu/null/v6, github.com/samber/mo's Option, and
// plain *T pointers, under encoding/json (v1) and json/v2.
package nullablebench

import (
	"bytes"
	"database/sql"
	stdjson "encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/nullable"
	"github.com/go-json-experiment/json"
	"github.com/guregu/null/v6"
	"github.com/samber/mo"
)

// Suite is the nullable section of bench/RESULTS.md.
var Suite = report.Suite{
	Name:  "nullable",
	Title: "nullable: JSON of a struct of nullable fields against peers",
	Notes: `
Each body marshals or unmarshals one record of six nullable fields
(int64, string, float64, bool, time.Time, string; the last one null):
` + "`" + `{"id":1234567,"name":"Ada Lovelace","score":98.5,"active":true,"created":"2026-11-21T22:00:00.123456789Z","note":null}` + "`" + `.
"v1" is encoding/json, "v2" is github.com/go-json-experiment/json (pinned in
bench/go.mod). Peers: **sql.Null** is database/sql.Null[T] wrapped in a
one-field struct whose hand-written MarshalJSON returns "null" or
encoding/json.Marshal(V) and whose UnmarshalJSON maps null to Valid=false and
otherwise calls encoding/json.Unmarshal into V (database/sql.Null has no JSON
methods of its own); **guregu** is guregu/null/v6 (null.Int, null.String,
null.Float, null.Bool, null.Time); **mo** is samber/mo Option[T]; ***T** is
plain pointer fields (nil for null). The goal from the issue is "at least as
fast as every peer" (ratio ≤ 1.00) and, under v2, no more allocations than
*T. Bodies: bench/nullablebench; each also runs once in ` + "`make test`" + `.`,
	Run: func(r *report.Recorder) {
		for _, c := range Comparisons() {
			r.Compare(c.Name, c.Goal, c.Ours, c.Peer)
		}
	},
}

// Comparison is one row of the suite.
type Comparison struct {
	Name       string
	Goal       report.Goal
	Ours, Peer func(b *testing.B)
}

// Comparisons lists the rows: for each JSON generation and direction, ours
// against each peer.
func Comparisons() []Comparison {
	var cs []Comparison
	for _, gen := range []string{"v1", "v2"} {
		for _, op := range []string{"marshal", "unmarshal"} {
			for _, p := range Peers {
				goal := report.Goal{Text: "≤ 1.00× peer time", MaxSlowdown: 1, MaxAllocs: -1}
				if gen == "v2" && p.Name == "*T" {
					goal = report.Goal{Text: "≤ 1.00× peer time, allocs ≤ *T", MaxSlowdown: 1, MaxAllocs: -1, AllocsAtMostPeer: true}
				}
				cs = append(cs, Comparison{
					Name: fmt.Sprintf("JSON %s %s: nullable vs %s", gen, op, p.Name),
					Goal: goal,
					Ours: Ours.body(gen, op),
					Peer: p.body(gen, op),
				})
			}
		}
	}
	return cs
}

// Doc is the record every body encodes or decodes.
var Doc = []byte(`{"id":1234567,"name":"Ada Lovelace","score":98.5,"active":true,"created":"2026-11-21T22:00:00.123456789Z","note":null}`)

var created = time.Date(2026, 11, 21, 22, 0, 0, 123456789, time.UTC)

// Codec is one representation of the record: a value to marshal and a way
// to unmarshal into a fresh one.
type Codec struct {
	Name      string
	Value     any                                     // a pointer to a filled record
	Unmarshal func(gen string, b []byte) (any, error) // decodes into a fresh record
}

func (c Codec) body(gen, op string) func(b *testing.B) {
	marshal := stdjson.Marshal
	if gen == "v2" {
		marshal = func(v any) ([]byte, error) { return json.Marshal(v) }
	}
	if op == "marshal" {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := marshal(c.Value); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Unmarshal(gen, Doc); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func unmarshalInto[R any](gen string, b []byte) (any, error) {
	r := new(R)
	if gen == "v2" {
		return r, json.Unmarshal(b, r)
	}
	return r, stdjson.Unmarshal(b, r)
}

// RecordOurs uses nullable.Value.
type RecordOurs struct {
	ID      nullable.Value[int64]     `json:"id"`
	Name    nullable.Value[string]    `json:"name"`
	Score   nullable.Value[float64]   `json:"score"`
	Active  nullable.Value[bool]      `json:"active"`
	Created nullable.Value[time.Time] `json:"created"`
	Note    nullable.Value[string]    `json:"note"`
}

// SQLNull is database/sql.Null[T] with the JSON methods users write by hand.
type SQLNull[T any] struct{ sql.Null[T] }

// MarshalJSON writes null or V's encoding/json form.
func (n SQLNull[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return stdjson.Marshal(n.V)
}

// UnmarshalJSON maps null to Valid=false and decodes anything else into V.
func (n *SQLNull[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = SQLNull[T]{}
		return nil
	}
	var v T
	if err := stdjson.Unmarshal(b, &v); err != nil {
		return err
	}
	n.V, n.Valid = v, true
	return nil
}

// RecordSQL uses hand-wired database/sql.Null.
type RecordSQL struct {
	ID      SQLNull[int64]     `json:"id"`
	Name    SQLNull[string]    `json:"name"`
	Score   SQLNull[float64]   `json:"score"`
	Active  SQLNull[bool]      `json:"active"`
	Created SQLNull[time.Time] `json:"created"`
	Note    SQLNull[string]    `json:"note"`
}

// RecordGuregu uses guregu/null/v6.
type RecordGuregu struct {
	ID      null.Int    `json:"id"`
	Name    null.String `json:"name"`
	Score   null.Float  `json:"score"`
	Active  null.Bool   `json:"active"`
	Created null.Time   `json:"created"`
	Note    null.String `json:"note"`
}

// RecordMo uses samber/mo Option.
type RecordMo struct {
	ID      mo.Option[int64]     `json:"id"`
	Name    mo.Option[string]    `json:"name"`
	Score   mo.Option[float64]   `json:"score"`
	Active  mo.Option[bool]      `json:"active"`
	Created mo.Option[time.Time] `json:"created"`
	Note    mo.Option[string]    `json:"note"`
}

// RecordPtr uses plain pointers.
type RecordPtr struct {
	ID      *int64     `json:"id"`
	Name    *string    `json:"name"`
	Score   *float64   `json:"score"`
	Active  *bool      `json:"active"`
	Created *time.Time `json:"created"`
	Note    *string    `json:"note"`
}

func sqlOf[T any](v T) SQLNull[T] { return SQLNull[T]{sql.Null[T]{V: v, Valid: true}} }

// Ours is nullable.Value's codec.
var Ours = Codec{
	Name: "nullable",
	Value: &RecordOurs{
		ID: nullable.Of[int64](1234567), Name: nullable.Of("Ada Lovelace"), Score: nullable.Of(98.5),
		Active: nullable.Of(true), Created: nullable.Of(created),
	},
	Unmarshal: unmarshalInto[RecordOurs],
}

// Peers are the representations compared with ours.
var Peers = []Codec{
	{
		Name: "sql.Null",
		Value: &RecordSQL{
			ID: sqlOf[int64](1234567), Name: sqlOf("Ada Lovelace"), Score: sqlOf(98.5),
			Active: sqlOf(true), Created: sqlOf(created),
		},
		Unmarshal: unmarshalInto[RecordSQL],
	},
	{
		Name: "guregu",
		Value: &RecordGuregu{
			ID: null.IntFrom(1234567), Name: null.StringFrom("Ada Lovelace"), Score: null.FloatFrom(98.5),
			Active: null.BoolFrom(true), Created: null.TimeFrom(created),
		},
		Unmarshal: unmarshalInto[RecordGuregu],
	},
	{
		Name: "mo",
		Value: &RecordMo{
			ID: mo.Some[int64](1234567), Name: mo.Some("Ada Lovelace"), Score: mo.Some(98.5),
			Active: mo.Some(true), Created: mo.Some(created),
		},
		Unmarshal: unmarshalInto[RecordMo],
	},
	{
		Name: "*T",
		Value: &RecordPtr{
			ID: new(int64(1234567)), Name: new("Ada Lovelace"), Score: new(98.5),
			Active: new(true), Created: new(created),
		},
		Unmarshal: unmarshalInto[RecordPtr],
	},
}

// Check verifies that every codec, under both generations, writes Doc and
// reads it back: the bodies measure equivalent work.
func Check() error {
	for _, c := range append([]Codec{Ours}, Peers...) {
		for _, gen := range []string{"v1", "v2"} {
			var out []byte
			var err error
			if gen == "v1" {
				out, err = stdjson.Marshal(c.Value)
			} else {
				out, err = json.Marshal(c.Value)
			}
			if err != nil {
				return fmt.Errorf("%s %s marshal: %w", c.Name, gen, err)
			}
			if !bytes.Equal(out, Doc) {
				return fmt.Errorf("%s %s marshal = %s, want %s", c.Name, gen, out, Doc)
			}
			back, err := c.Unmarshal(gen, Doc)
			if err != nil {
				return fmt.Errorf("%s %s unmarshal: %w", c.Name, gen, err)
			}
			again, err := json.Marshal(back)
			if err != nil {
				return fmt.Errorf("%s %s re-marshal: %w", c.Name, gen, err)
			}
			if !bytes.Equal(again, Doc) {
				return fmt.Errorf("%s %s round trip = %s, want %s", c.Name, gen, again, Doc)
			}
		}
	}
	return nil
}
