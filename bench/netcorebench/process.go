package netcorebench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// BuildServer builds the benchserver command into dir and returns its path.
func BuildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "benchserver")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/dext-go/dext/bench/netcorebench/benchserver")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build benchserver: %w\n%s", err, out)
	}
	return bin, nil
}

// Proc is a benchserver process.
type Proc struct {
	Addr  string
	Start time.Time // when exec started
	Ready time.Time // when READY was read
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// StartProc execs the benchserver binary with the engine and waits for it
// to be ready.
func StartProc(bin, engine string) (*Proc, error) {
	cmd := exec.Command(bin, "-engine", engine)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	p := &Proc{cmd: cmd, stdin: stdin, Start: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	p.Ready = time.Now()
	if err != nil {
		p.Stop()
		return nil, fmt.Errorf("benchserver %s: %w", engine, err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if !ok {
		p.Stop()
		return nil, fmt.Errorf("benchserver %s said %q", engine, line)
	}
	p.Addr = addr
	return p, nil
}

// Stop ends the process.
func (p *Proc) Stop() {
	_ = p.stdin.Close()
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// Status returns a field of /proc/<pid>/status in bytes (VmRSS, VmHWM).
func (p *Proc) Status(field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			f := strings.Fields(string(rest))
			if len(f) < 1 {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("netcorebench: no " + field + " in /proc status")
}

// RaiseFileLimit raises the soft RLIMIT_NOFILE to the hard limit and
// returns the new soft limit.
func RaiseFileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, err
		}
	}
	return rl.Cur, nil
}
