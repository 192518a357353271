package ormbench_test

import (
	"os"
	"testing"

	"github.com/dext-go/dext/bench/ormbench"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ormbench.Cleanup()
	os.Exit(code)
}

func BenchmarkOrmPointRead(b *testing.B)         { ormbench.OrmPointRead(b) }
func BenchmarkOrmPointReadParallel(b *testing.B) { ormbench.OrmPointReadParallel(b) }
func BenchmarkRawPointRead(b *testing.B)         { ormbench.RawPointRead(b) }
func BenchmarkGormPointRead(b *testing.B)        { ormbench.GormPointRead(b) }
func BenchmarkBunPointRead(b *testing.B)         { ormbench.BunPointRead(b) }
func BenchmarkSqlxPointRead(b *testing.B)        { ormbench.SqlxPointRead(b) }
func BenchmarkOrmRead1000(b *testing.B)          { ormbench.OrmRead1000(b) }
func BenchmarkRawRead1000(b *testing.B)          { ormbench.RawRead1000(b) }
func BenchmarkGormRead1000(b *testing.B)         { ormbench.GormRead1000(b) }
func BenchmarkBunRead1000(b *testing.B)          { ormbench.BunRead1000(b) }
func BenchmarkSqlxRead1000(b *testing.B)         { ormbench.SqlxRead1000(b) }
func BenchmarkOrmInsert1000(b *testing.B)        { ormbench.OrmInsert1000(b) }
func BenchmarkRawInsert1000(b *testing.B)        { ormbench.RawInsert1000(b) }
func BenchmarkGormInsert1000(b *testing.B)       { ormbench.GormInsert1000(b) }
func BenchmarkBunInsert1000(b *testing.B)        { ormbench.BunInsert1000(b) }
