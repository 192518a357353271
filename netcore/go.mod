module github.com/dext-go/dext/netcore

go 1.26
