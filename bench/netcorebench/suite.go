package netcorebench

import (
	"fmt"
	"os"
	"time"

	"github.com/dext-go/dext/bench/internal/report"
)

// Sizes of the measurements, as the issue states them.
const (
	LoadConns   = 32
	Pipeline    = 16
	IdleConns   = 10_000
	UploadBytes = 1 << 30
	Pairs       = 21                     // alternating measurement pairs per throughput row
	Slice       = 250 * time.Millisecond // length of one side of a pair
	WrkPairs    = 15                     // alternating wrk pairs per wrk row
	WrkSlice    = time.Second            // length of one wrk load
)

// Suite is the netcore section of bench/RESULTS.md.
var Suite = report.Suite{
	Name:  "netcore",
	Title: "netcore: HTTP/1.1 engine vs net/http and fasthttp",
	Notes: `Loopback. Except in the rows marked "wrk", the load generator runs in the same process as
the servers it compares: a Go client of our own (one goroutine, its own epoll set, raw non-blocking
reads and writes, prebuilt requests, allocation-free answer parsing) over ` + fmt.Sprint(LoadConns) + ` keep-alive
connections, in rounds (every connection sends, then every answer is read). Every engine serves the same fixed hello-world (13 B) and 1 KiB JSON bodies.
Throughput rows: the two servers are loaded in ` + fmt.Sprint(Pairs) + ` alternating pairs of ` + Slice.String() + ` slices
(the order flips every pair), and the ratio is the median of the per-pair requests/s ratios, so
that the load other processes put on this shared machine hits both sides of a pair alike;
requests/s are the medians of the slices. Allocations per request are the whole process's
while that server was loaded (the client allocates nothing). The memory and start-up rows run each server
in a process of its own (` + "`netcorebench/benchserver`" + `, built with -trimpath -s -w) and read its
/proc status: RSS growth for 10,000 idle keep-alive connections that each made one
request, peak RSS growth while a 1 GiB body is uploaded to a handler that sleeps 1 ms
after every 256 KiB it reads, and exec-to-first-answer time (median of 15 runs).
The machine is a shared 2-core VM: absolute figures vary from run to run, and so do the
unpipelined ratios; the pipelined, memory and allocation rows are stable.
The rows marked "wrk" put every server in a process of its own (` + "`netcorebench/benchserver`" + `)
and load it with wrk (` + "`wrk -t1 -c" + fmt.Sprint(LoadConns) + "`" + `: one thread, each connection sending its next request
as soon as its answer arrives), in ` + fmt.Sprint(WrkPairs) + ` alternating pairs of ` + WrkSlice.String() + ` loads, the ratio the median
of the per-pair ratios; they need wrk on PATH (Debian: ` + "`apt-get install -y wrk`" + `). The in-process client
flatters the event-loop engine somewhat: its blocking epoll_wait holds one of the runtime's two Ps,
which costs the goroutine-per-connection servers more. A third arrangement, the in-process client
moved to a process of its own (` + "`cd bench && go run ./netcorebench/pairproc -peer net/http -path /hello -runs 2`" + `),
sends 32 requests and waits for all 32 answers before the next round, so every request
arrives in a burst; on 2026-11-22 at 02:51 UTC it measured netcore at 1.38× and 1.41× net/http
for hello-world, 1.38× and 1.44× for JSON, and 0.92× fasthttp.`,
	Run: run,
}

func run(r *report.Recorder) {
	servers := map[string]*Server{}
	for _, e := range Engines {
		s, err := Start(e)
		if err != nil {
			panic(err)
		}
		servers[e] = s
	}
	defer func() {
		for _, s := range servers {
			s.Stop()
		}
	}()
	paired := func(name, goal string, minRatio float64, maxAllocs float64, peer, path string, depth int) {
		if !r.Want(name) {
			return
		}
		tp, err := Paired(servers["netcore"].Addr, servers[peer].Addr, path, LoadConns, depth, Pairs, Slice)
		if err != nil {
			panic(err)
		}
		row := report.Row{Name: name,
			Ours:  fmt.Sprintf("%.0f req/s, %.3f allocs/req", tp.Ours, tp.AllocsPerReq),
			Peer:  fmt.Sprintf("%.0f req/s, %.3f allocs/req", tp.Peer, tp.PeerAllocsPerR),
			Ratio: report.FormatRatio(1 / tp.Ratio), Goal: goal}
		if goal != "" {
			row.Met = yesNo(tp.Ratio >= minRatio && (maxAllocs < 0 || tp.AllocsPerReq <= maxAllocs))
		}
		r.Add(row)
	}
	paired("keep-alive hello: netcore vs net/http", "≥ 1.5× net/http req/s, 0 allocs/req (≤ 0.01: a Date value is formatted once a second)", 1.5, 0.01, "net/http", "/hello", 1)
	paired("keep-alive JSON 1 KiB: netcore vs net/http", "≥ 1.5× net/http req/s", 1.5, -1, "net/http", "/json", 1)
	paired("keep-alive hello: netcore vs fasthttp", "", 0, -1, "fasthttp", "/hello", 1)
	paired("pipelined ×16 hello: netcore vs fasthttp", "≥ fasthttp req/s", 1, -1, "fasthttp", "/hello", Pipeline)
	paired("pipelined ×16 JSON 1 KiB: netcore vs fasthttp", "≥ fasthttp req/s", 1, -1, "fasthttp", "/json", Pipeline)
	paired("pipelined ×16 hello: netcore vs net/http", "", 0, -1, "net/http", "/hello", Pipeline)

	wrkRows := []struct {
		name, goal string
		minRatio   float64
		peer, path string
	}{
		{"keep-alive hello, wrk, servers in own processes: netcore vs net/http", "≥ 1.5× net/http req/s", 1.5, "net/http", "/hello"},
		{"keep-alive JSON 1 KiB, wrk, servers in own processes: netcore vs net/http", "≥ 1.5× net/http req/s", 1.5, "net/http", "/json"},
		{"keep-alive hello, wrk, servers in own processes: netcore vs fasthttp", "", 0, "fasthttp", "/hello"},
	}
	bin, tmp := "", ""
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	binary := func() string {
		if bin == "" {
			dir, err := os.MkdirTemp("", "netcorebench")
			if err != nil {
				panic(err)
			}
			tmp = dir
			if bin, err = BuildServer(dir); err != nil {
				panic(err)
			}
		}
		return bin
	}
	procs := map[string]*Proc{}
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	proc := func(engine string) *Proc {
		if procs[engine] == nil {
			p, err := StartProc(binary(), engine)
			if err != nil {
				panic(err)
			}
			procs[engine] = p
		}
		return procs[engine]
	}
	for _, w := range wrkRows {
		if !r.Want(w.name) {
			continue
		}
		tp, err := PairedWrk(proc("netcore").Addr, proc(w.peer).Addr, w.path, LoadConns, WrkPairs, WrkSlice)
		if err != nil {
			panic(err)
		}
		row := report.Row{Name: w.name, Ours: fmt.Sprintf("%.0f req/s", tp.Ours), Peer: fmt.Sprintf("%.0f req/s", tp.Peer),
			Ratio: report.FormatRatio(1 / tp.Ratio), Goal: w.goal}
		if w.goal != "" {
			row.Met = yesNo(tp.Ratio >= w.minRatio)
		}
		r.Add(row)
	}
	for _, p := range procs {
		p.Stop()
	}
	clear(procs)

	heavy := []string{"idle keep-alive connections: RSS per connection, netcore vs net/http",
		"idle keep-alive connections: RSS per connection, netcore vs fasthttp",
		"1 GiB upload read slowly: server peak RSS growth, netcore vs net/http",
		"start-up: exec to first answered request, netcore vs net/http"}
	want := false
	for _, h := range heavy {
		want = want || r.Want(h)
	}
	if !want {
		return
	}
	bin = binary()
	if _, err := RaiseFileLimit(); err != nil {
		panic(err)
	}
	if r.Want(heavy[0]) || r.Want(heavy[1]) {
		per := map[string]float64{}
		for _, e := range Engines {
			if e == "fasthttp" && !r.Want(heavy[1]) || e == "net/http" && !r.Want(heavy[0]) {
				continue
			}
			v, err := IdleMemory(bin, e, IdleConns)
			if err != nil {
				panic(err)
			}
			per[e] = v
		}
		for i, peer := range []string{"net/http", "fasthttp"} {
			if _, ok := per[peer]; !ok {
				continue
			}
			row := report.Row{Name: heavy[i], Ours: kib(per["netcore"]), Peer: kib(per[peer]) + " (" + peer + ")",
				Ratio: fmt.Sprintf("%.1f× less", per[peer]/max(per["netcore"], 1))}
			if peer == "net/http" {
				row.Goal = "≤ 2 KiB per connection"
				row.Met = yesNo(per["netcore"] <= 2048)
			}
			r.Add(row)
		}
	}
	if r.Want(heavy[2]) {
		og, od, err := UploadMemory(bin, "netcore", UploadBytes)
		if err != nil {
			panic(err)
		}
		pg, pd, err := UploadMemory(bin, "net/http", UploadBytes)
		if err != nil {
			panic(err)
		}
		r.Add(report.Row{Name: heavy[2], Ours: fmt.Sprintf("%.1f MiB in %.1f s", mib(og), od.Seconds()),
			Peer: fmt.Sprintf("%.1f MiB in %.1f s", mib(pg), pd.Seconds()), Ratio: "–",
			Goal: "< 64 MiB", Met: yesNo(og < 64<<20)})
	}
	if r.Want(heavy[3]) {
		o, err := Startup(bin, "netcore", 15)
		if err != nil {
			panic(err)
		}
		p, err := Startup(bin, "net/http", 15)
		if err != nil {
			panic(err)
		}
		r.Add(report.Row{Name: heavy[3], Ours: fmt.Sprintf("%.2f ms", float64(o.Microseconds())/1e3),
			Peer: fmt.Sprintf("%.2f ms", float64(p.Microseconds())/1e3), Ratio: report.FormatRatio(float64(o) / float64(p)),
			Goal: "report (the sidecar needs < 10 ms)", Met: yesNo(o < 10e6)})
	}
}

func kib(b float64) string { return fmt.Sprintf("%.2f KiB", b/1024) }
func mib(b int64) float64  { return float64(b) / (1 << 20) }

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
