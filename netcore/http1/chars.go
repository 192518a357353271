package http1

// Character classes of RFC 9110 §5.6.2 (tchar), §5.5 (field-vchar, obs-text)
// and RFC 3986, as 256-entry tables so that the hot loops do one load per byte.

var (
	// tokenTable[b] is true when b is a tchar.
	tokenTable [256]bool
	// valueTable[b] is true when b may appear inside a field value:
	// HTAB, SP, VCHAR and obs-text (0x80–0xFF). CR, LF, NUL, other CTLs
	// and DEL are excluded.
	valueTable [256]bool
	// targetTable[b] is true when b may appear in a request-target: VCHAR
	// except '#' (a fragment is never sent).
	targetTable [256]bool
	// hostTable[b] is true when b may appear in a Host value or an
	// authority: unreserved, sub-delims, ':', '%', '[' and ']'.
	hostTable [256]bool
	// hexValue[b] is the value of hex digit b, or 0xff.
	hexValue [256]byte
	// lowerTable maps ASCII upper case to lower case.
	lowerTable [256]byte
)

func init() {
	for c := range 256 {
		b := byte(c)
		lowerTable[c] = b
		if 'A' <= b && b <= 'Z' {
			lowerTable[c] = b + 'a' - 'A'
		}
		hexValue[c] = 0xff
		switch {
		case '0' <= b && b <= '9':
			hexValue[c] = b - '0'
		case 'a' <= b && b <= 'f':
			hexValue[c] = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			hexValue[c] = b - 'A' + 10
		}
		alnum := ('0' <= b && b <= '9') || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
		tokenTable[c] = alnum || (b != 0 && indexByte("!#$%&'*+-.^_`|~", b))
		valueTable[c] = b == '\t' || (b >= 0x20 && b != 0x7f)
		targetTable[c] = b > 0x20 && b < 0x7f && b != '#'
		hostTable[c] = alnum || (b != 0 && indexByte("-._~!$&'()*+,;=:%[]", b))
	}
}

func indexByte(s string, b byte) bool {
	for i := range len(s) {
		if s[i] == b {
			return true
		}
	}
	return false
}

// ValidHeaderName reports whether name is a valid field name (a non-empty
// token, RFC 9110 §5.1).
func ValidHeaderName[T ~string | ~[]byte](name T) bool {
	if len(name) == 0 {
		return false
	}
	for i := range len(name) {
		if !tokenTable[name[i]] {
			return false
		}
	}
	return true
}

// ValidHeaderValue reports whether v may be sent as a field value (RFC 9110
// §5.5): no CR, LF, NUL or other control character except HTAB, and no
// leading or trailing whitespace. A response writer that checks every value
// it did not produce itself cannot be made to inject headers or split a
// response.
func ValidHeaderValue[T ~string | ~[]byte](v T) bool {
	for i := range len(v) {
		if !valueTable[v[i]] {
			return false
		}
	}
	if n := len(v); n > 0 && (isWS(v[0]) || isWS(v[n-1])) {
		return false
	}
	return true
}

func isWS(b byte) bool { return b == ' ' || b == '\t' }

// equalFold reports whether a equals b ignoring ASCII case; b must be lower case.
func equalFold[T ~string | ~[]byte](a []byte, lower T) bool {
	if len(a) != len(lower) {
		return false
	}
	for i := range len(a) {
		if lowerTable[a[i]] != lower[i] {
			return false
		}
	}
	return true
}

// equalFoldAny reports whether a equals b ignoring ASCII case.
func equalFoldAny(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if lowerTable[a[i]] != lowerTable[b[i]] {
			return false
		}
	}
	return true
}

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && isWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
