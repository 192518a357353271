package netcorebench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"
)

// IdleMemory starts a fresh server process, opens n keep-alive connections
// that each make one request and then stay idle, and returns the growth of
// the server's resident memory divided by n.
func IdleMemory(bin, engine string, n int) (perConn float64, err error) {
	p, err := StartProc(bin, engine)
	if err != nil {
		return 0, err
	}
	defer p.Stop()
	// Warm up: pools, buffers and worker goroutines exist before the baseline.
	if err := hammer(p.Addr, 32, 50); err != nil {
		return 0, err
	}
	time.Sleep(500 * time.Millisecond)
	before, err := p.Status("VmRSS")
	if err != nil {
		return 0, err
	}
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	next := make(chan int)
	for range 64 {
		wg.Go(func() {
			for i := range next {
				c, err := net.Dial("tcp", p.Addr)
				if err != nil {
					errs <- err
					continue
				}
				conns[i] = c
				if _, err := c.Write(Request("/hello", 1)); err != nil {
					errs <- err
					continue
				}
				if err := ReadAnswer(bufio.NewReaderSize(c, 512)); err != nil {
					errs <- err
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.Close()
			}
		}
	}()
	for e := range errs {
		return 0, fmt.Errorf("%s: opening idle connections: %w", engine, e)
	}
	time.Sleep(time.Second)
	after, err := p.Status("VmRSS")
	if err != nil {
		return 0, err
	}
	return float64(after-before) / float64(n), nil
}

// hammer makes conns connections do rounds requests each, then closes them.
func hammer(addr string, conns, rounds int) error {
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	for range conns {
		wg.Go(func() {
			cl, err := Dial(addr, "/hello", 1)
			if err != nil {
				errc <- err
				return
			}
			defer cl.Close()
			for range rounds {
				if err := cl.Round(); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// UploadMemory starts a fresh server process and streams a size-byte body to
// its /upload handler, which reads slowly; it returns the growth of the
// server's peak resident memory over its resident memory before the upload.
func UploadMemory(bin, engine string, size int64) (growth int64, elapsed time.Duration, err error) {
	p, err := StartProc(bin, engine)
	if err != nil {
		return 0, 0, err
	}
	defer p.Stop()
	if err := hammer(p.Addr, 4, 10); err != nil {
		return 0, 0, err
	}
	time.Sleep(200 * time.Millisecond)
	before, err := p.Status("VmRSS")
	if err != nil {
		return 0, 0, err
	}
	c, err := net.Dial("tcp", p.Addr)
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	t0 := time.Now()
	head := "POST /upload HTTP/1.1\r\nHost: bench\r\nContent-Type: application/octet-stream\r\nContent-Length: " + strconv.FormatInt(size, 10) + "\r\n\r\n"
	if _, err := io.WriteString(c, head); err != nil {
		return 0, 0, err
	}
	chunk := make([]byte, 256<<10)
	for sent := int64(0); sent < size; {
		n := min(int64(len(chunk)), size-sent)
		if _, err := c.Write(chunk[:n]); err != nil {
			return 0, 0, err
		}
		sent += n
	}
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil {
		return 0, 0, err
	}
	if len(line) < 12 || line[9:12] != "200" {
		return 0, 0, fmt.Errorf("%s upload answered %q", engine, line)
	}
	elapsed = time.Since(t0)
	peak, err := p.Status("VmHWM")
	if err != nil {
		return 0, 0, err
	}
	return peak - before, elapsed, nil
}

// Startup execs a fresh server process runs times and returns the median
// time from exec to the first answered request.
func Startup(bin, engine string, runs int) (time.Duration, error) {
	var ds []time.Duration
	for range runs {
		p, err := StartProc(bin, engine)
		if err != nil {
			return 0, err
		}
		cl, err := Dial(p.Addr, "/hello", 1)
		if err == nil {
			err = cl.Round()
			_ = cl.Close()
		}
		d := time.Since(p.Start)
		p.Stop()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return 0, errors.New("netcorebench: no start-up runs")
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}
