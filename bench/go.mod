module github.com/dext-go/dext/bench

go 1.26

require (
	github.com/dext-go/dext/atomicx v0.0.0
	github.com/dext-go/dext/nullable v0.0.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3 // indirect
	github.com/puzpuzpuz/xsync/v3 v3.5.1 // indirect
)

replace (
	github.com/dext-go/dext/atomicx => ../atomicx
	github.com/dext-go/dext/nullable => ../nullable
)
