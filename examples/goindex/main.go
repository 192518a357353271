// Command goindex indexes every .go file under $(go env GOROOT)/src into a
// full-text model with the orm module, then reports how fast it indexed,
// how large the database is, and the p50/p99 latency of 20 fixed searches.
//
//	go run ./examples/goindex                 # index GOROOT/src into a temporary database
//	go run ./examples/goindex -db go.db -runs 50
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dext-go/dext/orm"
)

// GoFile is one source file. Path and Content are full-text indexed.
type GoFile struct {
	ID      int64  `orm:"pk,autoincrement"`
	Path    string `orm:"unique,fts"`
	Package string `orm:"index"`
	Content string `orm:"fts"`
	Size    int
	Lines   int
}

// queries are the 20 fixed searches timed by the report.
var queries = []string{
	"goroutine",
	"mutex AND unlock",
	`"context deadline"`,
	"http*",
	"json NOT xml",
	"channel",
	"tcp OR udp",
	"utf8",
	"atomic*",
	"NEAR(read write, 5)",
	"sort",
	"Fprintf",
	"reflect AND unsafe",
	"deadlock",
	"hash*",
	"crypto AND tls",
	"gzip",
	"path:test",
	"parse*",
	"benchmark",
}

func main() {
	root := flag.String("root", "", "tree to index (default: $(go env GOROOT)/src)")
	dbPath := flag.String("db", "", "database file (default: a temporary one, removed afterwards)")
	runs := flag.Int("runs", 25, "timed runs of each query")
	flag.Parse()
	if *root == "" {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			fmt.Fprintln(os.Stderr, "goindex: go env GOROOT:", err)
			os.Exit(1)
		}
		*root = filepath.Join(strings.TrimSpace(string(out)), "src")
	}
	if err := run(context.Background(), os.Stdout, *root, *dbPath, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "goindex:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, root, dbPath string, runs int) error {
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "goindex")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "go.db")
	}
	db, err := orm.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, orm.Migration{Version: 1, Name: "files", Models: []any{GoFile{}}}); err != nil {
		return err
	}
	if n, err := orm.Select[GoFile](db.ReadOnly()).Count(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("%s already holds %d files; give a new -db", dbPath, n)
	}

	files, bytes, elapsed, err := index(ctx, db, root)
	if err != nil {
		return err
	}
	if err := db.Checkpoint(ctx); err != nil {
		return err
	}
	size, err := dbSize(dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "indexed %d files (%.1f MB of Go source) from %s in %v\n", files, float64(bytes)/1e6, root, elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "throughput: %.0f files/s, %.1f MB/s\n", float64(files)/elapsed.Seconds(), float64(bytes)/1e6/elapsed.Seconds())
	fmt.Fprintf(w, "database size: %.1f MB (%.2f× the source)\n", float64(size)/1e6, float64(size)/float64(bytes))

	ro := db.ReadOnly()
	var all []time.Duration
	fmt.Fprintf(w, "\n%-24s %8s %10s %10s\n", "query", "hits", "p50", "p99")
	for _, q := range queries {
		var lat []time.Duration
		var hits int
		for i := range runs + 2 {
			start := time.Now()
			hs, err := orm.Search[GoFile](ctx, ro, q, orm.SearchOptions{Limit: 20, SnippetColumn: "content"})
			d := time.Since(start)
			if err != nil {
				return fmt.Errorf("search %q: %w", q, err)
			}
			if i < 2 {
				continue // warm-up
			}
			hits = hs.Len()
			lat = append(lat, d)
		}
		all = append(all, lat...)
		fmt.Fprintf(w, "%-24s %8d %10v %10v\n", q, hits, pct(lat, 50), pct(lat, 99))
	}
	fmt.Fprintf(w, "\nall %d searches (top 20 by bm25, with snippets): p50 %v, p99 %v\n", len(all), pct(all, 50), pct(all, 99))
	return nil
}

// index walks root and saves the files in batches, each in one transaction.
func index(ctx context.Context, db *orm.DB, root string) (files, bytes int, elapsed time.Duration, err error) {
	const batch = 500
	start := time.Now()
	tr := db.Tracking()
	pending := 0
	flush := func() error {
		if pending == 0 {
			return nil
		}
		if err := tr.SaveChanges(ctx); err != nil {
			return err
		}
		tr, pending = db.Tracking(), 0 // a fresh unit of work: nothing left to track
		return nil
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		f := &GoFile{Path: filepath.ToSlash(rel), Package: packageName(b), Content: string(b), Size: len(b), Lines: strings.Count(string(b), "\n")}
		if err := tr.Add(f); err != nil {
			return err
		}
		files++
		bytes += len(b)
		if pending++; pending == batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return files, bytes, time.Since(start), err
}

// packageName returns the name in the file's package clause.
func packageName(src []byte) string {
	for line := range strings.Lines(string(src)) {
		if name, ok := strings.CutPrefix(line, "package "); ok {
			return strings.TrimSpace(strings.Fields(name + " ")[0])
		}
	}
	return ""
}

func dbSize(path string) (int64, error) {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, err
		}
		total += st.Size()
	}
	return total, nil
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	return s[max(i, 0)].Round(time.Microsecond)
}
