package h1test

import (
	"fmt"
	"strings"
)

// Case is one entry of the conformance table: a raw byte stream, the
// requests a conforming parser accepts from it, and how the stream ends.
type Case struct {
	Name string
	// Raw is the byte stream a client sends.
	Raw string
	// Want are the requests accepted, in order. Only the fields Method,
	// Target, Host, Proto, Body, KeepAlive, Expect100, Chunked and Upgrade
	// are compared, plus Headers and Trailers when not nil.
	Want []Request
	// WantStatus is the status of the error that ends the stream after
	// Want (the server answers it and closes), or 0 when there is none.
	WantStatus int
	// WantIncomplete means the stream ends inside a request: a server
	// waits for more (and eventually times out with 408).
	WantIncomplete bool
	// MaxBody, when > 0, is the body limit to apply (413 past it).
	MaxBody int64
	// RFC names the rule the case checks.
	RFC string
}

// Check compares what [Drive] returned for c.Raw with c's expectations.
func (c Case) Check(res Result) error {
	if len(res.Requests) != len(c.Want) {
		return fmt.Errorf("%d requests accepted, want %d (status %d, err %w)", len(res.Requests), len(c.Want), res.Status, res.Err)
	}
	for i, w := range c.Want {
		g := res.Requests[i]
		if w.Headers == nil {
			g.Headers = nil
		}
		if w.Trailers == nil {
			g.Trailers = nil
		}
		if !g.Equal(w) {
			return fmt.Errorf("request %d = %+v, want %+v", i, g, w)
		}
	}
	if res.Status != c.WantStatus {
		return fmt.Errorf("status %d (err %w), want %d", res.Status, res.Err, c.WantStatus)
	}
	if res.Incomplete != c.WantIncomplete {
		return fmt.Errorf("incomplete = %v, want %v", res.Incomplete, c.WantIncomplete)
	}
	return nil
}

// get builds the expected result of a simple HTTP/1.1 request.
func req(method, target, host string) Request {
	return Request{Method: method, Target: target, Host: host, Proto: "HTTP/1.1", KeepAlive: true}
}

func get(target string) Request { return req("GET", target, "a") }

func withBody(r Request, body string, chunked bool) Request {
	r.Body, r.Chunked = body, chunked
	return r
}

func closing(r Request) Request {
	r.KeepAlive = false
	return r
}

func http10(r Request) Request {
	r.Proto = "HTTP/1.0"
	r.KeepAlive = false
	return r
}

const (
	hostA = "Host: a\r\n"
	get11 = "GET / HTTP/1.1\r\n" + hostA
)

// post returns a POST with the given extra header lines and raw body.
func post(headers, body string) string {
	return "POST /p HTTP/1.1\r\n" + hostA + headers + "\r\n" + body
}

func hdr(name string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s%d: v\r\n", name, i)
	}
	return b.String()
}

var (
	longTarget  = "/" + strings.Repeat("a", 8192-len("GET / HTTP/1.1")) // request line of exactly 8 KiB
	postP       = req("POST", "/p", "a")
	ok          = []Request{get("/")}
	none        = []Request(nil)
	chunkedBody = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
)

// Cases is the conformance table. Statuses follow RFC 9112 and RFC 9110;
// where the RFCs let a server choose, the choice is the one documented in
// package http1.
var Cases = []Case{
	// --- valid requests ---
	{Name: "simple GET", Raw: get11 + "\r\n", Want: ok},
	{Name: "GET with query", Raw: "GET /s?q=1&r=%20 HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{get("/s?q=1&r=%20")}},
	{Name: "HEAD", Raw: "HEAD / HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{req("HEAD", "/", "a")}},
	{Name: "extension method", Raw: "PURGE /x HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{req("PURGE", "/x", "a")}},
	{Name: "HTTP/1.0 without Host", Raw: "GET / HTTP/1.0\r\n\r\n", Want: []Request{http10(req("GET", "/", ""))}, RFC: "9112 §9.3"},
	{Name: "HTTP/1.0 keep-alive", Raw: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
		Want: []Request{{Method: "GET", Target: "/", Proto: "HTTP/1.0", KeepAlive: true}, http10(req("GET", "/2", ""))}, RFC: "9112 §9.3"},
	{Name: "Connection: close", Raw: get11 + "Connection: close\r\n\r\n", Want: []Request{closing(get("/"))}, RFC: "9112 §9.6"},
	{Name: "Connection list with close", Raw: get11 + "Connection: keep-alive, Close\r\n\r\n", Want: []Request{closing(get("/"))}, RFC: "9110 §7.6.1"},
	{Name: "close stops pipelining", Raw: get11 + "Connection: close\r\n\r\n" + get11 + "\r\n", Want: []Request{closing(get("/"))}, RFC: "9112 §9.6"},
	{Name: "header OWS trimmed", Raw: "GET / HTTP/1.1\r\nHost:a\r\nX-A: \t v  w \t\r\n\r\n",
		Want: []Request{{Method: "GET", Target: "/", Host: "a", Proto: "HTTP/1.1", KeepAlive: true, Headers: []string{"Host: a", "X-A: v  w"}}}, RFC: "9112 §5.1"},
	{Name: "empty header value", Raw: get11 + "X-Empty:\r\n\r\n", Want: ok},
	{Name: "obs-text in value", Raw: get11 + "X-T: caf\xc3\xa9\r\n\r\n", Want: ok, RFC: "9110 §5.5"},
	{Name: "empty Host", Raw: "GET / HTTP/1.1\r\nHost:\r\n\r\n", Want: []Request{req("GET", "/", "")}, RFC: "9110 §7.2"},
	{Name: "Host with port", Raw: "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", Want: []Request{req("GET", "/", "example.com:8080")}},
	{Name: "Host IPv6 literal", Raw: "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", Want: []Request{req("GET", "/", "[::1]:80")}},
	{Name: "absolute-form", Raw: "GET http://b.example/x?y HTTP/1.1\r\nHost: ignored\r\n\r\n",
		Want: []Request{req("GET", "http://b.example/x?y", "b.example")}, RFC: "9112 §3.2.2"},
	{Name: "absolute-form empty path", Raw: "GET https://b.example HTTP/1.1\r\nHost: b.example\r\n\r\n",
		Want: []Request{req("GET", "https://b.example", "b.example")}, RFC: "9112 §3.2.2"},
	{Name: "asterisk-form", Raw: "OPTIONS * HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{req("OPTIONS", "*", "a")}, RFC: "9112 §3.2.4"},
	{Name: "authority-form", Raw: "CONNECT b.example:443 HTTP/1.1\r\nHost: b.example:443\r\n\r\n",
		Want: []Request{req("CONNECT", "b.example:443", "b.example:443")}, RFC: "9112 §3.2.3"},
	{Name: "leading empty line", Raw: "\r\n" + get11 + "\r\n", Want: ok, RFC: "9112 §2.2"},
	{Name: "four leading empty lines", Raw: "\r\n\r\n\r\n\r\n" + get11 + "\r\n", Want: ok, RFC: "9112 §2.2"},
	{Name: "Content-Length body", Raw: post("Content-Length: 5\r\n", "hello"), Want: []Request{withBody(postP, "hello", false)}},
	{Name: "Content-Length zero", Raw: post("Content-Length: 0\r\n", ""), Want: []Request{postP}},
	{Name: "Content-Length leading zeros", Raw: post("Content-Length: 005\r\n", "hello"), Want: []Request{withBody(postP, "hello", false)}, RFC: "9110 §8.6"},
	{Name: "Content-Length with OWS", Raw: post("Content-Length:  5 \r\n", "hello"), Want: []Request{withBody(postP, "hello", false)}},
	{Name: "chunked body", Raw: post("Transfer-Encoding: chunked\r\n", chunkedBody), Want: []Request{withBody(postP, "hello world", true)}, RFC: "9112 §7.1"},
	{Name: "chunked case-insensitive", Raw: post("Transfer-Encoding: Chunked\r\n", chunkedBody), Want: []Request{withBody(postP, "hello world", true)}, RFC: "9112 §7"},
	{Name: "chunk size upper hex and zeros", Raw: post("Transfer-Encoding: chunked\r\n", "000A\r\n0123456789\r\n00\r\n\r\n"), Want: []Request{withBody(postP, "0123456789", true)}},
	{Name: "chunk extensions", Raw: post("Transfer-Encoding: chunked\r\n", "5;a=b;c;d=\"q \\\" s\"\r\nhello\r\n0 ; e = f\r\n\r\n"), Want: []Request{withBody(postP, "hello", true)}, RFC: "9112 §7.1.1"},
	{Name: "chunked trailers", Raw: post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-Sum: 1\r\nX-T:  2 \r\n\r\n"),
		Want: []Request{{Method: "POST", Target: "/p", Host: "a", Proto: "HTTP/1.1", KeepAlive: true, Chunked: true, Body: "hello", Trailers: []string{"X-Sum: 1", "X-T: 2"}}}, RFC: "9112 §7.1.2"},
	{Name: "Expect 100-continue", Raw: post("Expect: 100-continue\r\nContent-Length: 2\r\n", "hi"),
		Want: []Request{{Method: "POST", Target: "/p", Host: "a", Proto: "HTTP/1.1", KeepAlive: true, Expect100: true, Body: "hi"}}, RFC: "9110 §10.1.1"},
	{Name: "Expect ignored in HTTP/1.0", Raw: "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n", Want: []Request{http10(req("GET", "/", ""))}, RFC: "9110 §10.1.1"},
	{Name: "Upgrade", Raw: get11 + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
		Want: []Request{{Method: "GET", Target: "/", Host: "a", Proto: "HTTP/1.1", KeepAlive: true, Upgrade: "websocket"}}, RFC: "9110 §7.8"},
	{Name: "Upgrade without Connection option", Raw: get11 + "Upgrade: websocket\r\n\r\n", Want: ok, RFC: "9110 §7.8"},
	{Name: "pipelined GETs", Raw: get11 + "\r\nGET /2 HTTP/1.1\r\n" + hostA + "\r\nGET /3 HTTP/1.1\r\n" + hostA + "\r\n",
		Want: []Request{get("/"), get("/2"), get("/3")}, RFC: "9112 §9.3.2"},
	{Name: "pipelined POST then GET", Raw: post("Content-Length: 5\r\n", "hello") + get11 + "\r\n",
		Want: []Request{withBody(postP, "hello", false), get("/")}},
	{Name: "pipelined chunked then GET", Raw: post("Transfer-Encoding: chunked\r\n", chunkedBody) + get11 + "\r\n",
		Want: []Request{withBody(postP, "hello world", true), get("/")}},
	{Name: "percent-encoded path", Raw: "GET /a%2Fb%c3%A9 HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{get("/a%2Fb%c3%A9")}},
	{Name: "request line of 8 KiB", Raw: "GET " + longTarget + " HTTP/1.1\r\n" + hostA + "\r\n", Want: []Request{get(longTarget)}},
	{Name: "100 header fields", Raw: get11 + hdr("X-", 99) + "\r\n", Want: ok},
	{Name: "header names with tchar", Raw: get11 + "X!#$%&'*+-.^_`|~9: v\r\n\r\n", Want: ok, RFC: "9110 §5.6.2"},

	// --- request line ---
	{Name: "bare LF ends request line", Raw: "GET / HTTP/1.1\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare LF ends header", Raw: "GET / HTTP/1.1\r\nHost: a\n\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare LF ends head", Raw: get11 + "\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare LF leading line", Raw: "\n" + get11 + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare CR in request line", Raw: "GET /\r HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare CR in header value", Raw: get11 + "X: a\rb\r\n\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "bare CR leading", Raw: "\rGET / HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "five leading empty lines", Raw: "\r\n\r\n\r\n\r\n\r\n" + get11 + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "invalid method", Raw: "GE(T / HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.1"},
	{Name: "empty method", Raw: " / HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "double space", Raw: "GET  / HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "tab separator", Raw: "GET\t/ HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "trailing space after version", Raw: "GET / HTTP/1.1 \r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "missing version", Raw: "GET /\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "HTTP/0.9 style", Raw: "GET /\r\n\r\n", WantStatus: 400, RFC: "9112 §3"},
	{Name: "lower-case version", Raw: "GET / http/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.3"},
	{Name: "garbage version", Raw: "GET / HTTP/1.10\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.3"},
	{Name: "HTTP/2.0", Raw: "GET / HTTP/2.0\r\n" + hostA + "\r\n", WantStatus: 505, RFC: "9110 §15.6.6"},
	{Name: "HTTP/0.9 version", Raw: "GET / HTTP/0.9\r\n" + hostA + "\r\n", WantStatus: 505, RFC: "9110 §15.6.6"},
	{Name: "HTTP/1.2", Raw: "GET / HTTP/1.2\r\n" + hostA + "\r\n", WantStatus: 505, RFC: "9110 §15.6.6"},
	{Name: "space in target", Raw: "GET /a b HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "non-ASCII target", Raw: "GET /caf\xc3\xa9 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "control byte in target", Raw: "GET /a\x01 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "NUL in target", Raw: "GET /a\x00 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "fragment in target", Raw: "GET /a#b HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2.1"},
	{Name: "bad percent-encoding", Raw: "GET /a%zz HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "3986 §2.1"},
	{Name: "truncated percent-encoding", Raw: "GET /a%2 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "3986 §2.1"},
	{Name: "asterisk with GET", Raw: "GET * HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2.4"},
	{Name: "authority-form without CONNECT", Raw: "GET b.example:80 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2.3"},
	{Name: "CONNECT with path", Raw: "CONNECT /x HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2.3"},
	{Name: "CONNECT without port", Raw: "CONNECT b.example HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9110 §9.3.6"},
	{Name: "absolute-form with userinfo", Raw: "GET http://u@b.example/ HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9110 §4.2.4"},
	{Name: "absolute-form empty host", Raw: "GET http:///x HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9110 §4.2.1"},
	{Name: "absolute-form other scheme", Raw: "GET ftp://b.example/ HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9112 §3.2.2"},
	{Name: "request line over 8 KiB", Raw: "GET " + longTarget + "a HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 414, RFC: "9112 §3"},
	{Name: "endless request line", Raw: "GET /" + strings.Repeat("a", 9000), WantStatus: 414, RFC: "9112 §3"},

	// --- header fields ---
	{Name: "obs-fold", Raw: get11 + "X: a\r\n b\r\n\r\n", WantStatus: 400, RFC: "9112 §5.2"},
	{Name: "obs-fold with tab", Raw: get11 + "X: a\r\n\tb\r\n\r\n", WantStatus: 400, RFC: "9112 §5.2"},
	{Name: "whitespace before first field", Raw: "GET / HTTP/1.1\r\n " + hostA + "\r\n", WantStatus: 400, RFC: "9112 §2.2"},
	{Name: "space before colon", Raw: get11 + "X-A : b\r\n\r\n", WantStatus: 400, RFC: "9112 §5.1"},
	{Name: "tab before colon", Raw: get11 + "X-A\t: b\r\n\r\n", WantStatus: 400, RFC: "9112 §5.1"},
	{Name: "no colon", Raw: get11 + "X-A b\r\n\r\n", WantStatus: 400, RFC: "9112 §5"},
	{Name: "empty field name", Raw: get11 + ": b\r\n\r\n", WantStatus: 400, RFC: "9112 §5"},
	{Name: "invalid name byte", Raw: get11 + "X[A]: b\r\n\r\n", WantStatus: 400, RFC: "9110 §5.1"},
	{Name: "non-ASCII name", Raw: get11 + "X\xc3\xa9: b\r\n\r\n", WantStatus: 400, RFC: "9110 §5.1"},
	{Name: "NUL in value", Raw: get11 + "X: a\x00b\r\n\r\n", WantStatus: 400, RFC: "9110 §5.5"},
	{Name: "control byte in value", Raw: get11 + "X: a\x0bb\r\n\r\n", WantStatus: 400, RFC: "9110 §5.5"},
	{Name: "DEL in value", Raw: get11 + "X: a\x7fb\r\n\r\n", WantStatus: 400, RFC: "9110 §5.5"},
	{Name: "missing Host", Raw: "GET / HTTP/1.1\r\n\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "two Host fields", Raw: get11 + "Host: b\r\n\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "two Host fields in HTTP/1.0", Raw: "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", WantStatus: 400, RFC: "9112 §3.2"},
	{Name: "Host with path", Raw: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host with userinfo", Raw: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host with bad port", Raw: "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host with space", Raw: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host IPv6 garbage after bracket", Raw: "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host invalid IPv6 literal", Raw: "GET / HTTP/1.1\r\nHost: [0]\r\n\r\n", WantStatus: 400, RFC: "3986 §3.2.2"},
	{Name: "Host IPv4-mapped IPv6", Raw: "GET / HTTP/1.1\r\nHost: [::ffff:192.0.2.1]:80\r\n\r\n", Want: []Request{req("GET", "/", "[::ffff:192.0.2.1]:80")}},
	{Name: "CONNECT invalid IPv6 literal", Raw: "CONNECT [0]:443 HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "3986 §3.2.2"},
	{Name: "Host empty brackets", Raw: "GET / HTTP/1.1\r\nHost: []\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host unclosed bracket", Raw: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host percent-encoded", Raw: "GET / HTTP/1.1\r\nHost: a%41\r\n\r\n", WantStatus: 400, RFC: "9110 §7.2"},
	{Name: "Host IPv4 with port", Raw: "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", Want: []Request{req("GET", "/", "127.0.0.1:8080")}},
	{Name: "CONNECT IPv6", Raw: "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n", Want: []Request{req("CONNECT", "[::1]:443", "[::1]:443")}, RFC: "9112 §3.2.3"},
	{Name: "CONNECT empty port", Raw: "CONNECT a: HTTP/1.1\r\n" + hostA + "\r\n", WantStatus: 400, RFC: "9110 §9.3.6"},
	{Name: "101 header fields", Raw: get11 + hdr("X-", 100) + "\r\n", WantStatus: 431, RFC: "6585 §5"},
	{Name: "header section over 64 KiB", Raw: get11 + "X: " + strings.Repeat("v", 64<<10) + "\r\n\r\n", WantStatus: 431, RFC: "6585 §5"},
	{Name: "endless header (slowloris)", Raw: get11 + "X: " + strings.Repeat("v", 70<<10), WantStatus: 431, RFC: "6585 §5"},
	{Name: "unfinished head", Raw: get11 + "X: v\r\n", WantIncomplete: true},
	{Name: "unfinished request line", Raw: "GET /inde", WantIncomplete: true},

	// --- message framing and smuggling ---
	{Name: "CL and TE", Raw: post("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "TE and CL", Raw: post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n"), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "duplicate identical CL", Raw: post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "conflicting CL", Raw: post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), WantStatus: 400, RFC: "9112 §6.3"},
	{Name: "CL list", Raw: post("Content-Length: 5, 5\r\n", "hello"), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL non-numeric", Raw: post("Content-Length: abc\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL negative", Raw: post("Content-Length: -1\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL plus sign", Raw: post("Content-Length: +5\r\n", "hello"), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL hex", Raw: post("Content-Length: 0x5\r\n", "hello"), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL inner space", Raw: post("Content-Length: 1 2\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL empty", Raw: post("Content-Length:\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL overflow", Raw: post("Content-Length: 99999999999999999999\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL just over int64", Raw: post("Content-Length: 9223372036854775808\r\n", ""), WantStatus: 400, RFC: "9110 §8.6"},
	{Name: "CL over body limit", Raw: post("Content-Length: 11\r\n", "hello world"), MaxBody: 10, WantStatus: 413, RFC: "9110 §15.5.14"},
	{Name: "TE gzip only", Raw: post("Transfer-Encoding: gzip\r\n", ""), WantStatus: 501, RFC: "9112 §6.1"},
	{Name: "TE gzip, chunked", Raw: post("Transfer-Encoding: gzip, chunked\r\n", chunkedBody), WantStatus: 501, RFC: "9112 §6.1"},
	{Name: "TE coding with parameter", Raw: post("Transfer-Encoding: gzip;q=1, chunked\r\n", chunkedBody), WantStatus: 501, RFC: "9112 §6.1"},
	{Name: "TE bad token", Raw: post("Transfer-Encoding: chu(nked\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "TE identity", Raw: post("Transfer-Encoding: identity\r\n", ""), WantStatus: 501, RFC: "9112 §6.1"},
	{Name: "TE xchunked", Raw: post("Transfer-Encoding: xchunked\r\n", chunkedBody), WantStatus: 501, RFC: "9112 §6.1"},
	{Name: "TE chunked, gzip", Raw: post("Transfer-Encoding: chunked, gzip\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.3"},
	{Name: "TE chunked twice", Raw: post("Transfer-Encoding: chunked, chunked\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "TE chunked on two lines", Raw: post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "TE coding after chunked line", Raw: post("Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.3"},
	{Name: "TE trailing comma", Raw: post("Transfer-Encoding: chunked,\r\n", chunkedBody), WantStatus: 400, RFC: "9110 §5.6.1"},
	{Name: "TE leading comma", Raw: post("Transfer-Encoding: , chunked\r\n", chunkedBody), WantStatus: 400, RFC: "9110 §5.6.1"},
	{Name: "TE chunked with parameter", Raw: post("Transfer-Encoding: chunked;q=1\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §7"},
	{Name: "TE empty", Raw: post("Transfer-Encoding:\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "TE obs-folded", Raw: post("Transfer-Encoding:\r\n chunked\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §5.2"},
	{Name: "TE space before colon", Raw: post("Transfer-Encoding : chunked\r\n", chunkedBody), WantStatus: 400, RFC: "9112 §5.1"},
	{Name: "TE vertical tab", Raw: post("Transfer-Encoding: \x0bchunked\r\n", chunkedBody), WantStatus: 400, RFC: "9110 §5.5"},
	{Name: "TE in HTTP/1.0", Raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody, WantStatus: 400, RFC: "9112 §6.1"},
	{Name: "pipelined then malformed", Raw: get11 + "\r\nGET / HTTP/1.1\r\nX : y\r\n" + hostA + "\r\n", Want: ok, WantStatus: 400},
	{Name: "CL.TE smuggling attempt", Raw: post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG") + get11 + "\r\n", WantStatus: 400, RFC: "9112 §11.2"},
	{Name: "body shorter than CL", Raw: post("Content-Length: 10\r\n", "hello"), WantIncomplete: true},

	// --- chunked bodies ---
	{Name: "chunk size not hex", Raw: post("Transfer-Encoding: chunked\r\n", "g\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size empty", Raw: post("Transfer-Encoding: chunked\r\n", "\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size 0x prefix", Raw: post("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size negative", Raw: post("Transfer-Encoding: chunked\r\n", "-5\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size 17 digits", Raw: post("Transfer-Encoding: chunked\r\n", "00000000000000005\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size overflows int64", Raw: post("Transfer-Encoding: chunked\r\n", "8000000000000000\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size whitespace without ext", Raw: post("Transfer-Encoding: chunked\r\n", "5 \r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.1"},
	{Name: "chunk data longer than size", Raw: post("Transfer-Encoding: chunked\r\n", "3\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk size bare LF", Raw: post("Transfer-Encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk data bare LF", Raw: post("Transfer-Encoding: chunked\r\n", "5\r\nhello\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "last chunk bare LF", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\n\n"), WantStatus: 400, RFC: "9112 §7.1"},
	{Name: "chunk ext without name", Raw: post("Transfer-Encoding: chunked\r\n", "5;=x\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.1"},
	{Name: "chunk ext bad value", Raw: post("Transfer-Encoding: chunked\r\n", "5;a=b c\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.1"},
	{Name: "chunk ext control byte", Raw: post("Transfer-Encoding: chunked\r\n", "5;a=\"\x01\"\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.1"},
	{Name: "chunk ext unterminated quote", Raw: post("Transfer-Encoding: chunked\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.1"},
	{Name: "chunk line too long", Raw: post("Transfer-Encoding: chunked\r\n", "5;a="+strings.Repeat("b", 5000)+"\r\nhello\r\n0\r\n\r\n"), WantStatus: 400},
	{Name: "chunk ext overhead", Raw: post("Transfer-Encoding: chunked\r\n", strings.Repeat("1;a="+strings.Repeat("b", 1000)+"\r\nx\r\n", 20)+"0\r\n\r\n"), WantStatus: 400},
	{Name: "trailer obs-fold", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\nX: a\r\n b\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.2"},
	{Name: "trailer bad name", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\nX Y: a\r\n\r\n"), WantStatus: 400, RFC: "9112 §7.1.2"},
	{Name: "trailer too large", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\nX: "+strings.Repeat("a", 9000)+"\r\n\r\n"), WantStatus: 431},
	{Name: "33 trailer fields", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\n"+hdr("T", 33)+"\r\n"), WantStatus: 431},
	{Name: "32 trailer fields", Raw: post("Transfer-Encoding: chunked\r\n", "0\r\n"+hdr("T", 32)+"\r\n"), Want: []Request{withBody(postP, "", true)}},
	{Name: "chunked over body limit", Raw: post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), MaxBody: 10, WantStatus: 413, RFC: "9110 §15.5.14"},
	{Name: "unfinished chunked body", Raw: post("Transfer-Encoding: chunked\r\n", "5\r\nhel"), WantIncomplete: true},
}
