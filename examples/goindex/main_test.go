package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunSmallTree runs the whole command on a three-file tree.
func TestRunSmallTree(t *testing.T) {
	root := t.TempDir()
	for name, src := range map[string]string{
		"a/a.go":      "package a\n\n// goroutine channel mutex unlock\nfunc A() {}\n",
		"b/b.go":      "package b\n\n// http json tcp\nfunc B() {}\n",
		"b/b_test.go": "package b\n\n// benchmark parse sort\n",
		"README":      "not go",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	if err := run(context.Background(), &out, root, filepath.Join(t.TempDir(), "x.db"), 1); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"indexed 3 files", "files/s", "database size", "goroutine", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
