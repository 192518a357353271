package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dext-go/dext/nullable"
	"github.com/dext-go/dext/orm"
)

func init() { steps = append(steps, step{"orm", tourORM}) }

// Snippet is the tour's model: a full-text indexed code snippet.
type Snippet struct {
	ID      int64  `orm:"pk,autoincrement"`
	Title   string `orm:"fts"`
	Code    string `orm:"fts"`
	Lang    string `orm:"index"`
	Author  nullable.Value[string]
	Version int64 `orm:"version"`
}

func tourORM(w io.Writer) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "quickstart-orm")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := orm.Open(ctx, filepath.Join(dir, "snippets.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, orm.Migration{Version: 1, Name: "snippets", Models: []any{Snippet{}}}); err != nil {
		return err
	}

	t := db.Tracking() // unit of work
	for _, s := range []*Snippet{
		{Title: "worker pool", Code: "for job := range jobs { go work(job) }", Lang: "go", Author: nullable.Of("ann")},
		{Title: "select timeout", Code: "select { case v := <-ch: case <-time.After(d): }", Lang: "go"},
		{Title: "list files", Code: "ls -la | grep go", Lang: "sh"},
	} {
		if err := t.Add(s); err != nil {
			return err
		}
	}
	if err := t.SaveChanges(ctx); err != nil {
		return err
	}

	ro := db.ReadOnly() // shared, concurrent, immutable results
	goSnippets, err := orm.Select[Snippet](ro).Where(orm.Eq("lang", "go")).OrderBy("title").All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d Go snippets; first: %q by %s\n", goSnippets.Len(), goSnippets.At(0).Title, goSnippets.At(0).Author.Or("anonymous"))
	hits, err := orm.Search[Snippet](ctx, ro, "select OR range", orm.SearchOptions{SnippetColumn: "code"})
	if err != nil {
		return err
	}
	for _, h := range hits.All() {
		fmt.Fprintf(w, "search hit: %s — %s\n", h.Entity.Title, h.Snippet)
	}
	return nil
}
