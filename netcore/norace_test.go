//go:build !race

package netcore_test

const raceEnabled = false
