// Command benchserver serves the netcorebench endpoints (/hello, /json,
// /upload) with one engine in a process of its own, so that its memory and
// start-up can be measured from outside. It prints "READY <addr>" once it
// answers, and exits when its standard input closes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dext-go/dext/bench/netcorebench"
)

func main() {
	engine := flag.String("engine", "netcore", "netcore, net/http or fasthttp")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	s, err := netcorebench.StartOn(*engine, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "READY", s.Addr)
	_ = w.Flush()
	_, _ = io.Copy(io.Discard, os.Stdin)
	s.Stop()
}
