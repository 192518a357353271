// Package examples holds runnable programs that use Dext for Go:
// examples/quickstart is a short tour of every module.
package examples
