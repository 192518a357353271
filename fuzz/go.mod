module github.com/dext-go/dext/fuzz

go 1.26
