package netcorebench

import "testing"

func BenchmarkParseBrowserOurs(b *testing.B)     { ParseOurs(BrowserRequest)(b) }
func BenchmarkParseBrowserNetHTTP(b *testing.B)  { ParseNetHTTP(BrowserRequest)(b) }
func BenchmarkParseBrowserFastHTTP(b *testing.B) { ParseFastHTTP(BrowserRequest)(b) }
func BenchmarkParseCurlOurs(b *testing.B)        { ParseOurs(CurlRequest)(b) }
func BenchmarkParseCurlNetHTTP(b *testing.B)     { ParseNetHTTP(CurlRequest)(b) }
func BenchmarkParseCurlFastHTTP(b *testing.B)    { ParseFastHTTP(CurlRequest)(b) }
func BenchmarkChunkedOurs(b *testing.B)          { ChunkedOurs(b) }
func BenchmarkChunkedNetHTTP(b *testing.B)       { ChunkedNetHTTP(b) }
func BenchmarkPipelinedOurs(b *testing.B)        { PipelinedOurs(b) }
func BenchmarkPipelinedFastHTTP(b *testing.B)    { PipelinedFastHTTP(b) }
