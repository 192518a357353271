package nullablebench

import (
	"strings"
	"testing"
	"time"
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

func TestPaired(t *testing.T) {
	spin := func(n int) func() error {
		return func() error {
			x := 0
			for i := range n {
				x += i * i
			}
			if x < 0 {
				return nil
			}
			return nil
		}
	}
	// A body doing ~8× the work of the other must come out several times slower.
	oNs, pNs, ratio := Paired(spin(4000), spin(500), 41, 200*time.Microsecond)
	if oNs <= 0 || pNs <= 0 || ratio < 2 || ratio > 32 {
		t.Errorf("Paired(8× work, 1×) = %.1f ns, %.1f ns, ratio %.2f; want a ratio near 8", oNs, pNs, ratio)
	}
}
