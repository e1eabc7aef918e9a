package proclock_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tokenmind/tokenmind/neuron/proclock"
)

func TestSecondAcquireIsRefusedWithTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "neuron", "hot.lock")
	l, err := proclock.Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to an open file, so a second open in this process conflicts like another process would.
	_, err = proclock.Acquire(path)
	var held *proclock.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second acquire: %v, want *HeldError", err)
	}
	if held.Pid != os.Getpid() || !strings.Contains(held.Command, os.Args[0]) || held.Path != path {
		t.Fatalf("held = %+v, want pid %d and command %q", held, os.Getpid(), os.Args[0])
	}
	if msg := err.Error(); !strings.Contains(msg, "process "+strconv.Itoa(os.Getpid())) || !strings.Contains(msg, path) {
		t.Fatalf("message %q does not name the pid and the file", msg)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := proclock.Acquire(path)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	_ = l2.Release()
}

// A record left by a process that died (its lock went with it) does not block, and is overwritten.
func TestStaleRecordDoesNotBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hot.lock")
	if err := os.WriteFile(path, []byte("999999\nneuron validator --key old\nleftover line that is longer than the new record\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := proclock.Acquire(path)
	if err != nil {
		t.Fatalf("stale record blocked: %v", err)
	}
	defer func() {
		if err := l.Release(); err != nil {
			t.Errorf("release: %v", err)
		}
	}()
	b, _ := os.ReadFile(path)
	if lines := strings.Split(string(b), "\n"); lines[0] != strconv.Itoa(os.Getpid()) || strings.Contains(string(b), "leftover") {
		t.Fatalf("record not rewritten: %q", b)
	}
}
