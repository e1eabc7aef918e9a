// Package proclock makes sure one neuron process at a time runs with a hotkey from a home directory. It holds an
// exclusive flock(2) on a lock file for the life of the process; the kernel drops the lock when the process exits,
// however it exits (kill -9 included), so a crash never leaves the hotkey locked. The file records the holder's pid
// and command line so that a refused process can say which process holds the lock.
package proclock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Lock is a held lock; Release (or the process's exit) frees it.
type Lock struct {
	f    *os.File
	path string
}

// HeldError says that another process holds the lock.
type HeldError struct {
	Path string
	// Pid and Command of the holder as it recorded them (0 and "" if it had not yet).
	Pid     int
	Command string
}

func (e *HeldError) Error() string {
	who := "another process"
	if e.Pid > 0 {
		who = fmt.Sprintf("process %d", e.Pid)
		if e.Command != "" {
			who += fmt.Sprintf(" (%s)", e.Command)
		}
	}
	return fmt.Sprintf("%s holds %s", who, e.Path)
}

// Acquire takes the lock file path (creating it and its directory) without waiting. If another process holds it,
// the error is a *HeldError. The holder's pid and command line are written to the file.
func Acquire(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := flock(f); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			held := &HeldError{Path: path}
			held.Pid, held.Command = parse(f)
			return nil, held
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Only the holder writes, after it holds the lock: a refused process never truncates the holder's record.
	record := fmt.Sprintf("%d\n%s\n", os.Getpid(), strings.Join(os.Args, " "))
	err = f.Truncate(0)
	if err == nil {
		_, err = f.WriteAt([]byte(record), 0)
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("lock %s: record holder: %w", path, err)
	}
	return &Lock{f: f, path: path}, nil
}

func flock(f *os.File) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

// parse reads the holder's record: its pid on the first line and its command line on the second.
func parse(f *os.File) (int, string) {
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	lines := strings.SplitN(string(b[:n]), "\n", 3)
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 {
		return 0, ""
	}
	cmd := ""
	if len(lines) > 1 {
		cmd = strings.TrimSpace(lines[1])
	}
	return pid, cmd
}

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// Release frees the lock. The file stays; the next holder overwrites its record.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
