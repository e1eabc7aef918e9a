// Package score keeps a validator's per-UID exponential moving average of miner scores, persists it atomically in the
// node's home so it survives restarts, resets a UID when the hotkey behind it changes, and turns scores into the u16
// weight vector MsgSetWeights carries.
package score

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultAlpha is the weight of a new observation (Bittensor's moving_average_alpha).
const DefaultAlpha = 0.1

// Entry is one UID's state.
type Entry struct {
	Hotkey  sdk.AccAddress `json:"hotkey"`
	Score   float64        `json:"score"`
	Samples uint64         `json:"samples"`
}

type fileFormat struct {
	Version int               `json:"version"`
	NetUID  uint16            `json:"netuid"`
	Alpha   float64           `json:"alpha"`
	Entries map[uint16]*Entry `json:"entries"`
}

// Book is the EMA of one subnet's scores. Safe for concurrent use.
type Book struct {
	mu      sync.Mutex
	path    string
	netuid  uint16
	alpha   float64
	entries map[uint16]*Entry
}

// Open loads the book at path (created on first Save) for netuid. A file for another subnet is an error.
func Open(path string, netuid uint16, alpha float64) (*Book, error) {
	if alpha <= 0 || alpha > 1 {
		return nil, fmt.Errorf("score: alpha %v outside (0, 1]", alpha)
	}
	b := &Book{path: path, netuid: netuid, alpha: alpha, entries: map[uint16]*Entry{}}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("score: read %s: %w", path, err)
	}
	var f fileFormat
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("score: %s is corrupt: %w", path, err)
	}
	if f.NetUID != netuid {
		return nil, fmt.Errorf("score: %s holds subnet %d, not %d", path, f.NetUID, netuid)
	}
	for uid, e := range f.Entries {
		if e == nil || math.IsNaN(e.Score) || e.Score < 0 || e.Score > 1 {
			return nil, fmt.Errorf("score: %s: bad entry for uid %d", path, uid)
		}
		b.entries[uid] = e
	}
	return b, nil
}

// Observe folds a score in [0,1] for uid, whose current hotkey is hotkey. If the UID changed hands since the last
// observation, the previous holder's history is discarded first.
func (b *Book) Observe(uid uint16, hotkey sdk.AccAddress, s float64) {
	if math.IsNaN(s) || s < 0 {
		s = 0
	}
	if s > 1 {
		s = 1
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entries[uid]
	if e == nil || !bytes.Equal(e.Hotkey, hotkey) {
		e = &Entry{Hotkey: append(sdk.AccAddress{}, hotkey...)}
		b.entries[uid] = e
	}
	e.Score = b.alpha*s + (1-b.alpha)*e.Score
	e.Samples++
}

// Sync drops or resets entries whose UID now belongs to another hotkey (or no longer exists). hotkeys maps each
// registered UID to its hotkey, as the metagraph reports it.
func (b *Book) Sync(hotkeys map[uint16]sdk.AccAddress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for uid, e := range b.entries {
		if hk, ok := hotkeys[uid]; !ok || !bytes.Equal(hk, e.Hotkey) {
			delete(b.entries, uid)
		}
	}
}

// Get returns uid's entry.
func (b *Book) Get(uid uint16) (Entry, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.entries[uid]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Save writes the book atomically: a temporary file in the same directory, fsync, rename.
func (b *Book) Save() error {
	b.mu.Lock()
	f := fileFormat{Version: 1, NetUID: b.netuid, Alpha: b.alpha, Entries: make(map[uint16]*Entry, len(b.entries))}
	for uid, e := range b.entries {
		c := *e
		f.Entries[uid] = &c
	}
	b.mu.Unlock()
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(b.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(b.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("score: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("score: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), b.path); err != nil {
		return fmt.Errorf("score: rename: %w", err)
	}
	if d, err := os.Open(dir); err == nil { // persist the rename itself
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Weights returns the UIDs with a positive score (ascending) and their weights: scores normalised so the largest
// becomes 65535 (Bittensor's max-upscale), rounded to nearest. Nil when nothing scored.
func (b *Book) Weights() (uids, weights []uint16) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for uid, e := range b.entries {
		if e.Score > 0 {
			uids = append(uids, uid)
		}
	}
	sort.Slice(uids, func(i, j int) bool { return uids[i] < uids[j] })
	max := 0.0
	for _, u := range uids {
		max = math.Max(max, b.entries[u].Score)
	}
	if max == 0 {
		return nil, nil
	}
	out := uids[:0:0]
	for _, u := range uids {
		w := math.Round(b.entries[u].Score / max * math.MaxUint16)
		if w >= 1 {
			out = append(out, u)
			weights = append(weights, uint16(w))
		}
	}
	return out, weights
}
