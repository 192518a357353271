package http1

import (
	"strconv"
	"sync/atomic"
	"time"
)

// statusTexts are the reason phrases of RFC 9110 §15 and a few registered
// extensions.
var statusTexts = map[int]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
	204: "No Content", 205: "Reset Content", 206: "Partial Content", 207: "Multi-Status",
	208: "Already Reported", 226: "IM Used",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
	304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
	404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
	407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
	411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
	414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
	417: "Expectation Failed", 418: "I'm a teapot", 421: "Misdirected Request",
	422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency", 425: "Too Early",
	426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates", 507: "Insufficient Storage", 508: "Loop Detected",
	510: "Not Extended", 511: "Network Authentication Required",
}

// statusLines[code] is the whole status line of every code 100–599.
var statusLines [600][]byte

func init() {
	for code := 100; code < 600; code++ {
		statusLines[code] = buildStatusLine(nil, code)
	}
}

func buildStatusLine(dst []byte, code int) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, ' ')
	dst = append(dst, statusTexts[code]...)
	return append(dst, "\r\n"...)
}

// StatusText returns the reason phrase of code, or "" if it has none.
func StatusText(code int) string { return statusTexts[code] }

// AppendStatusLine appends "HTTP/1.1 <code> <reason>\r\n" to dst. Responses
// always carry version 1.1, also to HTTP/1.0 clients (RFC 9110 §6.2). A code
// without a known reason gets an empty one, which RFC 9112 §4 allows. It
// panics unless 100 <= code <= 999.
func AppendStatusLine(dst []byte, code int) []byte {
	if code >= 100 && code < 600 {
		return append(dst, statusLines[code]...)
	}
	if code < 100 || code > 999 {
		panic("http1.AppendStatusLine: status code " + strconv.Itoa(code) + " is not three digits")
	}
	return buildStatusLine(dst, code)
}

// AppendHeader appends "name: value\r\n" to dst. It does not check its
// arguments: check names and values that come from outside with
// [ValidHeaderName] and [ValidHeaderValue].
func AppendHeader[N, V ~string | ~[]byte](dst []byte, name N, value V) []byte {
	dst = append(dst, name...)
	dst = append(dst, ':', ' ')
	dst = append(dst, value...)
	return append(dst, '\r', '\n')
}

// AppendContentLength appends "Content-Length: n\r\n" to dst.
func AppendContentLength(dst []byte, n int64) []byte {
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '\r', '\n')
}

// TimeFormat is the IMF-fixdate layout of the Date header (RFC 9110 §5.6.7).
const TimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

type dateValue struct {
	unix int64
	text [len(TimeFormat)]byte
}

// DateCache holds the formatted value of the Date header for the current
// second, so that responses need not format a time each. The zero value is
// ready to use. It is safe for concurrent use: readers load an immutable
// snapshot, and the first caller in a new second publishes the next one.
type DateCache struct {
	v atomic.Pointer[dateValue]
}

// Append appends the IMF-fixdate of now, truncated to the second, to dst.
// The cached value only moves forward: a caller whose now is older than the
// cached second gets the cached value.
func (c *DateCache) Append(dst []byte, now time.Time) []byte {
	sec := now.Unix()
	d := c.v.Load()
	for d == nil || sec > d.unix {
		nd := &dateValue{unix: sec}
		now.UTC().AppendFormat(nd.text[:0], TimeFormat)
		if c.v.CompareAndSwap(d, nd) {
			d = nd
			break
		}
		d = c.v.Load()
	}
	return append(dst, d.text[:]...)
}

var defaultDate DateCache

// AppendDate appends the current time as a Date header value (without the
// name or CRLF), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". It formats at most
// once per second; it is safe for concurrent use.
func AppendDate(dst []byte) []byte { return defaultDate.Append(dst, time.Now()) }

// AppendDateHeader appends "Date: <now>\r\n" to dst.
func AppendDateHeader(dst []byte) []byte {
	dst = append(dst, "Date: "...)
	dst = AppendDate(dst)
	return append(dst, '\r', '\n')
}
