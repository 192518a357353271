//go:build goexperiment.jsonv2

package nullable_test

// v1OnV2: see jsonv1_classic_test.go.
const v1OnV2 = true
