package orm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dext-go/dext/orm"
)

type Note struct {
	ID      int64  `orm:"pk,autoincrement"`
	Title   string `orm:"fts"`
	Body    string `orm:"fts"`
	Stars   int    `orm:"index"`
	Version int64  `orm:"version"`
}

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "orm-example")
	defer os.RemoveAll(dir)

	db, err := orm.Open(ctx, filepath.Join(dir, "notes.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, orm.Migration{Version: 1, Name: "init", Models: []any{Note{}}}); err != nil {
		fmt.Println(err)
		return
	}

	// Write through the unit of work.
	t := db.Tracking()
	for _, n := range []*Note{
		{Title: "Channels", Body: "share memory by communicating", Stars: 5},
		{Title: "Mutexes", Body: "guard shared memory", Stars: 3},
	} {
		_ = t.Add(n)
	}
	if err := t.SaveChanges(ctx); err != nil {
		fmt.Println(err)
		return
	}

	// Read through the read-only context: immutable results.
	ro := db.ReadOnly()
	notes, _ := orm.Select[Note](ro).Where(orm.Ge("stars", 4)).All(ctx)
	for n := range notes.Values() {
		fmt.Println("starred:", n.Title)
	}
	hits, _ := orm.Search[Note](ctx, ro, "memory", orm.SearchOptions{SnippetColumn: "body"})
	for _, h := range hits.All() {
		fmt.Println("hit:", h.Entity.Title, "—", h.Snippet)
	}
	// Output:
	// starred: Channels
	// hit: Mutexes — guard shared [memory]
	// hit: Channels — share [memory] by communicating
}

func ExampleTracking_SaveChanges() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "orm-example")
	defer os.RemoveAll(dir)
	db, _ := orm.Open(ctx, filepath.Join(dir, "notes.db"))
	defer db.Close()
	_ = db.CreateTables(ctx, Note{})

	t := db.Tracking()
	n := &Note{Title: "draft"}
	_ = t.Add(n)
	_ = t.SaveChanges(ctx)
	fmt.Println("id", n.ID, "version", n.Version)

	n.Title = "final" // only this column is written
	_ = t.SaveChanges(ctx)
	fmt.Println("id", n.ID, "version", n.Version)

	same, _ := orm.Find[Note](ctx, t, n.ID)
	fmt.Println("identity map returns the same pointer:", same == n)
	// Output:
	// id 1 version 1
	// id 1 version 2
	// identity map returns the same pointer: true
}

func ExampleReadOnly_Snapshot() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "orm-example")
	defer os.RemoveAll(dir)
	db, _ := orm.Open(ctx, filepath.Join(dir, "bank.db"))
	defer db.Close()
	_ = db.CreateTables(ctx, Account{})
	_, _ = db.Exec(ctx, "INSERT INTO account (id, owner, balance) VALUES (1, 'ann', 70), (2, 'bob', 30)")

	_ = db.ReadOnly().Snapshot(ctx, func(s *orm.Snapshot) error {
		n, _ := orm.Select[Account](s).Count(ctx)
		row, _ := orm.RawRow(ctx, s, "SELECT sum(balance) FROM account")
		fmt.Println(n, "accounts, total", row[0]) // both from one consistent view
		return nil
	})
	// Output:
	// 2 accounts, total 100
}

func ExampleQuery_Compile() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "orm-example")
	defer os.RemoveAll(dir)
	db, _ := orm.Open(ctx, filepath.Join(dir, "bank.db"))
	defer db.Close()
	_ = db.CreateTables(ctx, Account{})
	_, _ = db.Exec(ctx, "INSERT INTO account (id, owner, balance) VALUES (1, 'ann', 70), (2, 'bob', 30)")

	// Built once; safe to run from many goroutines with different values.
	rich, err := orm.Select[Account](nil).Where(orm.Gt("balance", orm.Param("min"))).OrderBy("owner").Compile()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, min := range []int{10, 50} {
		as, _ := rich.All(ctx, db.ReadOnly(), orm.Arg("min", min))
		fmt.Println(min, as.Len())
	}
	_, err = orm.Select[Account](nil).Where(orm.Eq("balanse", 1)).Compile()
	fmt.Println(err)
	// Output:
	// 10 2
	// 50 1
	// orm: model Account has no column "balanse"
}
