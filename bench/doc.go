// Package bench holds side-by-side benchmarks against peer libraries, one
// sub-package per area (nullablebench, netcorebench, …), and the report
// command (bench/cmd/report) that writes their ratios into RESULTS.md.
package bench
