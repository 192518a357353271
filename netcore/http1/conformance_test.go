package http1_test

import (
	"errors"
	"testing"

	"github.com/dext-go/dext/netcore/http1"
	"github.com/dext-go/dext/netcore/http1/h1test"
)

func TestConformance(t *testing.T) {
	for _, c := range h1test.Cases {
		t.Run(c.Name, func(t *testing.T) {
			res := h1test.Drive([]byte(c.Raw), h1test.Options{MaxBody: c.MaxBody})
			if err := c.Check(res); err != nil {
				t.Fatalf("Drive(%q): %v", trunc(c.Raw), err)
			}
			// Byte by byte gives the same outcome.
			ones := make([]int, len(c.Raw))
			res1 := h1test.Drive([]byte(c.Raw), h1test.Options{MaxBody: c.MaxBody, Splits: ones})
			if err := c.Check(res1); err != nil {
				t.Fatalf("Drive(%q) byte by byte: %v", trunc(c.Raw), err)
			}
		})
	}
}

func TestConformanceTableSize(t *testing.T) {
	if n := len(h1test.Cases); n < 80 {
		t.Fatalf("len(Cases) = %d, want at least 80", n)
	}
	seen := map[string]bool{}
	for _, c := range h1test.Cases {
		if seen[c.Name] {
			t.Errorf("duplicate case name %q", c.Name)
		}
		seen[c.Name] = true
	}
}

func trunc(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// TestConformanceReachesEveryError checks that the table exercises every
// protocol error the package defines.
func TestConformanceReachesEveryError(t *testing.T) {
	seen := map[*http1.ProtocolError]bool{}
	for _, c := range h1test.Cases {
		res := h1test.Drive([]byte(c.Raw), h1test.Options{MaxBody: c.MaxBody})
		if pe, ok := errors.AsType[*http1.ProtocolError](res.Err); ok {
			seen[pe] = true
		}
	}
	for _, e := range http1.ProtocolErrors {
		if !seen[e] {
			t.Errorf("no conformance case yields %q", e.Error())
		}
	}
}
