module github.com/dext-go/dext/di

go 1.26
