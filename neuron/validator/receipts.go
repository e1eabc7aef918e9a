package validator

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// DefaultReceiptLogBytes is the size at which a receipt log is rotated.
const DefaultReceiptLogBytes = 64 << 20

// ReceiptRecord is one miner answer as the validator received it. The receipt holds the exact request and response
// bytes, their sha256 hashes and the miner's signature over both, so it proves on its own what the miner answered.
type ReceiptRecord struct {
	Time    time.Time      `json:"time"`
	NetUID  uint16         `json:"netuid"`
	UID     uint16         `json:"uid"`
	Hotkey  string         `json:"hotkey"`
	Task    string         `json:"task"`
	Status  string         `json:"status"`
	Latency time.Duration  `json:"latency_ns"`
	Receipt *types.Receipt `json:"receipt"`
}

// ReceiptLog appends receipts to a JSON-lines file. It is bounded: past maxBytes the file is renamed to <path>.1
// (replacing the previous one) and a new file is started, so at most two files of maxBytes exist. Safe for
// concurrent use.
type ReceiptLog struct {
	mu       sync.Mutex
	path     string
	maxBytes int64
	f        *os.File
	size     int64
}

// OpenReceiptLog opens (or creates) the log at path; maxBytes <= 0 means DefaultReceiptLogBytes.
func OpenReceiptLog(path string, maxBytes int64) (*ReceiptLog, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultReceiptLogBytes
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	l := &ReceiptLog{path: path, maxBytes: maxBytes}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *ReceiptLog) open() error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("receipts: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("receipts: %w", err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Append writes one record with a single write to the file (nothing is buffered: a crash loses nothing appended).
func (l *ReceiptLog) Append(r ReceiptRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("receipts: log closed")
	}
	if l.size > 0 && l.size+int64(len(line)) > l.maxBytes {
		if err := l.rotate(); err != nil {
			return err
		}
	}
	if _, err := l.f.Write(line); err != nil {
		return fmt.Errorf("receipts: %w", err)
	}
	l.size += int64(len(line))
	return nil
}

func (l *ReceiptLog) rotate() error {
	if err := l.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return fmt.Errorf("receipts: rotate: %w", err)
	}
	return l.open()
}

// Close closes the file.
func (l *ReceiptLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// VerifyReceiptFile reads a receipt log and checks every receipt's hashes and signature. It returns how many
// verified and the first problems (line number and reason), at most 20 of them.
func VerifyReceiptFile(path string, each func(ReceiptRecord, error)) (ok, bad int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		var r ReceiptRecord
		verr := json.Unmarshal(sc.Bytes(), &r)
		if verr == nil {
			verr = protocol.VerifyReceipt(r.Receipt)
		}
		if verr != nil {
			bad++
			verr = fmt.Errorf("line %d: %w", line, verr)
		} else {
			ok++
		}
		if each != nil {
			each(r, verr)
		}
	}
	return ok, bad, sc.Err()
}
