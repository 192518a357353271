//go:build !goexperiment.jsonv2

package nullable_test

// v1OnV2 reports whether encoding/json is built on json/v2 (GOEXPERIMENT=jsonv2,
// and Go 1.27 by default). It then calls the v2 methods with encoding/json's
// own options (escape U+2028, accept invalid UTF-8), so its bytes and its
// acceptance follow v1's rules instead of matching json/v2's.
const v1OnV2 = false
