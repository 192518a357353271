package orm_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dext-go/dext/orm"
)

func TestSnake(t *testing.T) {
	tests := []struct{ give, want string }{
		{"ID", "id"}, {"UserID", "user_id"}, {"HTTPServer", "http_server"}, {"Name", "name"},
		{"createdAt", "created_at"}, {"SHA256Sum", "sha256_sum"}, {"A", "a"},
	}
	for _, tt := range tests {
		if got := orm.Snake(tt.give); got != tt.want {
			t.Errorf("snake(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

type NoKey struct{ Name string }
type TwoKeys struct {
	A int64 `orm:"pk"`
	B int64 `orm:"pk"`
}
type BadType struct {
	ID int64
	C  chan int
}
type BadTag struct {
	ID int64
	X  string `orm:"bogus"`
}
type TextFTSKey struct {
	Key  string `orm:"pk"`
	Body string `orm:"fts"`
}
type BadVersion struct {
	ID int64
	V  string `orm:"version"`
}
type DupColumn struct {
	ID int64
	A  string `orm:"column:x"`
	B  string `orm:"column:x"`
}

func TestModelErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		run  func() error
		want string
	}{
		{"no key", func() error { _, err := orm.TableOf[NoKey](); return err }, "no primary key"},
		{"two keys", func() error { _, err := orm.TableOf[TwoKeys](); return err }, "more than one primary key"},
		{"unsupported type", func() error { _, err := orm.TableOf[BadType](); return err }, "unsupported type chan int"},
		{"unknown tag", func() error { _, err := orm.TableOf[BadTag](); return err }, "unknown tag option bogus"},
		{"fts text key", func() error { _, err := orm.TableOf[TextFTSKey](); return err }, "integer primary key"},
		{"string version", func() error { _, err := orm.TableOf[BadVersion](); return err }, "version column"},
		{"duplicate column", func() error { _, err := orm.TableOf[DupColumn](); return err }, "duplicate column x"},
		{"not a struct", func() error { _, err := orm.TableOf[int](); return err }, "must be a struct"},
	} {
		err := tt.run()
		var me *orm.ModelError
		if !errors.As(err, &me) || !errors.Is(err, orm.ErrModel) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want *ModelError containing %q", tt.name, err, tt.want)
		}
	}
}

// Celsius is a custom column type with its own Scanner and Valuer.
type Celsius struct{ milli int64 }

func (c *Celsius) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("celsius: %T", src)
	}
	c.milli = v
	return nil
}

func (c Celsius) Value() (driver.Value, error) { return c.milli, nil }

type Reading struct {
	ID    int64          `orm:"pk,autoincrement"`
	Place string         `orm:"index:ix_place_temp"`
	Temp  Celsius        `orm:"index:ix_place_temp"`
	Tags  map[string]int `orm:"json"`
}

func (Reading) TableName() string { return "readings" }

func TestScannerColumnsTableNameCompositeIndex(t *testing.T) {
	db := openTest(t, Reading{})
	ctx := context.Background()
	tab, err := orm.TableOf[Reading]()
	if err != nil {
		t.Fatal(err)
	}
	if tab.Name != "readings" || len(tab.Indexes) != 1 || strings.Join(tab.Indexes[0].Columns, ",") != "place,temp" {
		t.Errorf("table = %+v, want readings with composite index place,temp", tab)
	}
	tr := db.Tracking()
	r := &Reading{Place: "Oslo", Temp: Celsius{-4500}, Tags: map[string]int{"a": 1}}
	if err := tr.Add(r); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	r.Temp = Celsius{-4000}
	r.Tags["b"] = 2
	if !tr.HasChanges() {
		t.Fatal("HasChanges = false after changing a Scanner field and a JSON map")
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := orm.Select[Reading](db.ReadOnly()).Where(orm.Eq("temp", Celsius{-4000})).First(ctx)
	if err != nil || got.Tags["b"] != 2 || got.Temp.milli != -4000 {
		t.Errorf("First = %+v, %v", got, err)
	}
	var n int
	for r, err := range orm.RawIter[Reading](ctx, db.ReadOnly(), "SELECT * FROM readings WHERE place = ?", "Oslo") {
		if err != nil {
			t.Fatal(err)
		}
		n += len(r.Tags)
	}
	if n != 2 {
		t.Errorf("RawIter saw %d tags, want 2", n)
	}
	tracked, err := orm.Track(ctx, tr, orm.Select[Reading](db.ReadOnly()))
	if err != nil || len(tracked) != 1 || tracked[0] != r {
		t.Errorf("Track = %v, %v; want the identity-mapped pointer", tracked, err)
	}
	tr.Detach(r)
	if tr.Len() != 0 {
		t.Errorf("Len after Detach = %d", tr.Len())
	}
}
