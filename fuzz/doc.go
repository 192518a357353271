// Package fuzz holds the fuzz targets of Dext for Go, one sub-package per
// module. Each target's seed corpus (f.Add plus testdata/fuzz) replays on every
// `go test`; `make fuzz` runs each target for FUZZTIME.
package fuzz
