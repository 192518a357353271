package netcorebench

import (
	"encoding/json"
	"testing"
)

func benchEngine(b *testing.B, engine, path string, depth int) {
	s, err := Start(engine)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Stop()
	Rounds(s.Addr, path, LoadConns, depth)(b)
}

func BenchmarkKeepAlive(b *testing.B) {
	for _, e := range Engines {
		b.Run(e, func(b *testing.B) { benchEngine(b, e, "/hello", 1) })
	}
}

func BenchmarkKeepAliveJSON(b *testing.B) {
	for _, e := range Engines {
		b.Run(e, func(b *testing.B) { benchEngine(b, e, "/json", 1) })
	}
}

func BenchmarkPipelined16(b *testing.B) {
	for _, e := range Engines {
		b.Run(e, func(b *testing.B) { benchEngine(b, e, "/hello", Pipeline) })
	}
}

// TestJSONBody checks the fixture: 1 KiB of valid-looking JSON.
func TestJSONBody(t *testing.T) {
	if len(JSONBody) != 1024 || !json.Valid(JSONBody) {
		t.Fatalf("JSONBody: %d bytes, %q…%q", len(JSONBody), JSONBody[:10], JSONBody[len(JSONBody)-10:])
	}
}

// TestEnginesAnswer checks that every engine serves both bodies to the
// load generator.
func TestEnginesAnswer(t *testing.T) {
	for _, e := range Engines {
		s, err := Start(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/hello", "/json"} {
			cl, err := Dial(s.Addr, path, 4)
			if err != nil {
				t.Fatal(err)
			}
			if err := cl.Round(); err != nil {
				t.Errorf("%s %s: %v", e, path, err)
			}
			_ = cl.Close()
		}
		s.Stop()
	}
}
