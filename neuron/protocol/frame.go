// Package protocol implements /tokenmind/query/1.0.0: one length-delimited protobuf Request per stream, answered by
// one SignedResponse whose signature (the miner's hotkey) covers the exact request and response bytes.
package protocol

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrameTooLarge is returned when a frame's declared length exceeds the reader's limit. The body is not read.
var ErrFrameTooLarge = errors.New("protocol: frame exceeds size limit")

// WriteFrame writes len(b) as an unsigned varint followed by b.
func WriteFrame(w io.Writer, b []byte) error {
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(b)))
	buf := make([]byte, 0, n+len(b))
	buf = append(buf, hdr[:n]...)
	buf = append(buf, b...)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one frame of at most max bytes.
func ReadFrame(r *bufio.Reader, max int) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("protocol: frame length: %w", err)
	}
	if n > uint64(max) {
		return nil, fmt.Errorf("%w: %d > %d", ErrFrameTooLarge, n, max)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("protocol: frame body: %w", err)
	}
	return b, nil
}
