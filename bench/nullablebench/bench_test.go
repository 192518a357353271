package nullablebench

import (
	"strings"
	"testing"
)

func TestCodecsAgree(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkNullable(b *testing.B) {
	for _, c := range Comparisons() {
		name := strings.NewReplacer(" ", "_", ":", "").Replace(c.Name)
		b.Run(name+"/ours", c.Ours)
		b.Run(name+"/peer", c.Peer)
	}
}
