// Command pairproc measures the unpipelined keep-alive rows with the load
// generator in a process of its own: it builds benchserver, runs netcore and
// the peer engine each in a process of its own, and loads them from this
// process with the same client and the same alternating pairs as the report
// runner. It checks how much the in-process arrangement of the report (client
// and servers sharing one Go runtime) shifts the ratios.
//
//	cd bench && go run ./netcorebench/pairproc -peer net/http -path /hello -runs 3
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dext-go/dext/bench/netcorebench"
)

func main() {
	peer := flag.String("peer", "net/http", "peer engine: net/http or fasthttp")
	path := flag.String("path", "/hello", "/hello or /json")
	depth := flag.Int("depth", 1, "requests pipelined per round")
	runs := flag.Int("runs", 1, "paired measurements to make")
	flag.Parse()
	if err := run(*peer, *path, *depth, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "pairproc:", err)
		os.Exit(1)
	}
}

func run(peer, path string, depth, runs int) error {
	dir, err := os.MkdirTemp("", "pairproc")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := netcorebench.BuildServer(dir)
	if err != nil {
		return err
	}
	ours, err := netcorebench.StartProc(bin, "netcore")
	if err != nil {
		return err
	}
	defer ours.Stop()
	other, err := netcorebench.StartProc(bin, peer)
	if err != nil {
		return err
	}
	defer other.Stop()
	for range runs {
		tp, err := netcorebench.Paired(ours.Addr, other.Addr, path, netcorebench.LoadConns, depth, netcorebench.Pairs, netcorebench.Slice)
		if err != nil {
			return err
		}
		fmt.Printf("netcore %.0f req/s, %s %.0f req/s: netcore/%s %.2f×\n", tp.Ours, peer, tp.Peer, peer, tp.Ratio)
	}
	return nil
}
