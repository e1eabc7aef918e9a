package validator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// PendingCommit is a weights commit awaiting its reveal; the salt is secret until then.
type PendingCommit struct {
	Uids         []uint32 `json:"uids"`
	Values       []uint32 `json:"values"`
	Salt         []byte   `json:"salt"`
	VersionKey   uint64   `json:"version_key"`
	Hash         []byte   `json:"hash"`
	CommitHeight uint64   `json:"commit_height"`
	CommitEpoch  uint64   `json:"commit_epoch"` // the subnet's epoch index read before broadcasting the commit
	RevealEpoch  uint64   `json:"reveal_epoch"` // CommitEpoch + commit_reveal_period: the epoch whose reveal the chain accepts
}

// state is what the loop keeps across restarts besides the score book.
type state struct {
	path     string
	NetUID   uint16         `json:"netuid"`
	LastPost uint64         `json:"last_post_height"`
	Pending  *PendingCommit `json:"pending_commit,omitempty"`
}

func loadState(path string, netuid uint16) (*state, error) {
	st := &state{path: path, NetUID: netuid}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("validator: read %s: %w", path, err)
	}
	if err := json.Unmarshal(raw, st); err != nil {
		return nil, fmt.Errorf("validator: %s is corrupt: %w", path, err)
	}
	if st.NetUID != netuid {
		return nil, fmt.Errorf("validator: %s holds subnet %d, not %d", path, st.NetUID, netuid)
	}
	st.path = path
	return st, nil
}

// save writes the state atomically (temporary file, fsync, rename); the file is private (it holds the salt).
func (s *state) save() error {
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("validator: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("validator: write state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("validator: sync state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}
