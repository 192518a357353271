package http1

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"pgregory.net/rapid"
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

// TestInvalidValueByteModel checks the word-at-a-time scan against the
// byte table.
func TestInvalidValueByteModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.SliceOfN(rapid.OneOf(rapid.Byte(), rapid.SampledFrom([]byte("\t\x7f\x1f\x20\x80\xffa"))), 0, 40).Draw(t, "v")
		want := -1
		for i, c := range v {
			if !valueTable[c] {
				want = i
				break
			}
		}
		if got := invalidValueByte(v); got != want {
			t.Fatalf("invalidValueByte(%q) = %d, want %d", v, got, want)
		}
	})
}

// TestParserShorterInput checks that a Parser given a shorter buffer than
// before (a caller that forgot Reset) starts over instead of panicking.
func TestParserShorterInput(t *testing.T) {
	var p Parser
	var h Head
	if _, err := p.Parse([]byte("GET / HTTP/1.1\r\nHost: a\r\nX-Long: abcdefgh"), &h); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Parse(partial) = %v", err)
	}
	n, err := p.Parse([]byte("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), &h)
	if err != nil || string(h.Host) != "b" {
		t.Fatalf("Parse(new input) = %d, %v, host %q", n, err, h.Host)
	}
}

// TestValidIPv6Model checks validIPv6 against net/netip on generated
// addresses and near-misses.
func TestValidIPv6Model(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.StringMatching(`([0-9a-fA-F]{0,5}:){0,8}[0-9a-fA-F]{0,5}`),
			rapid.StringMatching(`([0-9a-f]{0,4}:){0,7}:?([0-9]{1,3}\.){3}[0-9]{1,4}`),
			rapid.StringMatching(`[0-9a-f:.]{0,20}`),
		).Draw(t, "s")
		a, err := netip.ParseAddr(s)
		want := err == nil && a.Is6() && a.Zone() == ""
		if got := validIPv6([]byte(s)); got != want {
			t.Fatalf("validIPv6(%q) = %v, netip says %v (%v)", s, got, want, err)
		}
	})
}
