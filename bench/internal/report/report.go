// Package report runs side-by-side benchmark comparisons and renders them as
// the Markdown sections of bench/RESULTS.md.
//
// A [Suite] belongs to one area (nullable, immutable, netcore, …). Its Run
// function records rows on a [Recorder]: [Recorder.Compare] measures two
// benchmark bodies in interleaved rounds inside one process, so that both
// sides see the same machine state, and reports their ratio; [Recorder.Add]
// records a row measured some other way (requests/s, bytes per connection).
package report

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// Suite is the set of comparisons of one area.
type Suite struct {
	// Name is the short name used by -only and in the section markers.
	Name string
	// Title heads the section in RESULTS.md.
	Title string
	// Notes is Markdown printed under the title (what is measured, how).
	Notes string
	// Run records the suite's rows.
	Run func(r *Recorder)
}

// Row is one line of a results table.
type Row struct {
	Name  string // what is compared, e.g. "JSON v2 marshal: nullable vs *T"
	Ours  string // our figure, formatted
	Peer  string // the peer's figure, formatted
	Ratio string // e.g. "1.42× faster"
	Goal  string // the goal from the issue, or ""
	Met   string // "yes", "no" or ""
	// Command reproduces the row; filled by the Recorder when empty.
	Command string
}

// Recorder collects the rows of one suite.
type Recorder struct {
	suite  string
	rounds int
	filter *regexp.Regexp
	rows   []Row
	log    func(string)
}

// NewRecorder returns a Recorder for the named suite. Rows whose name does not
// match filter (when non-nil) are skipped. Each comparison runs rounds
// interleaved rounds of each side.
func NewRecorder(suite string, rounds int, filter *regexp.Regexp, log func(string)) *Recorder {
	if rounds < 1 {
		rounds = 1
	}
	if log == nil {
		log = func(string) {}
	}
	return &Recorder{suite: suite, rounds: rounds, filter: filter, log: log}
}

// Rows returns the recorded rows.
func (r *Recorder) Rows() []Row { return r.rows }

// Want reports whether the row called name is selected by the filter. Suites
// that measure rows by hand call it to skip expensive work.
func (r *Recorder) Want(name string) bool {
	return r.filter == nil || r.filter.MatchString(name)
}

// Add records a row measured by the suite itself.
func (r *Recorder) Add(row Row) {
	if !r.Want(row.Name) {
		return
	}
	if row.Command == "" {
		row.Command = r.command(row.Name)
	}
	r.log(fmt.Sprintf("%-60s ours %s | peer %s | %s", row.Name, row.Ours, row.Peer, row.Ratio))
	r.rows = append(r.rows, row)
}

func (r *Recorder) command(name string) string {
	return fmt.Sprintf("cd bench && go run ./cmd/report -only %s -row '^%s$'", r.suite, regexp.QuoteMeta(name))
}

// Result is the median of several testing.Benchmark runs of one body.
type Result struct {
	NsPerOp     float64
	AllocsPerOp int64
	BytesPerOp  int64
}

func (res Result) String() string {
	return fmt.Sprintf("%s/op, %d allocs/op, %d B/op", FormatNs(res.NsPerOp), res.AllocsPerOp, res.BytesPerOp)
}

// Goal states what a comparison must show. MaxSlowdown is the largest
// acceptable ours/peer time ratio (1.05 means "at most 5% slower", 1/3 means
// "at least 3× faster"); zero means no time goal. MaxAllocs, when not
// negative, is the largest acceptable allocs/op for our side; AllocsAtMostPeer
// requires no more allocations than the peer.
type Goal struct {
	Text             string
	MaxSlowdown      float64
	MaxAllocs        int64
	AllocsAtMostPeer bool
}

// NoGoal is a comparison that is only reported.
var NoGoal = Goal{MaxAllocs: -1}

// Compare measures ours and peer in interleaved rounds and records a row
// with their ratio.
func (r *Recorder) Compare(name string, goal Goal, ours, peer func(b *testing.B)) (o, p Result) {
	if !r.Want(name) {
		return
	}
	o, p = MeasurePair(r.rounds, ours, peer)
	ratio := o.NsPerOp / p.NsPerOp
	met := ""
	if goal.MaxSlowdown > 0 || goal.MaxAllocs >= 0 || goal.AllocsAtMostPeer {
		ok := true
		if goal.MaxSlowdown > 0 && ratio > goal.MaxSlowdown {
			ok = false
		}
		if goal.MaxAllocs >= 0 && o.AllocsPerOp > goal.MaxAllocs {
			ok = false
		}
		if goal.AllocsAtMostPeer && o.AllocsPerOp > p.AllocsPerOp {
			ok = false
		}
		met = yesNo(ok)
	}
	r.Add(Row{Name: name, Ours: o.String(), Peer: p.String(), Ratio: FormatRatio(ratio), Goal: goal.Text, Met: met})
	return o, p
}

// MeasurePair runs ours and peer alternately, rounds times each, and returns
// the median result of each side.
func MeasurePair(rounds int, ours, peer func(b *testing.B)) (Result, Result) {
	var os, ps []testing.BenchmarkResult
	for range rounds {
		os = append(os, testing.Benchmark(ours))
		ps = append(ps, testing.Benchmark(peer))
	}
	return median(os), median(ps)
}

// Measure runs one body rounds times and returns the median.
func Measure(rounds int, body func(b *testing.B)) Result {
	var rs []testing.BenchmarkResult
	for range max(rounds, 1) {
		rs = append(rs, testing.Benchmark(body))
	}
	return median(rs)
}

func median(rs []testing.BenchmarkResult) Result {
	slices.SortFunc(rs, func(a, b testing.BenchmarkResult) int {
		return int(a.NsPerOp() - b.NsPerOp())
	})
	m := rs[len(rs)/2]
	ns := 0.0
	if m.N > 0 {
		ns = float64(m.T.Nanoseconds()) / float64(m.N)
	}
	return Result{NsPerOp: ns, AllocsPerOp: m.AllocsPerOp(), BytesPerOp: m.AllocedBytesPerOp()}
}

// FormatRatio renders ours/peer time: below 1 means ours is faster.
func FormatRatio(oursOverPeer float64) string {
	switch {
	case math.IsNaN(oursOverPeer) || math.IsInf(oursOverPeer, 0) || oursOverPeer <= 0:
		return "n/a"
	case oursOverPeer <= 1:
		return fmt.Sprintf("%.2f× faster", 1/oursOverPeer)
	default:
		return fmt.Sprintf("%.2f× slower", oursOverPeer)
	}
}

// FormatNs renders a duration in nanoseconds with a sensible unit.
func FormatNs(ns float64) string {
	switch {
	case ns < 1000:
		return fmt.Sprintf("%.1f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// Section renders a suite's rows as a Markdown section, with its markers.
func Section(s Suite, rows []Row, when time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## %s\n\n", Begin(s.Name), s.Title)
	fmt.Fprintf(&b, "Measured %s on %s/%s, %d CPUs, %s. Whole section: `cd bench && go run ./cmd/report -only %s`.\n\n",
		when.UTC().Format("2006-01-02 15:04 MST"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), s.Name)
	if s.Notes != "" {
		b.WriteString(strings.TrimSpace(s.Notes))
		b.WriteString("\n\n")
	}
	b.WriteString("| comparison | ours | peer | ratio | goal | met | command |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | `%s` |\n",
			cell(row.Name), cell(row.Ours), cell(row.Peer), cell(row.Ratio), cell(row.Goal), cell(row.Met), row.Command)
	}
	fmt.Fprintf(&b, "\n%s\n", End(s.Name))
	return b.String()
}

func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// Begin and End are the markers around a suite's section in RESULTS.md.
func Begin(name string) string { return "<!-- begin " + name + " -->" }

// End is the closing marker of a suite's section.
func End(name string) string { return "<!-- end " + name + " -->" }

// Splice replaces the section of the named suite in doc (or appends it) and
// returns the new document.
func Splice(doc, name, section string) string {
	begin, end := Begin(name), End(name)
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i >= 0 && j > i {
		return doc[:i] + strings.TrimSuffix(section, "\n") + doc[j+len(end):]
	}
	if doc != "" && !strings.HasSuffix(doc, "\n\n") {
		doc = strings.TrimRight(doc, "\n") + "\n\n"
	}
	return doc + section
}
