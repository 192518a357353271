// Package netcore is the HTTP/1.1 server engine of Dext for Go, built on
// gnet's event loops.
package netcore
