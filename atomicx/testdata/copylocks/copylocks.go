// Package copylocks copies every atomicx type after use; `go vet` must report
// each copy (see TestVetReportsCopies).
package copylocks

import "github.com/dext-go/dext/atomicx"

func Copies() {
	var n atomicx.Nullable[int]
	n2 := n // want: copies lock value (Nullable)
	_ = n2.Load()

	var v atomicx.Value[int]
	v2 := v // want: copies lock value (Value)
	_ = v2.Load()

	var r atomicx.Ref[int]
	r2 := r // want: copies lock value (Ref)
	_ = r2.Load()

	var l atomicx.Lazy[int]
	l2 := l // want: copies lock value (Lazy)
	_, _ = l2.Load()

	var c atomicx.Counter
	c2 := c // want: copies lock value (Counter)
	_ = c2.Value()
}
