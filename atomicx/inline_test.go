package atomicx

import (
	"testing"
	"unsafe"
)

func TestInlineType(t *testing.T) {
	type padded struct {
		a int8
		b int32
	}
	type withPtr struct {
		a int32
		p *int
	}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"int64", inlineType[int64](), true},
		{"int8", inlineType[int8](), true},
		{"bool", inlineType[bool](), true},
		{"float64", inlineType[float64](), true},
		{"complex64", inlineType[complex64](), true},
		{"uintptr", inlineType[uintptr](), true},
		{"struct{}", inlineType[struct{}](), true},
		{"[2]int32", inlineType[[2]int32](), true},
		{"padded struct", inlineType[padded](), true},
		{"[0]*int", inlineType[[0]*int](), true},
		{"complex128 (16 bytes)", inlineType[complex128](), false},
		{"[3]int (24 bytes)", inlineType[[3]int](), false},
		{"*int", inlineType[*int](), false},
		{"unsafe.Pointer", inlineType[unsafe.Pointer](), false},
		{"string", inlineType[string](), false},
		{"map", inlineType[map[int]int](), false},
		{"chan", inlineType[chan int](), false},
		{"func", inlineType[func()](), false},
		{"any", inlineType[any](), false},
		{"[1]*int", inlineType[[1]*int](), false},
		{"struct with a pointer", inlineType[withPtr](), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("inlineType[%s]() = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestInlineEncoding(t *testing.T) {
	for _, x := range []int64{0, 1, -1, 1<<62 - 1, -1 << 62, 42, -42} {
		w, ok := encodeInline(x)
		if !ok || w&1 == 0 {
			t.Fatalf("encodeInline(%d) = %#x, %v; want an odd state", x, w, ok)
		}
		if u := uint64(int64(w) >> 1); int64(u) != x {
			t.Errorf("state %#x decodes to %d, want %d", w, int64(u), x)
		}
	}
	for _, x := range []int64{1 << 62, -1<<62 - 1, 1<<63 - 1, -1 << 63} {
		if w, ok := encodeInline(x); ok {
			t.Errorf("encodeInline(%d) = %#x, true; want false (needs a box)", x, w)
		}
	}
	// Smaller types are zero-extended: every value fits.
	for _, x := range []int32{-1, 1<<31 - 1, -1 << 31} {
		w, ok := encodeInline(x)
		if !ok {
			t.Fatalf("encodeInline(int32 %d) = false", x)
		}
		u := uint64(int64(w) >> 1)
		if got := *(*int32)(unsafe.Pointer(&u)); got != x {
			t.Errorf("int32 %d round-trips to %d", x, got)
		}
	}
}
