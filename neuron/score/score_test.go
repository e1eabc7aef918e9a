package score_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/score"
)

func addr(b byte) sdk.AccAddress { return sdk.AccAddress(append(make([]byte, 19), b)) }

func TestPersistAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "scores.json")
	b, err := score.Open(path, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	b.Observe(0, addr(1), 1)
	b.Observe(0, addr(1), 1)   // 0.5 then 0.75
	b.Observe(2, addr(2), 0.4) // 0.2
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	// "Restart": a new instance reads the file.
	b2, err := score.Open(path, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := b2.Get(0)
	if !ok || math.Abs(e.Score-0.75) > 1e-12 || e.Samples != 2 {
		t.Fatalf("uid 0 after restart: %+v %v", e, ok)
	}
	b2.Observe(0, addr(1), 0) // EMA continues from the persisted value
	if e, _ := b2.Get(0); math.Abs(e.Score-0.375) > 1e-12 {
		t.Fatalf("EMA after restart %v, want 0.375", e.Score)
	}
	// No temp files left behind.
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Fatalf("directory holds %d files", len(ents))
	}
	if _, err := score.Open(path, 2, 0.5); err == nil {
		t.Fatal("opened another subnet's file")
	}
	if err := os.WriteFile(path, []byte("{trunc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := score.Open(path, 1, 0.5); err == nil {
		t.Fatal("corrupt file accepted")
	}
}

func TestResetOnHotkeyChange(t *testing.T) {
	b, _ := score.Open(filepath.Join(t.TempDir(), "s.json"), 1, 0.5)
	b.Observe(3, addr(1), 1)
	b.Observe(3, addr(1), 1)
	// UID 3 was pruned and re-registered by another hotkey: its history must not carry over.
	b.Observe(3, addr(9), 0.2)
	e, _ := b.Get(3)
	if !e.Hotkey.Equals(addr(9)) || math.Abs(e.Score-0.1) > 1e-12 || e.Samples != 1 {
		t.Fatalf("after hotkey change: %+v", e)
	}
	// Sync from the metagraph drops UIDs that changed hands or vanished.
	b.Observe(4, addr(4), 1)
	b.Observe(5, addr(5), 1)
	b.Sync(map[uint16]sdk.AccAddress{3: addr(9), 4: addr(44)})
	if _, ok := b.Get(4); ok {
		t.Fatal("uid 4 kept after its hotkey changed")
	}
	if _, ok := b.Get(5); ok {
		t.Fatal("uid 5 kept after deregistration")
	}
	if _, ok := b.Get(3); !ok {
		t.Fatal("uid 3 dropped")
	}
}

func TestWeights(t *testing.T) {
	b, _ := score.Open(filepath.Join(t.TempDir(), "s.json"), 1, 1)
	if u, w := b.Weights(); u != nil || w != nil {
		t.Fatal("weights from an empty book")
	}
	b.Observe(7, addr(7), 0.5)
	b.Observe(1, addr(1), 1)
	b.Observe(4, addr(4), 0.25)
	b.Observe(9, addr(9), 0)
	u, w := b.Weights()
	want := map[uint16]uint16{1: 65535, 4: 16384, 7: 32768}
	if len(u) != 3 || u[0] != 1 || u[1] != 4 || u[2] != 7 {
		t.Fatalf("uids %v", u)
	}
	for i := range u {
		if w[i] != want[u[i]] {
			t.Fatalf("uid %d weight %d, want %d", u[i], w[i], want[u[i]])
		}
	}
}
