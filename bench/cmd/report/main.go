// Command report runs the side-by-side peer comparisons and writes their
// ratios into bench/RESULTS.md, one section per suite.
//
//	cd bench && go run ./cmd/report                    # every suite
//	cd bench && go run ./cmd/report -only nullable     # one section
//	cd bench && go run ./cmd/report -only nullable -row 'v2 marshal'   # print matching rows only
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dext-go/dext/bench/atomicxbench"
	"github.com/dext-go/dext/bench/dibench"
	"github.com/dext-go/dext/bench/immutablebench"
	"github.com/dext-go/dext/bench/internal/report"
	"github.com/dext-go/dext/bench/netcorebench"
	"github.com/dext-go/dext/bench/nullablebench"
	"github.com/dext-go/dext/bench/ormbench"
)

// suites lists every area's comparisons, in the order of RESULTS.md.
var suites = []report.Suite{
	atomicxbench.Suite,
	dibench.Suite,
	immutablebench.Suite,
	netcorebench.ParserSuite,
	nullablebench.Suite,
	netcorebench.Suite,
	ormbench.Suite,
}

const header = `# Benchmark results

Side-by-side comparisons with peer libraries. Each row runs both sides in
interleaved rounds inside one process (median of the rounds), so ratios are
meaningful even on a noisy shared machine; absolute times are not. "ratio" is
our time relative to the peer's. Regenerate everything with ` + "`make bench`" + `,
or one section or row with the command shown.
`

func main() {
	only := flag.String("only", "", "comma-separated suite names to run (default: all)")
	row := flag.String("row", "", "regexp selecting rows; with it, results are printed and RESULTS.md is left alone")
	rounds := flag.Int("rounds", 3, "interleaved rounds per comparison (the median is kept)")
	out := flag.String("out", "RESULTS.md", "file to update")
	flag.Parse()

	var filter *regexp.Regexp
	if *row != "" {
		var err error
		if filter, err = regexp.Compile(*row); err != nil {
			fmt.Fprintln(os.Stderr, "report: -row:", err)
			os.Exit(2)
		}
	}
	names := strings.FieldsFunc(*only, func(r rune) bool { return r == ',' })
	for _, n := range names {
		if !slices.ContainsFunc(suites, func(s report.Suite) bool { return s.Name == n }) {
			fmt.Fprintf(os.Stderr, "report: unknown suite %q\n", n)
			os.Exit(2)
		}
	}

	doc := header
	if b, err := os.ReadFile(*out); err == nil {
		doc = string(b)
	}
	for _, s := range suites {
		if len(names) > 0 && !slices.Contains(names, s.Name) {
			continue
		}
		fmt.Fprintf(os.Stderr, "== %s\n", s.Name)
		rec := report.NewRecorder(s.Name, *rounds, filter, func(line string) { fmt.Fprintln(os.Stderr, line) })
		s.Run(rec)
		section := report.Section(s, rec.Rows(), time.Now())
		if filter != nil {
			fmt.Print(section)
			continue
		}
		doc = report.Splice(doc, s.Name, section)
		if err := os.WriteFile(*out, []byte(doc), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}
}
