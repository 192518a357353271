package netcore_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dext-go/dext/netcore/http1/h1test"
)

// FuzzDifferential compares the parser with net/http's ReadRequest. Our
// parser is stricter by design, so the rule is one-sided: whenever ours
// accepts a request, net/http must accept it too, and both must agree on
// method, target, Host, connection persistence, header fields (canonical
// names), body and trailers. The exceptions are the ones listed in
// README.md; each is encoded below, as narrowly as possible.
func FuzzDifferential(f *testing.F) {
	addSeeds(f, false)
	f.Fuzz(func(t *testing.T, data []byte) {
		ours := h1test.Drive(data, h1test.Options{MaxBody: fuzzMaxBody})
		if len(ours.Requests) == 0 {
			return // ours refused or needs more: net/http may do anything
		}
		// A 64 KiB buffer lifts net/http's implicit 4 KiB trailer limit
		// (seeUpcomingDoubleCRLF) above ours; its chunk-line limit (4 KiB)
		// stays above ours (1 KiB).
		br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		// Every request we accept, pipelined ones included, must be read
		// the same by net/http from the same stream: this is what shows
		// that both frame bodies alike (no request smuggling).
		for i, want := range ours.Requests {
			if !sameAsNetHTTP(t, data, i, want, br) {
				return
			}
		}
	})
}

// sameAsNetHTTP reads the next request from br with net/http and compares
// it with want, the i-th request we accepted from data. It returns false
// when a listed exception stops the comparison.
func sameAsNetHTTP(t *testing.T, data []byte, i int, want h1test.Request, br *bufio.Reader) bool {
	t.Helper()
	// Exception 1 (RFC 9112 §2.2): we skip up to four empty lines before
	// a request line; net/http does not. Skip them for it.
	for {
		p, _ := br.Peek(2)
		if string(p) != "\r\n" {
			break
		}
		_, _ = br.Discard(2)
	}
	req, err := http.ReadRequest(br)
	if err != nil {
		t.Fatalf("we accept %q, request %d as %+v; net/http refuses it: %v", data, i, want, err)
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, fuzzMaxBody+1))
	// Exception 2 (RFC 9112 §7.1.1): chunk-ext = *( BWS ";" ... ), so
	// whitespace may precede the ';' of a chunk extension; net/http cuts
	// the line at ';' and then refuses the space in the size.
	if err != nil && err.Error() == "invalid byte in chunk length" && want.Chunked && bwsBeforeExt.Match(data) {
		return false
	}
	if err != nil {
		t.Fatalf("we accept %q, request %d with body %q; net/http fails reading it: %v", data, i, want.Body, err)
	}
	if req.Method != want.Method || req.RequestURI != want.Target || req.Host != want.Host || req.Proto != want.Proto {
		t.Fatalf("%q request %d: net/http %s %s %s host %q, ours %s %s %s host %q", data, i,
			req.Method, req.RequestURI, req.Proto, req.Host, want.Method, want.Target, want.Proto, want.Host)
	}
	if req.Close == want.KeepAlive {
		t.Fatalf("%q request %d: net/http Close=%v, ours KeepAlive=%v", data, i, req.Close, want.KeepAlive)
	}
	if string(body) != want.Body {
		t.Fatalf("%q request %d: net/http body %q, ours %q", data, i, body, want.Body)
	}
	if chunked := slices.Equal(req.TransferEncoding, []string{"chunked"}); chunked != want.Chunked {
		t.Fatalf("%q request %d: net/http TransferEncoding %q, ours chunked=%v", data, i, req.TransferEncoding, want.Chunked)
	}
	theirs := http.Header(req.Header).Clone()
	oursH := canon(want.Headers)
	// net/http moves these out of Header (into Host, TransferEncoding,
	// Trailer); they are compared above.
	for _, k := range []string{"Host", "Transfer-Encoding", "Trailer"} {
		delete(theirs, k)
		delete(oursH, k)
	}
	// Exception 3: net/http adds "Cache-Control: no-cache" to a request
	// with "Pragma: no-cache" and no Cache-Control (an HTTP/1.0 cache
	// compatibility rewrite, not in RFC 9111); we report the fields as
	// received.
	if _, had := oursH["Cache-Control"]; !had && slices.Equal(theirs["Cache-Control"], []string{"no-cache"}) {
		delete(theirs, "Cache-Control")
	}
	if !sameHeader(theirs, oursH) {
		t.Fatalf("%q request %d: net/http headers %q, ours %q", data, i, theirs, oursH)
	}
	if tr := canon(want.Trailers); len(tr) > 0 || len(req.Trailer) > 0 {
		if !sameHeader(req.Trailer, tr) {
			t.Fatalf("%q request %d: net/http trailers %q, ours %q", data, i, req.Trailer, tr)
		}
	}
	return true
}

// bwsBeforeExt finds a chunk-size line with whitespace before ';'.
var bwsBeforeExt = regexp.MustCompile("(?m)^[0-9A-Fa-f]+[ \t]+;")

func canon(lines []string) http.Header {
	h := http.Header{}
	for _, l := range lines {
		name, value, _ := strings.Cut(l, ": ")
		k := textproto.CanonicalMIMEHeaderKey(name)
		h[k] = append(h[k], value)
	}
	return h
}

func sameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
