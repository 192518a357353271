package netcorebench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Client is one keep-alive connection of the load generator: it writes
// prebuilt requests and parses the answers without allocating, so that a
// benchmark's allocations are the server's.
type Client struct {
	c     net.Conn
	br    *bufio.Reader
	req   []byte
	depth int
}

// Dial opens a client that sends depth pipelined GETs of path per round.
func Dial(addr, path string, depth int) (*Client, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Client{c: c, br: bufio.NewReaderSize(c, 64<<10), req: Request(path, depth), depth: depth}, nil
}

// Close closes the connection.
func (cl *Client) Close() error { return cl.c.Close() }

// Round sends depth requests in one write and reads depth answers.
func (cl *Client) Round() error {
	if _, err := cl.c.Write(cl.req); err != nil {
		return err
	}
	for range cl.depth {
		if err := ReadAnswer(cl.br); err != nil {
			return err
		}
	}
	return nil
}

var (
	errStatus = errors.New("netcorebench: answer is not 200")
	clName    = []byte("content-length:")
)

// ReadAnswer reads one HTTP/1.1 answer with a Content-Length and discards
// its body.
func ReadAnswer(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 12 || string(line[9:12]) != "200" {
		return fmt.Errorf("%w: %q", errStatus, line)
	}
	cl := -1
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if len(line) > len(clName) && bytes.EqualFold(line[:len(clName)], clName) {
			v := bytes.TrimSpace(line[len(clName):])
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return err
			}
			cl = n
		}
	}
	if cl < 0 {
		return errors.New("netcorebench: answer without Content-Length")
	}
	_, err = br.Discard(cl)
	return err
}
