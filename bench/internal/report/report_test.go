package report

import (
	"flag"
	"strings"
	"testing"
)

func TestSplice(t *testing.T) {
	s := Suite{Name: "x", Title: "X"}
	doc := Splice("# Results\n", "x", "<!-- begin x -->\nold\n<!-- end x -->\n")
	doc = Splice(doc, "y", "<!-- begin y -->\nwhy\n<!-- end y -->\n")
	doc = Splice(doc, "x", "<!-- begin x -->\nnew\n<!-- end x -->\n")
	if strings.Contains(doc, "old") || !strings.Contains(doc, "new") || !strings.Contains(doc, "why") {
		t.Fatalf("Splice = %q", doc)
	}
	if strings.Index(doc, "new") > strings.Index(doc, "why") {
		t.Fatalf("Splice moved section x after y: %q", doc)
	}
	_ = s
}

func TestFormatRatio(t *testing.T) {
	tests := []struct {
		give float64
		want string
	}{
		{0.5, "2.00× faster"},
		{2, "2.00× slower"},
		{1, "1.00× faster"},
		{0, "n/a"},
	}
	for _, tt := range tests {
		if got := FormatRatio(tt.give); got != tt.want {
			t.Errorf("FormatRatio(%v) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestCompareRecordsGoal(t *testing.T) {
	// testing.Benchmark honours -test.benchtime; keep this test quick.
	old := flag.Lookup("test.benchtime").Value.String()
	if err := flag.Set("test.benchtime", "20ms"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := flag.Set("test.benchtime", old); err != nil {
			t.Error(err)
		}
	})
	r := NewRecorder("t", 1, nil, nil)
	fast := func(b *testing.B) {
		for b.Loop() {
		}
	}
	slow := func(b *testing.B) {
		for b.Loop() {
			_ = make([]byte, 64)
		}
	}
	r.Compare("fast vs slow", Goal{Text: "0 allocs", MaxAllocs: 0}, fast, slow)
	r.Compare("slow vs fast", Goal{Text: "0 allocs", MaxAllocs: 0}, slow, fast)
	rows := r.Rows()
	if len(rows) != 2 || rows[0].Met != "yes" {
		t.Fatalf("rows = %+v", rows)
	}
	// make([]byte, 64) may be optimised away; only check the first row strictly.
	if !strings.Contains(rows[0].Command, "-only t") {
		t.Errorf("Command = %q", rows[0].Command)
	}
}
