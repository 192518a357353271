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
		want := ours.Requests[0]

		// Exception 1 (RFC 9112 §2.2): we skip up to four empty lines
		// before the request line; net/http does not. Give net/http the
		// bytes after them.
		in := data
		for bytes.HasPrefix(in, []byte("\r\n")) {
			in = in[2:]
		}
		// A 64 KiB buffer lifts net/http's implicit 4 KiB trailer limit
		// (seeUpcomingDoubleCRLF) above ours; its chunk-line limit (4 KiB)
		// stays above ours (1 KiB).
		br := bufio.NewReaderSize(bytes.NewReader(in), 64<<10)
		req, err := http.ReadRequest(br)
		if err != nil {
			t.Fatalf("we accept %q as %+v, net/http refuses it: %v", data, want, err)
		}
		body, err := io.ReadAll(io.LimitReader(req.Body, fuzzMaxBody+1))
		// Exception 3 (RFC 9112 §7.1.1): chunk-ext = *( BWS ";" ... ), so
		// whitespace may precede the ';' of a chunk extension; net/http
		// cuts the line at ';' and then refuses the space in the size.
		if err != nil && err.Error() == "invalid byte in chunk length" && want.Chunked && bwsBeforeExt.Match(data) {
			return
		}
		if err != nil {
			t.Fatalf("we accept %q with body %q, net/http fails reading it: %v", data, want.Body, err)
		}
		if req.Method != want.Method || req.RequestURI != want.Target || req.Host != want.Host {
			t.Fatalf("%q: net/http %s %s host %q, ours %s %s host %q", data, req.Method, req.RequestURI, req.Host, want.Method, want.Target, want.Host)
		}
		if got := req.ProtoMajor*10 + req.ProtoMinor; want.Proto != "HTTP/1."+string(rune('0'+got-10)) {
			t.Fatalf("%q: net/http version %s, ours %s", data, req.Proto, want.Proto)
		}
		if req.Close == want.KeepAlive {
			t.Fatalf("%q: net/http Close=%v, ours KeepAlive=%v", data, req.Close, want.KeepAlive)
		}
		if string(body) != want.Body {
			t.Fatalf("%q: net/http body %q, ours %q", data, body, want.Body)
		}
		if chunked := slices.Equal(req.TransferEncoding, []string{"chunked"}); chunked != want.Chunked {
			t.Fatalf("%q: net/http TransferEncoding %q, ours chunked=%v", data, req.TransferEncoding, want.Chunked)
		}
		theirs := http.Header(req.Header).Clone()
		oursH := canon(want.Headers)
		// net/http moves these out of Header (into Host, TransferEncoding,
		// Trailer); they are compared above.
		for _, k := range []string{"Host", "Transfer-Encoding", "Trailer"} {
			delete(theirs, k)
			delete(oursH, k)
		}
		// Exception 2: net/http adds "Cache-Control: no-cache" to a request
		// with "Pragma: no-cache" and no Cache-Control (an HTTP/1.0 cache
		// compatibility rewrite, not in RFC 9111); we report the fields as
		// received.
		if _, had := oursH["Cache-Control"]; !had && slices.Equal(theirs["Cache-Control"], []string{"no-cache"}) {
			delete(theirs, "Cache-Control")
		}
		if !sameHeader(theirs, oursH) {
			t.Fatalf("%q: net/http headers %q, ours %q", data, theirs, oursH)
		}
		if tr := canon(want.Trailers); len(tr) > 0 || len(req.Trailer) > 0 {
			if !sameHeader(req.Trailer, tr) {
				t.Fatalf("%q: net/http trailers %q, ours %q", data, req.Trailer, tr)
			}
		}
	})
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
