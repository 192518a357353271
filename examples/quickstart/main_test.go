package main

import (
	"strings"
	"testing"
)

func TestTourRuns(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, s := range steps {
		if !strings.Contains(out.String(), "== "+s.name) {
			t.Errorf("tour output lacks step %q:\n%s", s.name, out.String())
		}
	}
}
