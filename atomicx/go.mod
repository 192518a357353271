module github.com/dext-go/dext/atomicx

go 1.26

require (
	go.uber.org/goleak v1.3.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/anishathalye/porcupine v1.3.1
	github.com/dext-go/dext/nullable v0.0.0
	github.com/puzpuzpuz/xsync/v3 v3.5.1
)

require github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3 // indirect

replace github.com/dext-go/dext/nullable => ../nullable
