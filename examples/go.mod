module github.com/dext-go/dext/examples

go 1.26

require github.com/dext-go/dext/nullable v0.0.0

replace github.com/dext-go/dext/nullable => ../nullable
