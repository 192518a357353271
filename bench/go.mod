module github.com/dext-go/dext/bench

go 1.26
