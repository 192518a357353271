// Package nullable provides [Value], an immutable "T or null".
package nullable
