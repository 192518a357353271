//go:build !race

package nullable_test

const raceEnabled = false
