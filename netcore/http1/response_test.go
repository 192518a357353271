package http1

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendStatusLine(t *testing.T) {
	tests := []struct {
		give int
		want string
	}{
		{200, "HTTP/1.1 200 OK\r\n"},
		{100, "HTTP/1.1 100 Continue\r\n"},
		{413, "HTTP/1.1 413 Content Too Large\r\n"},
		{599, "HTTP/1.1 599 \r\n"},
		{799, "HTTP/1.1 799 \r\n"},
	}
	for _, tt := range tests {
		if got := string(AppendStatusLine(nil, tt.give)); got != tt.want {
			t.Errorf("AppendStatusLine(%d) = %q, want %q", tt.give, got, tt.want)
		}
	}
	for _, bad := range []int{0, 99, 1000, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AppendStatusLine(%d) did not panic", bad)
				}
			}()
			AppendStatusLine(nil, bad)
		}()
	}
}

func TestValidHeaderValue(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"", true},
		{"text/html; charset=utf-8", true},
		{"a\tb", true},
		{"caf\xc3\xa9", true},
		{"a\r\nSet-Cookie: x", false},
		{"a\nb", false},
		{"a\rb", false},
		{"a\x00", false},
		{"a\x7f", false},
		{" a", false},
		{"a\t", false},
	}
	for _, tt := range tests {
		if got := ValidHeaderValue(tt.give); got != tt.want {
			t.Errorf("ValidHeaderValue(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
	if ValidHeaderName("") || ValidHeaderName("a b") || ValidHeaderName("a:b") || !ValidHeaderName("X-Request-ID") {
		t.Error("ValidHeaderName misjudges")
	}
}

func TestDateCache(t *testing.T) {
	var c DateCache
	t0 := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	if got := string(c.Append(nil, t0)); got != "Sun, 06 Nov 1994 08:49:37 GMT" {
		t.Fatalf("Append(%v) = %q", t0, got)
	}
	// Within the same second the cached value is returned.
	if got := string(c.Append(nil, t0.Add(999*time.Millisecond))); got != "Sun, 06 Nov 1994 08:49:37 GMT" {
		t.Fatalf("Append(+999ms) = %q", got)
	}
	// A new second replaces it; a non-UTC time is converted.
	loc := time.FixedZone("X", 3600)
	if got := string(c.Append(nil, t0.Add(time.Second).In(loc))); got != "Sun, 06 Nov 1994 08:49:38 GMT" {
		t.Fatalf("Append(+1s) = %q", got)
	}
	// Older times never move the cache back.
	if got := string(c.Append(nil, t0)); got != "Sun, 06 Nov 1994 08:49:38 GMT" {
		t.Fatalf("Append(older) = %q", got)
	}
	if got := string(AppendDateHeader(nil)); !strings.HasPrefix(got, "Date: ") || !strings.HasSuffix(got, " GMT\r\n") || len(got) != len("Date: ")+len(TimeFormat)+2 {
		t.Fatalf("AppendDateHeader = %q", got)
	}
}

func TestDateCacheConcurrentSafe(t *testing.T) {
	var c DateCache
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				now := base.Add(time.Duration(i/100+g%2) * time.Second)
				got := c.Append(nil, now)
				tm, err := time.Parse(TimeFormat, string(got))
				if err != nil {
					t.Errorf("Append = %q: %v", got, err)
					return
				}
				// The cache only moves forward, so the value is never older than now.
				if tm.Before(now.Truncate(time.Second)) {
					t.Errorf("Append(%v) = %v, older than now", now, tm)
					return
				}
			}
		})
	}
	wg.Wait()
}
