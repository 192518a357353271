package http1

import (
	"errors"
	"strings"
	"testing"
)

// TestParserScansOnce checks that an unfinished head is never rescanned:
// after each ErrIncomplete the parser resumes at the end of its input (or
// at a lone CR of a leading empty line, one byte before it).
func TestParserScansOnce(t *testing.T) {
	heads := []string{
		"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("v", 5000) + "\r\n\r\n",
		"POST /" + strings.Repeat("p", 3000) + " HTTP/1.1\r\nHost: a\r\n" + strings.Repeat("A: b\r\n", 50) + "\r\n",
	}
	for _, head := range heads {
		var p Parser
		var h Head
		for i := 1; i < len(head); i++ {
			_, err := p.Parse([]byte(head[:i]), &h)
			if !errors.Is(err, ErrIncomplete) {
				t.Fatalf("Parse(%q) = %v, want ErrIncomplete", head[:i], err)
			}
			loneCR := p.scanned == i-1 && head[i-1] == '\r' && !p.inHead
			if p.scanned != i && !loneCR {
				t.Fatalf("after Parse(prefix %d) the parser resumes at %d: bytes would be scanned again", i, p.scanned)
			}
		}
		if n, err := p.Parse([]byte(head), &h); err != nil || n != len(head) {
			t.Fatalf("Parse(whole) = %d, %v", n, err)
		}
	}
}
