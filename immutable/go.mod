module github.com/dext-go/dext/immutable

go 1.26

require (
	github.com/benbjohnson/immutable v0.4.3
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3
	go.uber.org/goleak v1.3.0
	pgregory.net/rapid v1.3.0
)

require golang.org/x/exp v0.0.0-20220518171630-0b5c67f07fdf // indirect
