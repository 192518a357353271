module github.com/dext-go/dext/nullable

go 1.26
