package orm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dext-go/dext/orm"
)

type Doc struct {
	ID    int64  `orm:"pk,autoincrement"`
	Path  string `orm:"unique"`
	Title string `orm:"fts"`
	Body  string `orm:"fts"`
	Size  int
}

func seedDocs(t *testing.T, db *orm.DB) *orm.Tracking {
	t.Helper()
	tr := db.Tracking()
	for _, d := range []*Doc{
		{Path: "a", Title: "Channels in Go", Body: "A channel sends values between goroutines. Unbuffered channels synchronise."},
		{Path: "b", Title: "Mutexes", Body: "A mutex guards shared state; channels are not always the answer."},
		{Path: "c", Title: "SQLite WAL", Body: "Write-ahead logging lets readers run while one writer commits."},
	} {
		if err := tr.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(context.Background()); err != nil {
		t.Fatal(err)
	}
	return tr
}

func titles(hs interface {
	Len() int
}, get func(i int) orm.Hit[Doc]) string {
	var s []string
	for i := range hs.Len() {
		s = append(s, get(i).Entity.Title)
	}
	return strings.Join(s, "|")
}

func TestSearchRankingSnippetsAndTriggers(t *testing.T) {
	db := openTest(t, Doc{})
	ctx := context.Background()
	tr := seedDocs(t, db)
	ro := db.ReadOnly()
	hits, err := orm.Search[Doc](ctx, ro, "channel*", orm.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(hits, hits.At); got != "Channels in Go|Mutexes" {
		t.Errorf("Search(channel*) = %q, want the channel doc ranked first", got)
	}
	if h := hits.At(0); !strings.Contains(h.Snippet, "[Channels]") || h.Rank >= 0 {
		t.Errorf("hit 0 = snippet %q rank %v, want marked term and negative bm25", h.Snippet, h.Rank)
	}
	hits, err = orm.Search[Doc](ctx, ro, "writer", orm.SearchOptions{SnippetColumn: "body", Before: "<b>", After: "</b>"})
	if err != nil || hits.Len() != 1 || !strings.Contains(hits.At(0).Snippet, "<b>writer</b>") {
		t.Fatalf("Search(writer) = %v, %v", hits, err)
	}
	// Update and delete keep the index in sync (triggers).
	d, err := orm.Find[Doc](ctx, tr, hits.At(0).Entity.ID)
	if err != nil {
		t.Fatal(err)
	}
	d.Body = "Now about pelicans."
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if hits, _ := orm.Search[Doc](ctx, ro, "writer", orm.SearchOptions{}); hits.Len() != 0 {
		t.Errorf("stale index after update: %v", hits)
	}
	if hits, _ := orm.Search[Doc](ctx, ro, "pelicans", orm.SearchOptions{}); hits.Len() != 1 {
		t.Errorf("update not indexed: %v", hits)
	}
	if err := tr.Remove(d); err != nil {
		t.Fatal(err)
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if hits, _ := orm.Search[Doc](ctx, ro, "pelicans", orm.SearchOptions{}); hits.Len() != 0 {
		t.Errorf("deleted row still indexed: %v", hits)
	}
	// Column filters and boolean operators are part of the language.
	hits, err = orm.Search[Doc](ctx, ro, "title:mutexes OR goroutines", orm.SearchOptions{Limit: 1})
	if err != nil || hits.Len() != 1 {
		t.Errorf("Search with Limit 1 = %v, %v", hits, err)
	}
}

func TestSearchMalformedAndInjection(t *testing.T) {
	db := openTest(t, Doc{})
	ctx := context.Background()
	seedDocs(t, db)
	ro := db.ReadOnly()
	for _, expr := range []string{
		`"unterminated`, `AND`, `a AND`, `(a`, `nosuchcol: x`, `*`, `NEAR(`, `   `, ``,
	} {
		_, err := orm.Search[Doc](ctx, ro, expr, orm.SearchOptions{})
		var se *orm.SearchError
		if !errors.As(err, &se) || !errors.Is(err, orm.ErrSearchSyntax) {
			t.Errorf("Search(%q) = %v, want *SearchError", expr, err)
		}
	}
	// SQL in a search expression is text to search for, never SQL.
	for _, expr := range []string{
		`x'); DROP TABLE doc; --`, `" OR 1=1 --`, `'; DELETE FROM doc_fts; --`,
	} {
		if _, err := orm.Search[Doc](ctx, ro, expr, orm.SearchOptions{}); err != nil && !errors.Is(err, orm.ErrSearchSyntax) {
			t.Errorf("Search(%q) = %v, want results or a SearchError", expr, err)
		}
	}
	if n, err := orm.Select[Doc](ro).Count(ctx); err != nil || n != 3 {
		t.Errorf("after injection attempts Count = %d, %v, want 3", n, err)
	}
	if hits, err := orm.Search[Doc](ctx, ro, "goroutines", orm.SearchOptions{}); err != nil || hits.Len() != 1 {
		t.Errorf("index damaged: %v, %v", hits, err)
	}
	if _, err := orm.Search[Item](ctx, ro, "x", orm.SearchOptions{}); !errors.Is(err, orm.ErrModel) {
		t.Errorf("Search on a model without fts fields = %v, want ErrModel", err)
	}
}

func TestValueInjectionIsNeutralised(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	tr := db.Tracking()
	evil := []string{
		`'; DROP TABLE user; --`, `" OR "1"="1`, `x' OR '1'='1`, `\'; DELETE FROM user; --`, "\x00nul", `%`, `_`,
	}
	for i, s := range evil {
		if err := tr.Add(&User{Email: s, Name: s, Age: i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		t.Fatal(err)
	}
	ro := db.ReadOnly()
	for _, s := range evil {
		us, err := orm.Select[User](ro).Where(orm.Eq("name", s)).All(ctx)
		if err != nil || us.Len() != 1 || us.At(0).Email != s {
			t.Errorf("Eq(name, %q) = %v, %v; want exactly that row", s, us, err)
		}
		us, err = orm.Select[User](ro).Where(orm.Like("name", orm.EscapeLike(s))).All(ctx)
		if err != nil || us.Len() != 1 {
			t.Errorf("Like(name, EscapeLike(%q)) = %d rows, %v; want 1", s, us.Len(), err)
		}
		sql, args, err := orm.Select[User](ro).Where(orm.Eq("name", s)).SQL()
		if err != nil || strings.Contains(sql, s) || len(args) != 1 || args[0] != s {
			t.Errorf("SQL for %q = %q %v: the value must be a bound parameter", s, sql, args)
		}
	}
	if n, err := orm.Select[User](ro).Count(ctx); err != nil || n != int64(len(evil)) {
		t.Errorf("Count = %d, %v, want %d", n, err, len(evil))
	}
	// Raw SQL binds its arguments too.
	us, err := orm.Raw[User](ctx, ro, "SELECT * FROM user WHERE name = ?", evil[0])
	if err != nil || us.Len() != 1 {
		t.Errorf("Raw with an evil argument = %v, %v", us, err)
	}
	// A raw result column the model lacks is a typed error.
	if _, err := orm.Raw[User](ctx, ro, "SELECT id, 1 AS nope FROM user"); !errors.Is(err, orm.ErrUnknownColumn) {
		t.Errorf("Raw with an unknown column = %v, want ErrUnknownColumn", err)
	}
}
