// Package http1 is netcore's incremental, zero-copy, strict HTTP/1.1 codec:
// a request-head parser, a chunked-body decoder, and helpers that write
// responses without allocating.
//
// # Parsing requests
//
// [Parser.Parse] (or the stateless [ParseHead]) parses one request head from
// the start of a buffer into a [Head] and returns the number of bytes it
// used; the body, if any, follows. Every []byte in the Head is a view into
// the buffer: nothing is copied, and parsing into a reused Head does not
// allocate. An event loop keeps one Parser and one Head per connection:
//
//	n, err := c.parser.Parse(buf, &c.head)
//	switch {
//	case errors.Is(err, http1.ErrIncomplete):
//		// wait for more bytes; call again with buf plus what arrives
//	case err != nil:
//		pe, _ := errors.AsType[*http1.ProtocolError](err)
//		// answer pe.Status, then close the connection
//	default:
//		// c.head is ready; the body starts at buf[n:]:
//		// c.head.ContentLength bytes, or chunked (see ChunkedDecoder)
//	}
//
// On [ErrIncomplete] the Parser remembers how far it scanned, so a head
// arriving in many pieces is scanned once; limits are enforced on partial
// input, so a client that never ends its request line or its header section
// is refused as soon as it passes the limit.
//
// # Limits and defaults
//
// [Limits] bound a head; zero fields take the defaults of [DefaultLimits]:
//
//	request line (without CRLF)       8 KiB   → 414 URI Too Long
//	header section (CRLFs included)  64 KiB   → 431 Request Header Fields Too Large
//	header field lines                  100   → 431
//	empty lines before the request line  4    → 400 (more is not a client)
//
// [ChunkedDecoder] bounds chunk-size lines (1 KiB, 400), trailers (8 KiB and
// 32 fields, 431), framing overhead (400) and, optionally, the body
// ([ChunkedDecoder.MaxBodyBytes], 413). For Content-Length bodies,
// [Head.CheckBodySize] gives the 413 before any body byte is read.
//
// # Errors
//
// Parse returns [ErrIncomplete] (not an error of the client: read more) or
// a *[ProtocolError], whose Status is the response to send before closing
// the connection: after a ProtocolError the framing of what follows cannot
// be trusted, so the connection must not be reused. Use errors.Is for
// ErrIncomplete and errors.As for *ProtocolError. Statuses:
//
//	400  malformed request line, header field, Host, Content-Length,
//	     Transfer-Encoding list or chunked framing; bare CR or LF; obs-fold
//	413  body larger than the limit (Head.CheckBodySize, ChunkedDecoder)
//	414  request line too long
//	431  header section or trailer section too large, too many fields
//	501  a transfer coding other than chunked (e.g. "gzip", "gzip, chunked")
//	505  a well-formed HTTP version other than 1.0 and 1.1
//
// # Strictness
//
// The parser follows RFC 9112 and RFC 9110 and, where they leave a choice,
// refuses what could be read two ways by two servers (request smuggling):
//
//   - Lines end with CRLF. A bare LF is refused (400) although RFC 9112 §2.2
//     lets a recipient accept it, and a bare CR is refused as §2.2 allows.
//   - Up to four empty lines before the request line are skipped (§2.2).
//   - method SP request-target SP HTTP-version, single spaces, token method
//     (unknown methods are accepted: answering 501 is the server's choice).
//   - The request-target is origin-form ("/path?query"), absolute-form
//     (http or https, no userinfo, non-empty host: Host then comes from it),
//     authority-form (only with CONNECT, host:port) or asterisk-form (only
//     with OPTIONS). Its bytes must be visible ASCII, without '#', and every
//     '%' must start a %HH escape.
//   - HTTP/1.0 and HTTP/1.1 only: other well-formed versions get 505, and
//     anything else 400.
//   - Field names are tokens with the colon right after them (whitespace
//     before the colon: 400); values may hold HTAB, SP, visible ASCII and
//     obs-text, never other control bytes; obs-fold (a line starting with
//     whitespace) is refused (§5.2).
//   - HTTP/1.1 requires exactly one Host; HTTP/1.0 allows at most one. The
//     value must be host[:port] (reg-name without percent-encoding, or an
//     IPv6 literal in RFC 4291 text form, without a zone).
//   - Content-Length: one field line, 1 to 19 digits, no overflow. Even two
//     identical Content-Length lines are refused (RFC 9110 §8.6 allows
//     either); a list "5, 5" is refused.
//   - Transfer-Encoding: the codings of all its lines, taken together, must
//     be exactly "chunked" (any case). Another coding gets 501; chunked
//     present but not last, repeated, with parameters, or an empty list
//     element gets 400. Transfer-Encoding with Content-Length, or in an
//     HTTP/1.0 request, gets 400 (§6.1).
//
// # Writing responses
//
// [AppendStatusLine], [AppendHeader], [AppendContentLength],
// [AppendDateHeader] and the chunk writers [AppendChunk],
// [AppendChunkHeader] and [AppendLastChunk] append to a caller's buffer and
// do not allocate once it has room (the Date cache allocates one small value
// per second, when the first caller of that second formats it). [ValidHeaderName] and
// [ValidHeaderValue] check fields that come from outside, so that no
// response can be split by a CR or LF injected into a header.
//
// # Concurrency
//
// [Parser], [Head] and [ChunkedDecoder] belong to one connection and are not
// safe for concurrent use. [DateCache] and the package functions are safe for
// concurrent use: [AppendDate] reads an atomic snapshot that the first
// caller of each second replaces.
package http1
