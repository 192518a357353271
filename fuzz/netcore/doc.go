// Package netcore holds the fuzz targets of module netcore (package
// netcore_test): FuzzParser and FuzzChunkedDecoder check that the HTTP/1.1
// codec never panics or hangs and gives the same answer however its input is
// split; FuzzDifferential compares it with net/http's ReadRequest. README.md
// lists every deliberate disagreement with net/http.
package netcore
