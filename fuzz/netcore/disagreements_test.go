package netcore_test

import (
	"bufio"
	"bytes"
	"io"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/dext-go/dext/netcore/http1/h1test"
)

// disagreements lists every conformance case on which the parser and
// net/http's ReadRequest (plus reading the body) disagree about accepting
// the first request, with the reason. README.md carries the same table.
// "ours" means we accept and net/http refuses; every other entry is a
// request we refuse and net/http accepts.
var disagreements = map[string]string{
	// We accept, net/http refuses (encoded as exceptions in FuzzDifferential).
	"leading empty line":       "ours: RFC 9112 §2.2 (SHOULD ignore at least one empty line)",
	"four leading empty lines": "ours: RFC 9112 §2.2",
	"chunk extensions":         "ours: RFC 9112 §7.1.1 allows BWS before ';'",
	// We refuse, net/http accepts.
	"bare LF ends request line":         "RFC 9112 §2.2 MAY: refused to rule out LF/CRLF framing confusion",
	"bare LF ends header":               "RFC 9112 §2.2 MAY",
	"bare LF ends head":                 "RFC 9112 §2.2 MAY",
	"HTTP/2.0":                          "RFC 9110 §15.6.6: 505 (net/http's server also refuses; ReadRequest does not)",
	"HTTP/0.9 version":                  "RFC 9110 §15.6.6: 505",
	"HTTP/1.2":                          "RFC 9110 §15.6.6: only 1.0 and 1.1 are served",
	"non-ASCII target":                  "RFC 9112 §3.2 / RFC 3986: not a URI",
	"fragment in target":                "RFC 9112 §3.2.1: no fragment in origin-form",
	"asterisk with GET":                 "RFC 9112 §3.2.4: only OPTIONS",
	"authority-form without CONNECT":    "RFC 9112 §3.2.3: only CONNECT",
	"CONNECT with path":                 "RFC 9112 §3.2.3: CONNECT takes authority-form",
	"CONNECT without port":              "RFC 9110 §9.3.6: host:port",
	"absolute-form with userinfo":       "RFC 9110 §4.2.4: userinfo is an error",
	"absolute-form empty host":          "RFC 9110 §4.2.1: empty host is invalid",
	"absolute-form other scheme":        "only http and https",
	"request line over 8 KiB":           "limit: 414 (ReadRequest has no limit)",
	"obs-fold":                          "RFC 9112 §5.2: server may reject; we do",
	"obs-fold with tab":                 "RFC 9112 §5.2",
	"space before colon":                "RFC 9112 §5.1: MUST reject with 400",
	"missing Host":                      "RFC 9112 §3.2 (net/http's server refuses; ReadRequest does not)",
	"Host with path":                    "RFC 9110 §7.2 (net/http's server refuses)",
	"Host with userinfo":                "RFC 9110 §7.2",
	"Host with bad port":                "RFC 9110 §7.2",
	"Host with space":                   "RFC 9110 §7.2",
	"Host IPv6 garbage after bracket":   "RFC 9110 §7.2: host [ \":\" port ]",
	"Host invalid IPv6 literal":         "RFC 3986 §3.2.2: IPv6address",
	"Host empty brackets":               "RFC 3986 §3.2.2: IP-literal",
	"Host unclosed bracket":             "RFC 3986 §3.2.2: IP-literal",
	"Host percent-encoded":              "percent-encoding in a Host is refused (net/http's URL parser limits it too)",
	"CONNECT empty port":                "RFC 9110 §9.3.6: host:port",
	"33 trailer fields":                 "limit: 431",
	"101 header fields":                 "limit: 431",
	"header section over 64 KiB":        "limit: 431",
	"CL and TE":                         "RFC 9112 §6.1: MAY reject; we do (smuggling)",
	"TE and CL":                         "RFC 9112 §6.1",
	"duplicate identical CL":            "RFC 9110 §8.6: MAY reject; we do",
	"CL over body limit":                "limit: 413",
	"TE obs-folded":                     "RFC 9112 §5.2",
	"TE space before colon":             "RFC 9112 §5.1: MUST reject",
	"TE in HTTP/1.0":                    "RFC 9112 §6.1: faulty framing",
	"CL.TE smuggling attempt":           "RFC 9112 §6.1, §11.2",
	"chunk size whitespace without ext": "RFC 9112 §7.1.1: BWS only before ';'",
	"chunk ext without name":            "RFC 9112 §7.1.1 grammar",
	"chunk ext bad value":               "RFC 9112 §7.1.1 grammar",
	"chunk ext control byte":            "RFC 9112 §7.1.1 grammar",
	"chunk ext unterminated quote":      "RFC 9112 §7.1.1 grammar",
	"trailer obs-fold":                  "RFC 9112 §7.1.2: field-line rules",
	"trailer bad name":                  "RFC 9112 §7.1.2: field-line rules",
	"trailer too large":                 "limit: 431",
	"chunked over body limit":           "limit: 413",
}

// TestDisagreementsWithNetHTTP recomputes the table above, so that it
// cannot drift from the code.
func TestDisagreementsWithNetHTTP(t *testing.T) {
	got := map[string]bool{}
	for _, c := range h1test.Cases {
		ours := h1test.Drive([]byte(c.Raw), h1test.Options{MaxBody: c.MaxBody})
		oursOK := len(ours.Requests) > 0
		req, err := http.ReadRequest(bufio.NewReaderSize(bytes.NewReader([]byte(c.Raw)), 64<<10))
		if err == nil {
			_, err = io.ReadAll(req.Body)
		}
		if oursOK != (err == nil) {
			got[c.Name] = true
			if _, ok := disagreements[c.Name]; !ok {
				t.Errorf("case %q: ours accepts=%v, net/http accepts=%v (%v): not listed", c.Name, oursOK, err == nil, err)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(disagreements)) {
		if !got[name] {
			t.Errorf("case %q is listed as a disagreement but both agree", name)
		}
	}
}
