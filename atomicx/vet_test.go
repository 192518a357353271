package atomicx_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVetReportsCopies runs `go vet` on testdata/copylocks, which copies a
// value of every type in the package, and checks that copylocks reports each
// copy: the no-op lock every type embeds is what makes that work.
func TestVetReportsCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found:", err)
	}
	out, err := exec.CommandContext(t.Context(), goCmd, "vet", "-copylocks", "./testdata/copylocks").CombinedOutput()
	if err == nil {
		t.Fatalf("go vet reported nothing; output:\n%s", out)
	}
	for _, typ := range []string{"Nullable[int]", "Value[int]", "Ref[int]", "Lazy[int]", "Counter"} {
		want := "assignment copies lock value to " + strings.ToLower(typ[:1]) + "2: github.com/dext-go/dext/atomicx." +
			typ + " contains github.com/dext-go/dext/atomicx.noCopy"
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet output lacks %q:\n%s", want, out)
		}
	}
}
