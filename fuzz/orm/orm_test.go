package orm_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dext-go/dext/orm"
)

type Doc struct {
	ID    int64  `orm:"pk,autoincrement"`
	Name  string `orm:"index"`
	Title string `orm:"fts"`
	Body  string `orm:"fts"`
	Size  int
}

var docs = []Doc{
	{Name: "alpha", Title: "Channels and goroutines", Body: "share memory by communicating", Size: 10},
	{Name: "beta", Title: "Mutex", Body: "guard shared state; don't communicate by sharing memory", Size: 20},
	{Name: "o'neil", Title: `quotes " and '`, Body: "SELECT * FROM doc; DROP TABLE doc; --", Size: 30},
	{Name: "100%_sure", Title: "percent", Body: "LIKE wildcards % and _ in data", Size: 40},
}

func openDocs(f *testing.F) *orm.DB {
	ctx := context.Background()
	db, err := orm.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), orm.WithReaders(2))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if err := db.CreateTables(ctx, Doc{}); err != nil {
		f.Fatal(err)
	}
	tr := db.Tracking()
	for i := range docs {
		d := docs[i]
		if err := tr.Add(&d); err != nil {
			f.Fatal(err)
		}
	}
	if err := tr.SaveChanges(ctx); err != nil {
		f.Fatal(err)
	}
	return db
}

func checkIntact(t *testing.T, db *orm.DB) {
	t.Helper()
	ctx := context.Background()
	if n, err := orm.Select[Doc](db.ReadOnly()).Count(ctx); err != nil || n != int64(len(docs)) {
		t.Fatalf("table changed: Count = %d, %v", n, err)
	}
	if hits, err := orm.Search[Doc](ctx, db.ReadOnly(), "memory", orm.SearchOptions{}); err != nil || hits.Len() != 2 {
		t.Fatalf("index changed: %d hits, %v", hits.Len(), err)
	}
}

// FuzzSearch feeds arbitrary full-text expressions to Search: each gives
// hits or a *SearchError, never a panic, another error or a changed table.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"memory", "share*", `"share memory"`, "title:mutex", "memory AND NOT guard", "NEAR(share memory, 2)",
		`"unterminated`, "AND", "(", "nosuchcol: x", "*", "^memory", "memory OR", "'; DROP TABLE doc; --",
		`" OR 1=1 --`, "\x00", "ünïcödé", "a:b:c", "-memory", "+", "title:(mutex OR channels)", "{title body}: memory",
	} {
		f.Add(s)
	}
	db := openDocs(f)
	f.Fuzz(func(t *testing.T, expr string) {
		ctx := context.Background()
		hits, err := orm.Search[Doc](ctx, db.ReadOnly(), expr, orm.SearchOptions{Limit: 5})
		if err != nil {
			var se *orm.SearchError
			if !errors.As(err, &se) || !errors.Is(err, orm.ErrSearchSyntax) {
				t.Fatalf("Search(%q) = %v (%T), want hits or *SearchError", expr, err, err)
			}
		} else if hits.Len() > 5 {
			t.Fatalf("Search(%q) returned %d hits, limit 5", expr, hits.Len())
		}
		checkIntact(t, db)
	})
}

// FuzzQueryBuilder builds queries from arbitrary column names and values:
// an unknown column is a *ColumnError when the query is built; a known one
// runs, and an equality or escaped LIKE on name finds exactly the rows an
// in-memory filter finds.
func FuzzQueryBuilder(f *testing.F) {
	for _, c := range []struct {
		col, val string
		op       uint8
		n        int64
	}{
		{"name", "alpha", 0, 1}, {"Name", "o'neil", 1, 0}, {"size", "", 2, 20}, {"nme", "x", 0, 0},
		{`name"; DROP TABLE doc; --`, "x", 3, 0}, {"title", "%", 4, 0}, {"name", "100%_sure", 5, 0},
		{"", "", 6, -1}, {"body", "SELECT", 7, 5}, {"id", "1", 8, 2},
	} {
		f.Add(c.col, c.val, c.op, c.n)
	}
	db := openDocs(f)
	f.Fuzz(func(t *testing.T, col, val string, op uint8, n int64) {
		ctx := context.Background()
		build := func(val string) orm.Query[Doc] {
			var cond orm.Cond
			switch op % 9 {
			case 0:
				cond = orm.Eq(col, val)
			case 1:
				cond = orm.Ne(col, val)
			case 2:
				cond = orm.Gt(col, n)
			case 3:
				cond = orm.Le(col, n)
			case 4:
				cond = orm.Like(col, val)
			case 5:
				cond = orm.Like(col, orm.EscapeLike(val))
			case 6:
				cond = orm.Or(orm.IsNull(col), orm.Not(orm.Lt(col, val)))
			case 7:
				cond = orm.In(col, val, n)
			case 8:
				cond = orm.And(orm.Ge(col, n), orm.Ne(col, nil))
			}
			return orm.Select[Doc](db.ReadOnly()).Where(cond).OrderBy("id").Limit(int(n % 10))
		}
		q := build(val)
		known := false
		for _, c := range []string{"id", "name", "title", "body", "size", "ID", "Name", "Title", "Body", "Size"} {
			known = known || c == col
		}
		if !known {
			if err := q.Err(); !errors.Is(err, orm.ErrUnknownColumn) {
				t.Fatalf("column %q: build error %v, want ErrUnknownColumn", col, err)
			}
			return
		}
		sql, args, err := q.SQL()
		if err != nil {
			t.Fatalf("SQL: %v", err)
		}
		// Values are bound: the SQL text does not depend on them.
		if other, _, _ := build("v").SQL(); other != sql {
			t.Fatalf("SQL text depends on the value %q:\n%s\n%s", val, sql, other)
		}
		got, err := q.All(ctx)
		if err != nil {
			t.Fatalf("All(%s %v): %v", sql, args, err)
		}
		if n%10 >= 0 && int64(got.Len()) > n%10 {
			t.Fatalf("%d rows despite Limit(%d)", got.Len(), n%10)
		}
		if (op%9 == 0 || op%9 == 5) && strings.EqualFold(col, "name") && n%10 < 0 {
			want := 0
			for _, d := range docs {
				if d.Name == val || (op%9 == 5 && utf8.ValidString(val) && strings.EqualFold(d.Name, val) && isASCII(val)) {
					want++
				}
			}
			if got.Len() != want {
				t.Fatalf("%s %v: %d rows, want %d", sql, args, got.Len(), want)
			}
		}
		checkIntact(t, db)
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
