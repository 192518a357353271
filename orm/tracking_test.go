package orm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/dext-go/dext/nullable"
	"github.com/dext-go/dext/orm"
)

type Item struct {
	ID      int64 `orm:"pk,autoincrement"`
	Name    string
	Qty     int
	Note    nullable.Value[string]
	Data    []byte
	Version int64 `orm:"version"`
}

func sameItem(a, b Item) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Qty == b.Qty && nullable.Equal(a.Note, b.Note) &&
		bytes.Equal(a.Data, b.Data) && a.Version == b.Version
}

// TestTrackingStateMachine drives a Tracking with random sequences of
// Add, modify, Remove and SaveChanges, and checks after each save that the
// table holds exactly what the in-memory model says.
func TestTrackingStateMachine(t *testing.T) {
	db := openTest(t, Item{})
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "DELETE FROM item"); err != nil {
			rt.Fatal(err)
		}
		tr := db.Tracking()
		var live []*Item    // tracked, saved or pending insert
		var removed []int64 // keys removed since the last save
		saved := map[int64]Item{}
		check := func() {
			got, err := orm.Select[Item](db.ReadOnly()).OrderBy("id").All(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			if got.Len() != len(saved) {
				rt.Fatalf("table has %d rows, model %d", got.Len(), len(saved))
			}
			for it := range got.Values() {
				want, ok := saved[it.ID]
				if !ok || !sameItem(it, want) {
					rt.Fatalf("row %+v, model %+v (present %v)", it, want, ok)
				}
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"add": func(rt *rapid.T) {
				it := &Item{Name: rapid.StringMatching(`[a-z']{0,8}`).Draw(rt, "name"), Qty: rapid.IntRange(-5, 5).Draw(rt, "qty")}
				if rapid.Bool().Draw(rt, "note") {
					it.Note = nullable.Of(rapid.String().Draw(rt, "notev"))
				}
				if err := tr.Add(it); err != nil {
					rt.Fatal(err)
				}
				live = append(live, it)
			},
			"modify": func(rt *rapid.T) {
				if len(live) == 0 {
					rt.Skip("nothing tracked")
				}
				it := live[rapid.IntRange(0, len(live)-1).Draw(rt, "i")]
				switch rapid.IntRange(0, 3).Draw(rt, "field") {
				case 0:
					it.Name = rapid.StringMatching(`[a-z"]{0,8}`).Draw(rt, "name")
				case 1:
					it.Qty += rapid.IntRange(-3, 3).Draw(rt, "d")
				case 2:
					if it.Note.IsNull() {
						it.Note = nullable.Of("n")
					} else {
						it.Note = nullable.Null[string]()
					}
				case 3:
					it.Data = append(it.Data, byte(rapid.IntRange(0, 255).Draw(rt, "b")))
				}
			},
			"remove": func(rt *rapid.T) {
				if len(live) == 0 {
					rt.Skip("nothing tracked")
				}
				i := rapid.IntRange(0, len(live)-1).Draw(rt, "i")
				if err := tr.Remove(live[i]); err != nil {
					rt.Fatal(err)
				}
				if live[i].ID != 0 {
					removed = append(removed, live[i].ID)
				}
				live = slices.Delete(live, i, i+1)
			},
			"find": func(rt *rapid.T) {
				if len(saved) == 0 {
					rt.Skip("nothing saved")
				}
				var keys []int64
				for k := range saved {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				k := keys[rapid.IntRange(0, len(keys)-1).Draw(rt, "k")]
				p, err := orm.Find[Item](ctx, tr, k)
				if slices.Contains(removed, k) {
					if !errors.Is(err, orm.ErrNotFound) {
						rt.Fatalf("Find(removed %d) = %v, %v; want ErrNotFound", k, p, err)
					}
					return
				}
				if err != nil {
					rt.Fatal(err)
				}
				if !slices.Contains(live, p) {
					rt.Fatalf("Find(%d) returned a pointer the identity map did not hand out before", k)
				}
			},
			"save": func(rt *rapid.T) {
				if err := tr.SaveChanges(ctx); err != nil {
					rt.Fatal(err)
				}
				clear(saved)
				for _, it := range live {
					if it.ID == 0 || it.Version == 0 {
						rt.Fatalf("saved item without key or version: %+v", *it)
					}
					saved[it.ID] = *it
					saved[it.ID] = Item{ID: it.ID, Name: it.Name, Qty: it.Qty, Note: it.Note, Data: bytes.Clone(it.Data), Version: it.Version}
				}
				removed = nil
				if tr.HasChanges() {
					rt.Fatal("HasChanges after SaveChanges")
				}
				check()
			},
		})
	})
}

func TestTrackingUpdatesOnlyChangedColumns(t *testing.T) {
	db := openTest(t, Item{})
	ctx := context.Background()
	tr := db.Tracking()
	it := &Item{Name: "a", Qty: 1}
	if err := tr.Add(it); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	// Another writer changes Name behind our back (and bumps nothing).
	if _, err := db.Exec(ctx, "UPDATE item SET name = ? WHERE id = ?", "theirs", it.ID); err != nil {
		t.Fatal(err)
	}
	it.Qty = 2 // we change only Qty
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := orm.Get[Item](ctx, db.ReadOnly(), it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "theirs" || got.Qty != 2 || got.Version != 2 {
		t.Errorf("after partial update row = %+v, want name=theirs (untouched), qty=2, version=2", got)
	}
	if it.Version != 2 {
		t.Errorf("entity version = %d, want 2", it.Version)
	}
}

func TestTrackingConcurrencyConflict(t *testing.T) {
	db := openTest(t, Item{})
	ctx := context.Background()
	a := db.Tracking()
	it := &Item{Name: "x"}
	if err := a.Add(it); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	b := db.Tracking()
	other, err := orm.Find[Item](ctx, b, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	other.Name = "b wins"
	if err := b.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	it.Name = "a loses"
	err = a.SaveChanges(ctx)
	var ce *orm.ConcurrencyError
	if !errors.As(err, &ce) || !errors.Is(err, orm.ErrConcurrencyConflict) {
		t.Fatalf("SaveChanges after a concurrent update = %v, want *ConcurrencyError", err)
	}
	if ce.Entity != "Item" || ce.Key != it.ID || !strings.Contains(err.Error(), "Item") {
		t.Errorf("ConcurrencyError = %+v (%v), want entity Item key %d", ce, err, it.ID)
	}
	if it.Version != 1 || it.Name != "a loses" {
		t.Errorf("entity after failed save = %+v, want version 1 kept and changes kept", *it)
	}
	// A delete of a stale version conflicts too.
	if err := a.Remove(it); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveChanges(ctx); !errors.Is(err, orm.ErrConcurrencyConflict) {
		t.Errorf("stale delete = %v, want ErrConcurrencyConflict", err)
	}
}

type Author struct {
	ID   int64 `orm:"pk,autoincrement"`
	Name string
}

type Book struct {
	ID       int64  `orm:"pk"`
	AuthorID int64  `orm:"references:author.id"`
	Title    string `orm:"unique"`
}

func TestSaveChangesDependencyOrder(t *testing.T) {
	db := openTest(t, Author{}, Book{})
	ctx := context.Background()
	tr := db.Tracking()
	au := &Author{ID: 7, Name: "Le Guin"}
	// The child is added first: SaveChanges must still insert the parent first.
	if err := tr.Add(&Book{ID: 1, AuthorID: 7, Title: "The Dispossessed"}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(au); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatalf("insert parent+child: %v", err)
	}
	// Deleting both: the child must go first.
	bk, err := orm.Find[Book](ctx, tr, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Remove(au); err != nil {
		t.Fatal(err)
	}
	if err := tr.Remove(bk); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatalf("delete parent+child: %v", err)
	}
	if n, _ := orm.Select[Author](db.ReadOnly()).Count(ctx); n != 0 {
		t.Errorf("authors left: %d", n)
	}
}

func TestConstraintErrorNamesConstraint(t *testing.T) {
	db := openTest(t, Author{}, Book{})
	ctx := context.Background()
	tr := db.Tracking()
	au := &Author{Name: "x"}
	if err := tr.Add(au); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		give     *Book
		wantKind string
		wantName string
	}{
		{"unique", &Book{ID: 2, AuthorID: au.ID, Title: "dup"}, "UNIQUE", "book.title"},
		{"primary key", &Book{ID: 1, AuthorID: au.ID, Title: "other"}, "UNIQUE", "book.id"},
		{"foreign key", &Book{ID: 3, AuthorID: 999, Title: "orphan"}, "FOREIGN KEY", ""},
	}
	if err := tr.Add(&Book{ID: 1, AuthorID: au.ID, Title: "dup"}); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t2 := db.Tracking()
		if err := t2.Add(tt.give); err != nil {
			t.Fatal(err)
		}
		err := t2.SaveChanges(ctx)
		var ce *orm.ConstraintError
		if !errors.As(err, &ce) || !errors.Is(err, orm.ErrConstraint) {
			t.Errorf("%s: SaveChanges = %v, want *ConstraintError", tt.name, err)
			continue
		}
		if ce.Kind != tt.wantKind || ce.Constraint != tt.wantName {
			t.Errorf("%s: ConstraintError{Kind: %q, Constraint: %q}, want %q, %q", tt.name, ce.Kind, ce.Constraint, tt.wantKind, tt.wantName)
		}
	}
}

func TestSaveChangesRollsBackEntities(t *testing.T) {
	db := openTest(t, Author{}, Book{})
	ctx := context.Background()
	tr := db.Tracking()
	a := &Author{Name: "first"}
	b := &Book{ID: 1, AuthorID: 12345, Title: "bad"} // foreign key violation
	if err := tr.Add(a); err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(b); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); !errors.Is(err, orm.ErrConstraint) {
		t.Fatalf("SaveChanges = %v, want ErrConstraint", err)
	}
	if a.ID != 0 {
		t.Errorf("generated key kept after rollback: %d", a.ID)
	}
	if n, _ := orm.Select[Author](db.ReadOnly()).Count(ctx); n != 0 {
		t.Errorf("rolled-back insert visible: %d rows", n)
	}
	b.AuthorID = 0
	if err := tr.Remove(b); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if a.ID == 0 {
		t.Error("retry did not assign a key")
	}
}

func TestTrackingConcurrentMisusePanics(t *testing.T) {
	db := openTest(t, Item{})
	ctx := context.Background()
	tr := db.Tracking()
	release := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		// Hold the Tracking busy inside SaveChanges' write transaction by
		// keeping the writer connection taken.
		_ = db.WriteTx(ctx, func(*orm.Tx) error {
			close(started)
			<-release
			return nil
		})
	})
	<-started
	saveDone := make(chan struct{})
	if err := tr.Add(&Item{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(saveDone)
		_ = tr.SaveChanges(ctx) // waits for the writer
	}()
	// SaveChanges is now running (waiting for the writer); a second use panics.
	defer func() {
		close(release)
		<-saveDone
		wg.Wait()
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !orm.TrackingBusy(tr) {
		if time.Now().After(deadline) {
			t.Fatal("SaveChanges never started")
		}
		runtime.Gosched()
	}
	func() {
		defer func() {
			r := recover()
			if r == nil || !strings.Contains(fmt.Sprint(r), "two goroutines") {
				t.Errorf("concurrent Add: recover() = %v, want a panic naming the misuse", r)
			}
		}()
		_ = tr.Add(&Item{Name: "y"})
	}()
}
