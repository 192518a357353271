module github.com/dext-go/dext/fuzz

go 1.26

require github.com/dext-go/dext/netcore v0.0.0

replace github.com/dext-go/dext/netcore => ../netcore
