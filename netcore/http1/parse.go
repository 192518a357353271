package http1

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// maxEmptyLines is how many empty lines (CRLF) may precede a request line;
// RFC 9112 §2.2 asks servers to ignore at least one.
const maxEmptyLines = 4

var slash = []byte("/")

// Parser parses request heads incrementally. It remembers how far it has
// scanned a partial head, so feeding a head in many small pieces costs time
// linear in its size. The zero value is ready to use with [DefaultLimits].
//
// Use it from one connection's read loop: call Parse with the bytes
// received so far; on [ErrIncomplete], call it again later with the same
// bytes plus whatever arrived (the buffer may move, but its prefix must be
// unchanged). After Parse returns a head or a [ProtocolError] the Parser is
// ready for the next request, which starts at buf[n:]. To parse unrelated
// input after an ErrIncomplete, call [Parser.Reset] first.
//
// A Parser is not safe for concurrent use.
type Parser struct {
	// Limits bound the head; zero fields mean the defaults.
	Limits Limits

	scanned    int  // offset of the first byte not yet scanned
	lineStart  int  // offset of the line being scanned
	start      int  // offset of the request line, once found
	reqLineEnd int  // offset just after the request line's CRLF, 0 until seen
	inHead     bool // leading empty lines are behind us
	empties    int  // leading empty lines skipped
	lines      int  // header field lines seen
}

// Reset forgets a partially scanned head.
func (p *Parser) Reset() {
	lim := p.Limits
	*p = Parser{Limits: lim}
}

// ParseHead parses one request head from the start of buf into h, and
// returns the number of bytes it occupies (leading empty lines included);
// the body, if any, starts at buf[n:]. It returns [ErrIncomplete] when buf
// holds a valid but unfinished head, and a *[ProtocolError] when the request
// must be refused. Limits are enforced on partial input too.
//
// ParseHead keeps no state between calls, so calling it again on a growing
// partial head rescans it; an event loop should hold a [Parser] per
// connection instead.
func ParseHead(buf []byte, h *Head, lim Limits) (n int, err error) {
	p := Parser{Limits: lim}
	return p.Parse(buf, h)
}

// Parse is [ParseHead] with memory of a partial head: see [Parser].
func (p *Parser) Parse(buf []byte, h *Head) (n int, err error) {
	lim := p.Limits.withDefaults()
	if p.scanned > len(buf) {
		p.Reset() // not the same input as before: start over
	}
	end, err := p.scan(buf, lim)
	if err != nil {
		if !errors.Is(err, ErrIncomplete) {
			p.Reset()
		}
		return 0, err
	}
	start, reqLineEnd := p.start, p.reqLineEnd
	p.Reset()
	if err := parseHead(buf[:end], start, reqLineEnd, h); err != nil {
		return 0, err
	}
	return end, nil
}

// scan finds the end of the head, checking line terminators and limits.
// Each byte is visited once across calls: p.scanned only moves forward.
func (p *Parser) scan(buf []byte, lim Limits) (int, error) {
	for !p.inHead {
		pos := p.scanned
		if pos >= len(buf) {
			return 0, ErrIncomplete
		}
		switch buf[pos] {
		case '\r':
			if pos+1 >= len(buf) {
				return 0, ErrIncomplete
			}
			if buf[pos+1] != '\n' {
				return 0, errBareCR
			}
			p.empties++
			if p.empties > maxEmptyLines {
				return 0, errEmptyLines
			}
			p.scanned = pos + 2
		case '\n':
			return 0, errBareLF
		default:
			p.inHead = true
			p.start, p.lineStart = pos, pos
		}
	}
	for {
		i := bytes.IndexByte(buf[p.scanned:], '\n')
		if i < 0 {
			p.scanned = len(buf)
			if p.reqLineEnd == 0 {
				// One more byte than the limit may be the line's CR.
				if len(buf)-p.start > lim.MaxRequestLineBytes+1 {
					return 0, errLineTooLong
				}
			} else if len(buf)-p.reqLineEnd > lim.MaxHeaderBytes {
				return 0, errHeadTooLarge
			}
			return 0, ErrIncomplete
		}
		lf := p.scanned + i
		if lf == p.lineStart || buf[lf-1] != '\r' {
			return 0, errBareLF
		}
		next := lf + 1
		if p.reqLineEnd == 0 {
			if lf-1-p.start > lim.MaxRequestLineBytes {
				return 0, errLineTooLong
			}
			p.reqLineEnd = next
		} else {
			if next-p.reqLineEnd > lim.MaxHeaderBytes {
				return 0, errHeadTooLarge
			}
			if lf-1 == p.lineStart {
				return next, nil // the empty line ending the head
			}
			p.lines++
			if p.lines > lim.MaxHeaderCount {
				return 0, errTooManyHeaders
			}
		}
		p.scanned, p.lineStart = next, next
	}
}

// parseHead parses a complete head: buf[start:reqLineEnd] is the request
// line with its CRLF, and buf ends with the empty line.
func parseHead(buf []byte, start, reqLineEnd int, h *Head) error {
	h.Reset()
	if err := parseRequestLine(buf[start:reqLineEnd-2], h); err != nil {
		return err
	}
	var (
		hosts, cls             int
		te, teChunked, teOther bool
		connClose, connKeep    bool
		connUpgrade            bool
		upgrade                []byte
	)
	http11 := h.ProtoMinor == 1
	pos := reqLineEnd
	end := len(buf) - 2
	for pos < end {
		le := pos + bytes.IndexByte(buf[pos:], '\n') - 1 // the CR
		name, value, err := parseFieldLine(buf[pos:le])
		if err != nil {
			return err
		}
		pos = le + 2
		h.Headers = append(h.Headers, Header{Name: name, Value: value})
		switch len(name) {
		case 4:
			if equalFold(name, "host") {
				hosts++
				if hosts > 1 {
					return errMultiHost
				}
				if !validHost(value, false) {
					return errBadHost
				}
				if h.Host == nil {
					h.Host = value
				}
			}
		case 6:
			if http11 && equalFold(name, "expect") && equalFold(value, "100-continue") {
				h.Expect100 = true
			}
		case 7:
			if equalFold(name, "upgrade") && upgrade == nil {
				upgrade = value
			}
		case 10:
			if equalFold(name, "connection") {
				for v := value; len(v) > 0; {
					var opt []byte
					opt, v = nextElement(v)
					switch {
					case equalFold(opt, "close"):
						connClose = true
					case equalFold(opt, "keep-alive"):
						connKeep = true
					case equalFold(opt, "upgrade"):
						connUpgrade = true
					}
				}
			}
		case 14:
			if equalFold(name, "content-length") {
				cls++
				if cls > 1 {
					return errMultiCL
				}
				n, ok := parseContentLength(value)
				if !ok {
					return errBadCL
				}
				h.ContentLength = n
			}
		case 17:
			if equalFold(name, "transfer-encoding") {
				te = true
				if err := parseTransferEncoding(value, &teChunked, &teOther); err != nil {
					return err
				}
			}
		}
	}
	if te {
		switch {
		case !http11:
			return errTEHTTP10 // RFC 9112 §6.1: faulty framing
		case cls > 0:
			return errCLAndTE // RFC 9112 §6.1, §11.2
		case teOther:
			return errTEUnknown // RFC 9112 §6.1: 501
		}
		h.Chunked = true
	}
	if hosts == 0 && http11 {
		return errNoHost // RFC 9112 §3.2
	}
	h.KeepAlive = !connClose && (http11 || connKeep)
	if http11 && connUpgrade && upgrade != nil {
		h.Upgrade = upgrade
	}
	return nil
}

// parseRequestLine parses method SP request-target SP HTTP-version (RFC 9112 §3).
func parseRequestLine(line []byte, h *Head) error {
	i := 0
	for i < len(line) && tokenTable[line[i]] {
		i++
	}
	if i == len(line) || line[i] != ' ' {
		if i < len(line) && line[i] == '\r' {
			return errBareCR
		}
		if i == 0 || i == len(line) || line[i] == '\t' {
			return errRequestLine
		}
		return errMethod
	}
	if i == 0 {
		return errRequestLine
	}
	h.Method = line[:i]
	i++
	t := i
	for i < len(line) && line[i] != ' ' {
		c := line[i]
		if !targetTable[c] {
			if c == '\r' {
				return errBareCR
			}
			return errTarget
		}
		if c == '%' {
			if i+2 >= len(line) || hexValue[line[i+1]] == 0xff || hexValue[line[i+2]] == 0xff {
				return errTarget
			}
			i += 2
		}
		i++
	}
	if i == t || i == len(line) {
		return errRequestLine
	}
	h.Target = line[t:i]
	v := line[i+1:]
	if len(v) != 8 || string(v[:5]) != "HTTP/" || v[6] != '.' || !isDigit(v[5]) || !isDigit(v[7]) {
		if bytes.IndexByte(v, '\r') >= 0 {
			return errBareCR
		}
		return errVersion
	}
	h.ProtoMajor, h.ProtoMinor = int(v[5]-'0'), int(v[7]-'0')
	if h.ProtoMajor != 1 || h.ProtoMinor > 1 {
		return errVersionNotSupp
	}
	return parseTarget(h)
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// parseTarget classifies h.Target (RFC 9112 §3.2) and fills Path and Query.
func parseTarget(h *Head) error {
	t := h.Target
	connect := string(h.Method) == "CONNECT"
	switch {
	case connect:
		// authority-form: host ":" port, and nothing else.
		if !validHost(t, true) {
			return errTarget
		}
		h.Host = t
		return nil
	case t[0] == '/':
		h.Path, h.Query = splitQuery(t)
		return nil
	case len(t) == 1 && t[0] == '*':
		if string(h.Method) != "OPTIONS" {
			return errTarget
		}
		h.Path = t
		return nil
	}
	// absolute-form: "http" or "https", "://", authority, path-abempty, query.
	rest, ok := cutScheme(t)
	if !ok {
		return errTarget
	}
	a := 0
	for a < len(rest) && rest[a] != '/' && rest[a] != '?' {
		a++
	}
	authority := rest[:a]
	if len(authority) == 0 || !validHost(authority, false) {
		return errTarget
	}
	h.Host = authority
	h.Path, h.Query = splitQuery(rest[a:])
	if len(h.Path) == 0 {
		h.Path = slash
	}
	return nil
}

func cutScheme(t []byte) ([]byte, bool) {
	switch {
	case len(t) > 7 && equalFold(t[:7], "http://"):
		return t[7:], true
	case len(t) > 8 && equalFold(t[:8], "https://"):
		return t[8:], true
	}
	return nil, false
}

func splitQuery(t []byte) (path, query []byte) {
	path, query, _ = bytes.Cut(t, []byte{'?'})
	return path, query
}

// validHost reports whether v is host [":" port] (RFC 9110 §7.2, RFC 3986
// §3.2.2) with host an IPv6 literal (no zone, no IPvFuture) or a reg-name
// without percent-encoding, and port digits. With needPort (CONNECT) the port must be present and
// non-empty, and the host non-empty.
func validHost(v []byte, needPort bool) bool {
	i := 0
	if len(v) > 0 && v[0] == '[' {
		j := bytes.IndexByte(v, ']')
		if j < 0 || !validIPv6(v[1:j]) {
			return false
		}
		i = j + 1
		if i < len(v) && v[i] != ':' {
			return false
		}
	} else {
		for i < len(v) && v[i] != ':' {
			c := v[i]
			if !hostTable[c] || c == '[' || c == ']' || c == '%' {
				return false
			}
			i++
		}
	}
	if needPort && i == 0 {
		return false
	}
	if i == len(v) {
		return !needPort
	}
	port := v[i+1:]
	if needPort && len(port) == 0 {
		return false
	}
	for _, c := range port {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// validIPv6 reports whether s is an IPv6address of RFC 3986 §3.2.2 (RFC 4291
// §2.2 text form): eight groups of 1 to 4 hex digits separated by ':', at
// most one "::" standing for one or more zero groups, and optionally a
// dotted IPv4 address as the last two groups.
func validIPv6(s []byte) bool {
	groups, ellipsis, i := 0, false, 0
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis, i = true, 2
	} else if len(s) > 0 && s[0] == ':' {
		return false
	}
	for i < len(s) {
		j := i
		for j < len(s) && j-i < 5 && hexValue[s[j]] != 0xff {
			j++
		}
		if j < len(s) && s[j] == '.' {
			if !validIPv4(s[i:]) {
				return false
			}
			groups += 2
			break
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		if i = j; i == len(s) {
			break
		}
		if s[i] != ':' {
			return false
		}
		i++
		switch {
		case i < len(s) && s[i] == ':':
			if ellipsis {
				return false
			}
			ellipsis = true
			i++
		case i == len(s):
			return false // a single trailing ':'
		}
	}
	if ellipsis {
		return groups < 8
	}
	return groups == 8
}

// validIPv4 reports whether s is a dotted-decimal IPv4 address: four
// numbers 0–255 without leading zeros.
func validIPv4(s []byte) bool {
	for part := range 4 {
		if part > 0 {
			if len(s) == 0 || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
		n, d := 0, 0
		for d < len(s) && isDigit(s[d]) && d < 3 {
			n = n*10 + int(s[d]-'0')
			d++
		}
		if d == 0 || n > 255 || (d > 1 && s[0] == '0') {
			return false
		}
		s = s[d:]
	}
	return len(s) == 0
}

// parseFieldLine parses field-name ":" OWS field-value OWS (RFC 9112 §5).
func parseFieldLine(line []byte) (name, value []byte, err error) {
	if isWS(line[0]) {
		return nil, nil, errObsFold // obs-fold, or whitespace before the first field
	}
	i := 0
	for i < len(line) && tokenTable[line[i]] {
		i++
	}
	if i == 0 || i == len(line) || line[i] != ':' {
		if i < len(line) && line[i] == '\r' {
			return nil, nil, errBareCR
		}
		return nil, nil, errHeaderName
	}
	name = line[:i]
	v := line[i+1:]
	if j := invalidValueByte(v); j >= 0 {
		if v[j] == '\r' {
			return nil, nil, errBareCR
		}
		return nil, nil, errHeaderValue
	}
	return name, trimOWS(v), nil
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// invalidValueByte returns the index of the first byte of v that may not
// appear in a field value (see valueTable), or -1. It checks eight bytes at
// a time: a word holding no byte below 0x20 and no DEL is valid as a whole
// (bytes from 0x80 are obs-text, which is allowed).
func invalidValueByte(v []byte) int {
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := binary.LittleEndian.Uint64(v[i:])
		del := x ^ (0x7f * ones)
		// (x - n*ones) &^ x & highs is non-zero iff some byte is below n
		// (for n <= 0x80); applied to del with n = 1 it finds DEL bytes.
		if (x-0x20*ones)&^x&highs|(del-ones)&^del&highs != 0 {
			break // a control byte, HTAB or DEL: look byte by byte
		}
	}
	for ; i < len(v); i++ {
		if !valueTable[v[i]] {
			return i
		}
	}
	return -1
}

// parseContentLength parses 1*DIGIT without overflow (RFC 9110 §8.6).
func parseContentLength(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 19 {
		// 19 digits always fit after the check below; 20 never do
		// (except with leading zeros, which we refuse past 19 digits).
		return 0, false
	}
	var n int64
	for _, c := range v {
		if !isDigit(c) {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseTransferEncoding reads one Transfer-Encoding field value, a list of
// transfer-coding (RFC 9112 §6.1, RFC 9110 §10.1.4). It sets *chunked when
// "chunked" is seen and *other for any other coding. "chunked" must be the
// last coding of all the field lines together, and appear once.
func parseTransferEncoding(v []byte, chunked, other *bool) error {
	if len(v) == 0 {
		return errBadTE
	}
	for len(v) > 0 {
		var elem []byte
		if i := bytes.IndexByte(v, ','); i >= 0 {
			elem, v = v[:i], v[i+1:]
			if len(v) == 0 {
				return errBadTE // trailing comma: an empty element
			}
		} else {
			elem, v = v, nil
		}
		elem = trimOWS(elem)
		if len(elem) == 0 {
			return errBadTE // empty elements are refused, not skipped
		}
		name, params := elem, []byte(nil)
		if i := bytes.IndexByte(elem, ';'); i >= 0 {
			name, params = trimOWS(elem[:i]), elem[i:]
		}
		if !ValidHeaderName(name) {
			return errBadTE
		}
		if *chunked {
			return errTENotChunked // something after chunked
		}
		if equalFold(name, "chunked") {
			if params != nil {
				return errBadTE // chunked takes no parameters
			}
			*chunked = true
		} else {
			*other = true
		}
	}
	return nil
}

// nextElement splits the first element off a comma-separated list and
// returns it trimmed of whitespace (possibly empty), with the rest.
func nextElement(v []byte) (elem, rest []byte) {
	elem, rest, _ = bytes.Cut(v, []byte{','})
	return trimOWS(elem), rest
}
