// Package http1 is netcore's incremental, zero-copy, strict HTTP/1.1 codec.
package http1
