package orm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/dext-go/dext/nullable"
	"github.com/dext-go/dext/orm"
)

// Wide has a field of every kind the codecs handle.
type Wide struct {
	ID   int64 `orm:"pk,autoincrement"`
	I    int
	I8   int8
	I16  int16
	I32  int32
	U    uint
	U8   uint8
	U16  uint16
	U32  uint32
	U64  uint64
	F32  float32
	F64  float64
	B    bool
	S    string
	Raw  []byte
	At   time.Time
	J    map[string]int `orm:"json"`
	NS   nullable.Value[string]
	NI   nullable.Value[int64]
	NF   nullable.Value[float64]
	NT   nullable.Value[time.Time]
	NB   nullable.Value[[]byte]
	Scan sql.NullInt64
}

// pair opens the same file twice: once with the native read path (the
// default) and once reading through the driver only.
func pair(t *testing.T, opts []orm.Option, models ...any) (native, driver *orm.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pair.db")
	native, err := orm.Open(ctx, path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { native.Close() })
	if err := native.CreateTables(ctx, models...); err != nil {
		t.Fatal(err)
	}
	driver, err = orm.Open(ctx, path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	orm.DisableNative(driver)
	t.Cleanup(func() { driver.Close() })
	return native, driver
}

// same runs f on both databases and fails unless the results and the
// errors (their text and their typed sentinels) are identical.
func same[R any](t *testing.T, what string, native, driver *orm.DB, f func(ro *orm.ReadOnly) (R, error)) R {
	t.Helper()
	got, gerr := f(native.ReadOnly())
	want, werr := f(driver.ReadOnly())
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s: native error %v, driver error %v", what, gerr, werr)
	}
	for _, s := range []error{orm.ErrNotFound, orm.ErrLocked, orm.ErrCorrupt, orm.ErrSearchSyntax, orm.ErrUnknownColumn, orm.ErrConstraint} {
		if errors.Is(gerr, s) != errors.Is(werr, s) {
			t.Fatalf("%s: errors.Is(%v) native %v, driver %v", what, s, errors.Is(gerr, s), errors.Is(werr, s))
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nnative %#v\ndriver %#v", what, got, want)
	}
	return got
}

func TestNativeReadPathIsUsed(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, err := orm.Select[User](db.ReadOnly()).Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := orm.NativeReaders(db); n != 1 {
		t.Fatalf("native readers = %d, want 1 (the modernc.org/sqlite handle was not found: the driver's layout changed?)", n)
	}
	native, driver := pair(t, nil, User{})
	_ = native
	if _, err := orm.Select[User](driver.ReadOnly()).Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := orm.NativeReaders(driver); n != 0 {
		t.Fatalf("DisableNative: native readers = %d, want 0", n)
	}
}

func wideRows() []Wide {
	at := time.Date(2026, 11, 21, 23, 59, 58, 123456789, time.UTC)
	return []Wide{
		{},
		{I: -1, I8: math.MinInt8, I16: math.MinInt16, I32: math.MinInt32, U: 1, U8: math.MaxUint8, U16: math.MaxUint16, U32: math.MaxUint32, U64: math.MaxInt64,
			F32: 1.5, F64: -math.MaxFloat64, B: true, S: "héllo\x00wörld", Raw: []byte{0, 1, 255}, At: at, J: map[string]int{"a": 1},
			NS: nullable.Of(""), NI: nullable.Of(int64(math.MinInt64)), NF: nullable.Of(0.0), NT: nullable.Of(at), NB: nullable.Of([]byte{}), Scan: sql.NullInt64{Int64: 7, Valid: true}},
		{I: math.MaxInt64, S: "", Raw: []byte{}, F64: math.SmallestNonzeroFloat64, NS: nullable.Of("x"), NB: nullable.Of([]byte("b"))},
	}
}

func TestNativeMatchesDriver(t *testing.T) {
	native, driver := pair(t, nil, Wide{}, User{}, Post{})
	ctx := context.Background()
	tr := native.Tracking()
	for _, w := range wideRows() {
		if err := tr.Add(&w); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	all := same(t, "All", native, driver, func(ro *orm.ReadOnly) ([]Wide, error) {
		a, err := orm.Select[Wide](ro).OrderBy("id").All(ctx)
		return a.ToSlice(), err
	})
	if len(all) != 3 || all[1].S != "héllo\x00wörld" {
		t.Fatalf("All = %+v", all)
	}
	for id := int64(1); id <= 4; id++ {
		same(t, fmt.Sprint("Get ", id), native, driver, func(ro *orm.ReadOnly) (Wide, error) { return orm.Get[Wide](ctx, ro, id) })
	}
	// Hand-written SQL: SELECT *, conversions between storage classes,
	// values that do not fit their field, positional and numbered
	// parameters, named ones (left to the driver), several statements,
	// empty results, syntax and run-time errors.
	raws := []struct {
		q    string
		args []any
	}{
		{"SELECT * FROM wide ORDER BY id", nil},
		{"SELECT id, CAST(i AS TEXT) AS i, CAST(f32 AS TEXT) AS f64, 2.0 AS i8, s AS raw, raw AS s, 'true' AS b FROM wide ORDER BY id", nil},
		{"SELECT id, 1.5 AS i FROM wide", nil},
		{"SELECT id, 300 AS i8 FROM wide", nil},
		{"SELECT id, -1 AS u FROM wide", nil},
		{"SELECT id, x'01' AS i FROM wide", nil},
		{"SELECT id, 'not a time' AS at FROM wide", nil},
		{"SELECT id, '[1' AS j FROM wide", nil},
		{"SELECT id, 'x' AS scan FROM wide", nil},
		{"SELECT id, nosuch FROM wide", nil},
		{"SELECT id, 1 AS nosuch FROM wide", nil},
		{"SELECT id, s FROM wide WHERE id > ? AND s <> ?", []any{0, "zz"}},
		{"SELECT id, s FROM wide WHERE id = ?2 OR id = ?1", []any{1, 2}},
		{"SELECT id, s FROM wide WHERE id = :id", []any{1}},
		{"SELECT id, s FROM wide WHERE id = ?", nil},
		{"SELECT id, s FROM wide WHERE raw = ? OR nb = ? OR ns IS ?", []any{[]byte{}, []byte("b"), nil}},
		{"SELECT id FROM wide WHERE 0", nil},
		{"SELECT id FROM wide; SELECT 1", nil},
		{"SELEC id FROM wide", nil},
		{"SELECT id, abs(-9223372036854775807 - 1) AS i FROM wide", nil},
		{"   ", nil},
	}
	for _, r := range raws {
		same(t, "Raw "+r.q, native, driver, func(ro *orm.ReadOnly) ([]Wide, error) {
			a, err := orm.Raw[Wide](ctx, ro, r.q, r.args...)
			return a.ToSlice(), err
		})
	}
	rows := []string{
		"SELECT 1, -2.5, 'x', x'00ff', NULL, x'', ''",
		"SELECT count(*) FROM wide",
		"SELECT s, raw FROM wide WHERE id = 2",
		"PRAGMA query_only",
		"SELECT 1 WHERE 0",
		"INSERT INTO wide (i) VALUES (1)",
	}
	for _, q := range rows {
		same(t, "RawRow "+q, native, driver, func(ro *orm.ReadOnly) ([]any, error) { return orm.RawRow(ctx, ro, q) })
	}
	same(t, "Count", native, driver, func(ro *orm.ReadOnly) (int64, error) {
		return orm.Select[Wide](ro).Where(orm.Gt("id", 1)).Count(ctx)
	})
	same(t, "Exists", native, driver, func(ro *orm.ReadOnly) (bool, error) {
		return orm.Select[Wide](ro).Where(orm.Eq("s", "nope")).Exists(ctx)
	})
	same(t, "First", native, driver, func(ro *orm.ReadOnly) (Wide, error) {
		return orm.Select[Wide](ro).Where(orm.Eq("s", "")).OrderByDesc("id").First(ctx)
	})
	// Full-text search: hits, and a malformed expression (an error raised
	// while stepping, typed by the dialect on both paths).
	u := &User{Email: "a@x", Name: "a"}
	if err := tr.Add(u); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Post{{UserID: u.ID, Title: "native reads", Body: "straight from sqlite"}, {UserID: u.ID, Title: "driver reads", Body: "through database/sql"}} {
		if err := tr.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	for _, expr := range []string{"reads", "sqlite OR sql", `"unterminated`, "NEAR(a b, x)", "nosuch:col"} {
		same(t, "Search "+expr, native, driver, func(ro *orm.ReadOnly) ([]orm.Hit[Post], error) {
			h, err := orm.Search[Post](ctx, ro, expr, orm.SearchOptions{})
			return h.ToSlice(), err
		})
	}
	// A DATETIME column: the driver turns its text into time.Time, so the
	// native path leaves such statements to it.
	if _, err := native.Exec(ctx, "CREATE TABLE ev (id INTEGER PRIMARY KEY, at DATETIME, n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := native.Exec(ctx, "INSERT INTO ev (at, n) VALUES ('2026-01-02 03:04:05', 1), ('2026-01-02T03:04:05.5Z', 2)"); err != nil {
		t.Fatal(err)
	}
	v := same(t, "RawRow DATETIME", native, driver, func(ro *orm.ReadOnly) ([]any, error) {
		return orm.RawRow(ctx, ro, "SELECT at FROM ev ORDER BY id")
	})
	if _, ok := v[0].(time.Time); !ok {
		t.Fatalf("DATETIME column read as %T, want time.Time (the driver's conversion)", v[0])
	}
}

func TestNativeMatchesDriverProperty(t *testing.T) {
	native, driver := pair(t, nil, Wide{})
	ctx := context.Background()
	rapid.Check(t, func(rt *rapid.T) {
		tr := native.Tracking()
		n := rapid.IntRange(0, 5).Draw(rt, "n")
		for range n {
			w := Wide{
				I:   rapid.Int().Draw(rt, "i"),
				I16: rapid.Int16().Draw(rt, "i16"),
				U32: rapid.Uint32().Draw(rt, "u32"),
				U64: rapid.Uint64Range(0, math.MaxInt64).Draw(rt, "u64"),
				F64: rapid.Float64().Draw(rt, "f64"),
				B:   rapid.Bool().Draw(rt, "b"),
				S:   rapid.String().Draw(rt, "s"),
				Raw: rapid.SliceOf(rapid.Byte()).Draw(rt, "raw"),
				At:  time.Unix(rapid.Int64Range(-1e10, 1e10).Draw(rt, "at"), rapid.Int64Range(0, 999999999).Draw(rt, "ns")).UTC(),
			}
			if rapid.Bool().Draw(rt, "ns?") {
				w.NS = nullable.Of(rapid.String().Draw(rt, "nsv"))
			}
			if rapid.Bool().Draw(rt, "nb?") {
				w.NB = nullable.Of(rapid.SliceOf(rapid.Byte()).Draw(rt, "nbv"))
			}
			if err := tr.Add(&w); err != nil {
				rt.Fatal(err)
			}
		}
		if err := tr.SaveChanges(ctx); err != nil {
			rt.Fatal(err)
		}
		lo := rapid.Int64Range(0, 50).Draw(rt, "lo")
		s := rapid.String().Draw(rt, "arg")
		q, err := orm.Select[Wide](nil).Where(orm.Or(orm.Ge("id", orm.Param("lo")), orm.Eq("s", orm.Param("s")))).OrderBy("id").Compile()
		if err != nil {
			rt.Fatal(err)
		}
		got, gerr := q.All(ctx, native.ReadOnly(), orm.Arg("lo", lo), orm.Arg("s", s))
		want, werr := q.All(ctx, driver.ReadOnly(), orm.Arg("lo", lo), orm.Arg("s", s))
		if gerr != nil || werr != nil {
			rt.Fatalf("native %v, driver %v", gerr, werr)
		}
		if !reflect.DeepEqual(got.ToSlice(), want.ToSlice()) {
			rt.Fatalf("native %+v\ndriver %+v", got.ToSlice(), want.ToSlice())
		}
	})
}

func TestNativeCancelAndStatementCache(t *testing.T) {
	native, _ := pair(t, []orm.Option{orm.WithReaders(1), orm.WithStatementCache(2)}, Wide{})
	ctx := context.Background()
	ro := native.ReadOnly()
	long := "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"
	for range 2 {
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		start := time.Now()
		_, err := orm.RawRow(cctx, ro, long)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("interrupted query: %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("interrupt took %v", d)
		}
		// The one reader connection is still usable.
		v, err := orm.RawRow(ctx, ro, "SELECT 41 + 1")
		if err != nil || v[0] != int64(42) {
			t.Fatalf("after interrupt: %v, %v", v, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := orm.RawRow(cctx, ro, "SELECT 1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled context: %v", err)
	}
	// More distinct statements than the cache holds, over and over.
	for i := range 40 {
		q := fmt.Sprintf("SELECT %d + ?", i%5)
		v, err := orm.RawRow(ctx, ro, q, 1)
		if err != nil || v[0] != int64(i%5+1) {
			t.Fatalf("%s: %v, %v", q, v, err)
		}
	}
}

func TestNativeWritesMatchDriver(t *testing.T) {
	native, driver := pair(t, nil, User{}, Post{})
	ctx := context.Background()
	save := func(db *orm.DB, vs ...any) error {
		tr := db.Tracking()
		for _, v := range vs {
			if err := tr.Add(v); err != nil {
				t.Fatal(err)
			}
		}
		return tr.SaveChanges(ctx)
	}
	// Generated keys, in order, on both paths.
	a, b := &User{Email: "a@x"}, &User{Email: "b@x"}
	if err := save(native, a); err != nil {
		t.Fatal(err)
	}
	if err := save(driver, b); err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || b.ID != 2 || a.Version != 1 || b.Version != 1 {
		t.Fatalf("keys %d, %d versions %d, %d; want 1, 2 and 1, 1", a.ID, b.ID, a.Version, b.Version)
	}
	// A UNIQUE and a FOREIGN KEY violation: the same typed error, the
	// same text, and the entity's key left as it was.
	for _, bad := range []func() any{
		func() any { return &User{Email: "a@x"} },
		func() any { return &Post{UserID: 99, Title: "t"} },
	} {
		ge, we := save(native, bad()), save(driver, bad())
		var gc, wc *orm.ConstraintError
		if !errors.As(ge, &gc) || !errors.As(we, &wc) || gc.Kind != wc.Kind || gc.Constraint != wc.Constraint || ge.Error() != we.Error() {
			t.Fatalf("constraint errors differ:\nnative %v\ndriver %v", ge, we)
		}
	}
	// Updates and version conflicts: a stale entity fails on both paths.
	for i, db := range []*orm.DB{native, driver} {
		first, second := db.Tracking(), db.Tracking()
		u, err := orm.Find[User](ctx, first, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		stale, err := orm.Find[User](ctx, second, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Name = fmt.Sprint("renamed ", i)
		if err := first.SaveChanges(ctx); err != nil {
			t.Fatal(err)
		}
		stale.Name = "lost update"
		if err := second.SaveChanges(ctx); !errors.Is(err, orm.ErrConcurrencyConflict) {
			t.Fatalf("database %d: stale update: %v, want ErrConcurrencyConflict", i, err)
		}
	}
	got, err := orm.Get[User](ctx, native.ReadOnly(), a.ID)
	if err != nil || got.Name != "renamed 1" || got.Version != 3 {
		t.Fatalf("after two updates: %+v, %v", got, err)
	}
}

// TestNativeStringsShareChunksSafely reads many strings of every size
// around the arena's limits in one query and checks each against what
// was written, after later queries on the same connection ran.
func TestNativeStringsShareChunksSafely(t *testing.T) {
	native, driver := pair(t, []orm.Option{orm.WithReaders(1)}, Wide{})
	ctx := context.Background()
	tr := native.Tracking()
	want := map[int64]string{}
	var ws []*Wide
	for i := range 700 {
		s := strings.Repeat(string(rune('a'+i%26)), i%300) + fmt.Sprint(i)
		w := &Wide{S: s, NS: nullable.Of(s + "!")}
		if err := tr.Add(w); err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		want[w.ID] = w.S
	}
	all, err := orm.Select[Wide](native.ReadOnly()).OrderBy("id").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Later queries on the one reader connection must not disturb the
	// strings already returned.
	for range 3 {
		if _, err := orm.Select[Wide](native.ReadOnly()).Where(orm.Lt("id", 50)).All(ctx); err != nil {
			t.Fatal(err)
		}
	}
	viaDriver, err := orm.Select[Wide](driver.ReadOnly()).OrderBy("id").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range all.ToSlice() {
		ns, _ := w.NS.Get()
		if w.S != want[w.ID] || ns != want[w.ID]+"!" {
			t.Fatalf("row %d: S %q NS %q, want %q", w.ID, w.S, ns, want[w.ID])
		}
		if !reflect.DeepEqual(w, viaDriver.At(i)) {
			t.Fatalf("row %d differs from the driver path", w.ID)
		}
	}
}
