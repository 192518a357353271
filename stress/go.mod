module github.com/dext-go/dext/stress

go 1.26
