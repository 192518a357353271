package netcorebench

import (
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrNoWrk is returned by the wrk measurements when wrk is not on PATH.
var ErrNoWrk = errors.New("netcorebench: wrk is not on PATH (Debian: apt-get install -y wrk)")

var wrkRate = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// Wrk runs one wrk load (one thread, conns keep-alive connections, each
// sending its next request as soon as its answer arrives) against
// http://addr+path for d and returns the requests/s it measured. A load with
// socket errors or non-2xx answers is an error.
func Wrk(addr, path string, conns int, d time.Duration) (float64, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return 0, ErrNoWrk
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	out, err := exec.Command(bin, "-t1", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s", "http://"+addr+path).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	s := string(out)
	if strings.Contains(s, "Socket errors") || strings.Contains(s, "Non-2xx") {
		return 0, fmt.Errorf("wrk reported errors:\n%s", s)
	}
	m := wrkRate.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("wrk: no Requests/sec in\n%s", s)
	}
	return strconv.ParseFloat(m[1], 64)
}

// PairedWrk is [Paired] with wrk as the load generator, in a process of its
// own, against servers that should each run in a process of their own
// ([StartProc]): pairs alternating loads of d (the order flips every pair),
// the ratio the median of the per-pair ratios. Allocations are not measured.
func PairedWrk(oursAddr, peerAddr, path string, conns, pairs int, d time.Duration) (Throughput, error) {
	// Warm both.
	for _, a := range []string{oursAddr, peerAddr} {
		if _, err := Wrk(a, path, conns, time.Second); err != nil {
			return Throughput{}, err
		}
	}
	os, ps, err := alternate(pairs,
		func() (float64, error) { return Wrk(oursAddr, path, conns, d) },
		func() (float64, error) { return Wrk(peerAddr, path, conns, d) })
	if err != nil {
		return Throughput{}, err
	}
	rs := make([]float64, len(os))
	for i := range os {
		rs[i] = os[i] / ps[i]
	}
	return Throughput{Ours: median(os), Peer: median(ps), Ratio: median(rs)}, nil
}
