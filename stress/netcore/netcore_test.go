// Package netcore_test hammers the netcore engine with many concurrent
// keep-alive clients that pipeline at random depths, split their writes and
// disconnect at random, and checks that no answer is lost or misordered, that
// no goroutine leaks and that memory is flat from one wave to the next.
package netcore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/dext-go/dext/netcore"
	"github.com/dext-go/dext/stress/internal/load"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/panjf2000/ants/v2.(*poolCommon).purgeStaleWorkers"),
		goleak.IgnoreAnyFunction("github.com/panjf2000/ants/v2.(*poolCommon).ticktock"),
		goleak.IgnoreAnyFunction("github.com/panjf2000/ants/v2.(*goWorker).run.func1"),
	)
}

// handler answers "<target> <len> <crc32>" of the body it read, after an
// occasional short pause (so that pipelined requests queue up behind a
// slow one).
var handler = netcore.HandlerFunc(func(w *netcore.Response, r *netcore.Request) {
	body, err := io.ReadAll(r)
	if err != nil {
		return
	}
	if strings.HasSuffix(r.Path(), "/slow") {
		time.Sleep(time.Millisecond)
	}
	fmt.Fprintf(w, "%s %d %08x", r.Target(), len(body), crc32.ChecksumIEEE(body))
})

type stats struct {
	answers     atomic.Int64
	disconnects atomic.Int64
}

// client runs rounds of pipelined requests on keep-alive connections,
// reconnecting after each random disconnect.
func client(addr string, id, rounds int, rng *rand.Rand, st *stats) error {
	var c net.Conn
	var br *bufio.Reader
	defer func() {
		if c != nil {
			_ = c.Close()
		}
	}()
	for round := range rounds {
		if c == nil {
			var err error
			if c, err = net.Dial("tcp", addr); err != nil {
				return err
			}
			br = bufio.NewReader(c)
		}
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		depth := 1 + rng.IntN(8)
		var raw strings.Builder
		var want []string
		for i := range depth {
			target := fmt.Sprintf("/%d/%d/%d", id, round, i)
			if rng.IntN(10) == 0 {
				target += "/slow"
			}
			var body []byte
			if rng.IntN(3) == 0 {
				body = make([]byte, rng.IntN(3000))
				for j := range body {
					body[j] = byte(rng.IntN(256))
				}
			}
			if body != nil && rng.IntN(2) == 0 {
				fmt.Fprintf(&raw, "POST %s HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n", target)
				for rest := body; len(rest) > 0; {
					n := min(len(rest), 1+rng.IntN(700))
					fmt.Fprintf(&raw, "%x\r\n%s\r\n", n, rest[:n])
					rest = rest[n:]
				}
				raw.WriteString("0\r\n\r\n")
			} else {
				fmt.Fprintf(&raw, "POST %s HTTP/1.1\r\nHost: s\r\nContent-Length: %d\r\n\r\n%s", target, len(body), body)
			}
			want = append(want, fmt.Sprintf("%s %d %08x", target, len(body), crc32.ChecksumIEEE(body)))
		}
		b := []byte(raw.String())
		// A random disconnect: drop the connection mid-request or mid-answers.
		drop := rng.IntN(20) == 0
		cut := len(b)
		if drop && rng.IntN(2) == 0 {
			cut = rng.IntN(len(b))
		}
		for sent := 0; sent < cut; {
			n := cut - sent
			if rng.IntN(4) == 0 {
				n = min(n, 1+rng.IntN(64)) // split writes: partial heads and bodies
			}
			if _, err := c.Write(b[sent : sent+n]); err != nil {
				return err
			}
			sent += n
		}
		readN := depth
		if drop {
			readN = rng.IntN(depth + 1)
			if cut < len(b) {
				readN = 0
			}
		}
		for i := range readN {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				return fmt.Errorf("client %d round %d answer %d: %w", id, round, i, err)
			}
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			if resp.StatusCode != 200 || string(got) != want[i] {
				return fmt.Errorf("client %d round %d answer %d = %d %q, want %q", id, round, i, resp.StatusCode, got, want[i])
			}
			st.answers.Add(1)
		}
		if drop {
			st.disconnects.Add(1)
			_ = c.Close()
			c = nil
		}
	}
	return nil
}

// wave runs conns clients concurrently.
func wave(t *testing.T, addr string, conns, rounds int, seed uint64, st *stats) {
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for id := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(id)))
			if err := client(addr, id, rounds, rng, st); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 5 {
			t.Error(err)
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestManyKeepAliveClients(t *testing.T) {
	conns := load.Scale(100)
	rounds := 10
	s := netcore.New(handler, netcore.WithMaxWorkers(256), netcore.WithReadAhead(4<<10))
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	}()
	addr := s.Addr().String()
	var st stats
	wave(t, addr, conns, rounds, 1, &st)
	waitIdle(t, s)
	h1 := heapInUse()
	wave(t, addr, conns, rounds, 2, &st)
	waitIdle(t, s)
	h2 := heapInUse()
	t.Logf("%d clients × %d rounds × 2 waves: %d answers, %d random disconnects, %d detaches; heap in use %d KiB after wave 1, %d KiB after wave 2",
		conns, rounds, st.answers.Load(), st.disconnects.Load(), s.Stats().Detaches, h1>>10, h2>>10)
	if st.answers.Load() == 0 || st.disconnects.Load() == 0 {
		t.Fatal("the load did not run")
	}
	// Flat memory: the second wave leaves no more behind than the first
	// (pools are warm after it), give or take 4 MiB of noise.
	if h2 > h1+4<<20 {
		t.Fatalf("heap grew from %d KiB to %d KiB between identical waves", h1>>10, h2>>10)
	}
}

// waitIdle waits until every connection the server saw has closed.
func waitIdle(t *testing.T, s *netcore.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Conns != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open", s.Stats().Conns)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShutdownUnderLoad shuts the server down while clients are busy: it
// must return, and the clients must see either complete answers or closed
// connections, never a wrong answer.
func TestShutdownUnderLoad(t *testing.T) {
	s := netcore.New(handler, netcore.WithMaxWorkers(64))
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr().String()
	var wrong atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for id := range load.Scale(50) {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				c, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				target := "/" + strconv.Itoa(id) + "/" + strconv.Itoa(n)
				if _, err := io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: s\r\n\r\n"); err == nil {
					resp, err := http.ReadResponse(bufio.NewReader(c), nil)
					if err == nil {
						got, _ := io.ReadAll(resp.Body)
						if want := target + " 0 00000000"; string(got) != want && !errors.Is(err, io.ErrUnexpectedEOF) {
							wrong.Add(1)
						}
					}
				}
				_ = c.Close()
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	close(stop)
	wg.Wait()
	if wrong.Load() != 0 {
		t.Fatalf("%d wrong answers", wrong.Load())
	}
}
