package orm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/nullable"
	"github.com/dext-go/dext/orm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type Prefs struct {
	Theme string   `json:"theme"`
	Tags  []string `json:"tags,omitempty"`
}

type User struct {
	ID      int64  `orm:"pk,autoincrement"`
	Email   string `orm:"unique"`
	Name    string `orm:"index"`
	Age     int
	Nick    nullable.Value[string]
	Score   nullable.Value[float64]
	Born    nullable.Value[time.Time]
	Created time.Time
	Avatar  []byte
	Prefs   Prefs  `orm:"json"`
	Secret  string `orm:"-"`
	Version int64  `orm:"version"`
}

type Post struct {
	ID     int64  `orm:"pk,autoincrement"`
	UserID int64  `orm:"references:user.id,index"`
	Title  string `orm:"fts"`
	Body   string `orm:"fts"`
}

func openTest(t testing.TB, models ...any) *orm.DB {
	t.Helper()
	ctx := context.Background()
	db, err := orm.Open(ctx, filepath.Join(t.TempDir(), "test.db"), orm.WithReaders(4))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if len(models) == 0 {
		models = []any{User{}, Post{}}
	}
	if err := db.CreateTables(ctx, models...); err != nil {
		t.Fatalf("CreateTables: %v", err)
	}
	return db
}

func TestOpenPragmas(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var mode string
	if err := db.ReadOnly().Snapshot(ctx, func(s *orm.Snapshot) error {
		rows, err := orm.RawRow(ctx, s, "PRAGMA journal_mode")
		if err != nil {
			return err
		}
		mode = rows[0].(string)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	for _, tt := range []struct{ pragma, want string }{
		{"PRAGMA query_only", "1"},
		{"PRAGMA foreign_keys", "1"},
		{"PRAGMA synchronous", "1"},
		{"PRAGMA busy_timeout", "5000"},
	} {
		v, err := orm.RawRow(ctx, db.ReadOnly(), tt.pragma)
		if err != nil {
			t.Fatal(err)
		}
		if got := toString(v[0]); got != tt.want {
			t.Errorf("reader %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
	// The reader pool is query_only: writes through it fail.
	if _, err := orm.RawRow(ctx, db.ReadOnly(), "INSERT INTO user (email) VALUES ('x')"); err == nil {
		t.Error("write through a reader connection succeeded")
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func TestRoundTripAllTypes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	tr := db.Tracking()
	born := time.Date(1815, 12, 10, 8, 30, 0, 123456789, time.FixedZone("x", 3600))
	u := &User{
		Email: "ada@example.com", Name: "Ada", Age: 36,
		Nick: nullable.Of("countess"), Born: nullable.Of(born),
		Created: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		Avatar:  []byte{0, 1, 2, 255},
		Prefs:   Prefs{Theme: "dark", Tags: []string{"math"}},
		Secret:  "not stored",
	}
	if err := tr.Add(u); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatalf("SaveChanges: %v", err)
	}
	if u.ID == 0 || u.Version != 1 {
		t.Fatalf("after insert ID=%d Version=%d, want generated ID and version 1", u.ID, u.Version)
	}
	got, err := orm.Get[User](ctx, db.ReadOnly(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != u.Email || got.Name != u.Name || got.Age != u.Age || !nullable.Equal(got.Nick, u.Nick) ||
		!got.Score.IsNull() || !got.Created.Equal(u.Created) || !bytes.Equal(got.Avatar, u.Avatar) ||
		got.Prefs.Theme != "dark" || len(got.Prefs.Tags) != 1 || got.Secret != "" || got.Version != 1 {
		t.Errorf("Get = %+v, want %+v", got, *u)
	}
	if b, ok := got.Born.Get(); !ok || !b.Equal(born) {
		t.Errorf("Born = %v, want %v", got.Born, born)
	}
}

func TestQueryBuilder(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	tr := db.Tracking()
	for i, name := range []string{"ann", "bob", "cy", "dee", "eve"} {
		u := &User{Email: name + "@x", Name: name, Age: 20 + i*10}
		if i%2 == 0 {
			u.Nick = nullable.Of(strings.ToUpper(name))
		}
		if err := tr.Add(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	ro := db.ReadOnly()
	names := func(q orm.Query[User]) string {
		t.Helper()
		us, err := q.All(ctx)
		if err != nil {
			t.Fatalf("All: %v", err)
		}
		var s []string
		for u := range us.Values() {
			s = append(s, u.Name)
		}
		return strings.Join(s, ",")
	}
	base := orm.Select[User](ro).OrderBy("name")
	tests := []struct {
		give orm.Query[User]
		want string
	}{
		{base, "ann,bob,cy,dee,eve"},
		{base.Where(orm.Eq("name", "bob")), "bob"},
		{base.Where(orm.Ne("name", "bob")), "ann,cy,dee,eve"},
		{base.Where(orm.Lt("age", 40)), "ann,bob"},
		{base.Where(orm.Le("age", 40)), "ann,bob,cy"},
		{base.Where(orm.Gt("Age", 40)), "dee,eve"},
		{base.Where(orm.Ge("age", 40)), "cy,dee,eve"},
		{base.Where(orm.In("name", "eve", "ann", "zed")), "ann,eve"},
		{base.Where(orm.In("name")), ""},
		{base.Where(orm.Like("name", "%e%")), "dee,eve"},
		{base.Where(orm.IsNull("nick")), "bob,dee"},
		{base.Where(orm.Eq("nick", nil)), "bob,dee"},
		{base.Where(orm.Ne("nick", nil)), "ann,cy,eve"},
		{base.Where(orm.Eq("nick", nullable.Of("CY"))), "cy"},
		{base.Where(orm.Or(orm.Eq("name", "ann"), orm.Gt("age", 50))), "ann,eve"},
		{base.Where(orm.And(orm.Gt("age", 20), orm.Lt("age", 60))), "bob,cy,dee"},
		{base.Where(orm.Not(orm.Eq("name", "ann"))), "bob,cy,dee,eve"},
		{base.Where(orm.Or()), ""},
		{base.Where(orm.And()), "ann,bob,cy,dee,eve"},
		{orm.Select[User](ro).OrderByDesc("age").Limit(2), "eve,dee"},
		{orm.Select[User](ro).OrderBy("age").Limit(2).Offset(1), "bob,cy"},
	}
	for _, tt := range tests {
		sql, _, _ := tt.give.SQL()
		if got := names(tt.give); got != tt.want {
			t.Errorf("%s = %q, want %q", sql, got, tt.want)
		}
	}
	if n, err := base.Where(orm.Gt("age", 25)).Count(ctx); err != nil || n != 4 {
		t.Errorf("Count = %d, %v, want 4", n, err)
	}
	if ok, err := base.Where(orm.Eq("name", "zed")).Exists(ctx); err != nil || ok {
		t.Errorf("Exists(zed) = %v, %v, want false", ok, err)
	}
	if ok, err := base.Where(orm.Eq("name", "cy")).Exists(ctx); err != nil || !ok {
		t.Errorf("Exists(cy) = %v, %v, want true", ok, err)
	}
	if u, err := base.Where(orm.Gt("age", 30)).First(ctx); err != nil || u.Name != "cy" {
		t.Errorf("First = %v, %v, want cy", u.Name, err)
	}
	if _, err := base.Where(orm.Gt("age", 300)).First(ctx); !errors.Is(err, orm.ErrNotFound) {
		t.Errorf("First(none) error = %v, want ErrNotFound", err)
	}
	var streamed []string
	for u, err := range base.Where(orm.Ge("age", 30)).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		streamed = append(streamed, u.Name)
		if len(streamed) == 2 {
			break
		}
	}
	if strings.Join(streamed, ",") != "bob,cy" {
		t.Errorf("Iter = %v, want bob,cy", streamed)
	}
}

func TestUnknownColumnIsTypedError(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, q := range []orm.Query[User]{
		orm.Select[User](db.ReadOnly()).Where(orm.Eq("nmae", 1)),
		orm.Select[User](db.ReadOnly()).Where(orm.Or(orm.Eq("name", 1), orm.Not(orm.IsNull("x; DROP TABLE user")))),
		orm.Select[User](db.ReadOnly()).OrderBy(`name"; DROP TABLE user; --`),
		orm.Select[User](db.ReadOnly()).Where(orm.In(`"name"`, 1)),
	} {
		var ce *orm.ColumnError
		if err := q.Err(); !errors.As(err, &ce) || !errors.Is(err, orm.ErrUnknownColumn) {
			t.Errorf("build error = %v, want *ColumnError", err)
		}
		if _, err := q.All(ctx); !errors.Is(err, orm.ErrUnknownColumn) {
			t.Errorf("All error = %v, want ErrUnknownColumn", err)
		}
		if _, err := q.Compile(); !errors.Is(err, orm.ErrUnknownColumn) {
			t.Errorf("Compile error = %v, want ErrUnknownColumn", err)
		}
	}
	if n, err := orm.Select[User](db.ReadOnly()).Count(ctx); err != nil || n != 0 {
		t.Errorf("table damaged: Count = %d, %v", n, err)
	}
}

func TestOpenCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 400), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := orm.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open of a junk file succeeded")
	}
	if !errors.Is(err, orm.ErrCorrupt) {
		t.Errorf("Open(junk) = %v, want ErrCorrupt", err)
	}
}
