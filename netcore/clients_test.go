package netcore_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dext-go/dext/netcore"
)

// curl runs the curl binary, skipping the test when it is not installed.
func curl(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	bin, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed (apt-get install curl); skipping the real-client test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"-sS", "--max-time", "15"}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

func TestCurlKeepAlive(t *testing.T) {
	s := start(t, echo)
	base := "http://" + s.Addr().String()
	out, errs := curl(t, "-v", base+"/one", base+"/two", base+"/three")
	if out != "GET /one GET /two GET /three " {
		t.Fatalf("curl got %q", out)
	}
	if !strings.Contains(errs, "Re-using existing connection") && !strings.Contains(errs, "Reusing existing") {
		t.Fatalf("curl did not reuse the connection:\n%s", errs)
	}
	if got := s.Stats().Requests; got != 3 {
		t.Fatalf("requests = %d", got)
	}
}

func TestCurlChunkedUpload(t *testing.T) {
	s := start(t, echo)
	path := filepath.Join(t.TempDir(), "body")
	body := strings.Repeat("0123456789abcdef", 64<<10) // 1 MiB
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs := curl(t, "-v", "-H", "Transfer-Encoding: chunked", "--data-binary", "@"+path, "http://"+s.Addr().String()+"/up")
	if want := "POST /up " + body; out != want {
		t.Fatalf("curl got %d bytes, want %d", len(out), len(want))
	}
	if !strings.Contains(errs, "Transfer-Encoding: chunked") {
		t.Fatalf("curl did not send chunked:\n%s", errs)
	}
}

func TestCurlExpectContinue(t *testing.T) {
	s := start(t, echo)
	body := strings.Repeat("x", 100<<10)
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// --expect100-timeout is long: curl must get the 100 from the server,
	// not give up waiting for it.
	out, errs := curl(t, "-v", "--expect100-timeout", "10", "-H", "Expect: 100-continue", "--data-binary", "@"+path, "http://"+s.Addr().String()+"/e")
	if out != "POST /e "+body {
		t.Fatalf("curl got %d bytes", len(out))
	}
	if !strings.Contains(errs, "HTTP/1.1 100 Continue") {
		t.Fatalf("no 100 Continue:\n%s", errs)
	}
}

func TestGoClientStreaming(t *testing.T) {
	// Server-Sent-Events-like streaming: each event is flushed and must
	// reach the client before the handler goes on.
	next := make(chan struct{})
	s := start(t, netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
		w.SetHeader("Content-Type", "text/event-stream")
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			if err := w.Flush(); err != nil {
				return
			}
			select {
			case <-next:
			case <-time.After(5 * time.Second):
				return
			}
		}
	}))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://" + s.Addr().String() + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64)
	for i := range 3 {
		n, err := io.ReadAtLeast(resp.Body, buf, len(fmt.Sprintf("data: %d\n\n", i)))
		if err != nil || string(buf[:n]) != fmt.Sprintf("data: %d\n\n", i) {
			t.Fatalf("event %d = %q, %v", i, buf[:n], err)
		}
		next <- struct{}{}
	}
}
