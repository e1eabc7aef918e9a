package validator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TestRoundKeepsVerifiableReceipts: every answer of a round lands in the receipt log with the exact request and
// response bytes and the miner's signature; the file verifies, and a tampered answer does not.
func TestRoundKeepsVerifiableReceipts(t *testing.T) {
	e := newEnv(t, Params{Tempo: 10, WeightsRateLimit: 5})
	v := e.validator(t, nil)
	path := filepath.Join(e.dir, "receipts-1.jsonl")
	rl, err := OpenReceiptLog(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	v.cfg.Receipts = rl
	e.fc.setHeight(100)
	if err := v.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := rl.Close(); err != nil {
		t.Fatal(err)
	}
	byHotkey := map[string]ReceiptRecord{}
	ok, bad, err := VerifyReceiptFile(path, func(r ReceiptRecord, err error) {
		if err != nil {
			t.Errorf("receipt of uid %d: %v", r.UID, err)
		}
		byHotkey[r.Hotkey] = r
	})
	if err != nil || bad != 0 {
		t.Fatalf("verify: %d ok, %d bad, %v", ok, bad, err)
	}
	// The good and the broken miner answered OK (signed). The hung one has no OK answer: either none at all, or —
	// when its own deadline fires just before the validator's — a signed TIMEOUT, which is kept too.
	for name, a := range map[string]sdk.AccAddress{"good": e.good.Address, "broken": e.bad.Address} {
		r, found := byHotkey[a.String()]
		if !found || r.Status != "STATUS_OK" || len(r.Receipt.Request) == 0 || len(r.Receipt.Response) == 0 {
			t.Fatalf("%s miner's receipt: %+v (found %v)", name, r, found)
		}
	}
	hung, found := byHotkey[e.stuck.Address.String()]
	if found && hung.Status == "STATUS_OK" {
		t.Fatalf("the hung miner has an OK receipt: %+v", hung)
	}
	want := 2
	if found {
		want = 3
	}
	if ok != want {
		t.Fatalf("%d receipts, want %d (two answers, plus the hung miner's TIMEOUT: %v)", ok, want, found)
	}

	// Change one byte of a stored response: the file no longer verifies.
	raw, _ := os.ReadFile(path)
	lines := strings.SplitN(string(raw), "\n", 2)
	i := strings.Index(lines[0], `"response":"`) + len(`"response":"`)
	c := byte('A')
	if lines[0][i] == 'A' {
		c = 'B'
	}
	tampered := lines[0][:i] + string(c) + lines[0][i+1:] + "\n" + lines[1]
	if err := os.WriteFile(path, []byte(tampered), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, bad, _ := VerifyReceiptFile(path, nil); bad != 1 {
		t.Fatalf("tampered file: %d bad receipts, want 1", bad)
	}
}

func TestReceiptLogRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "neuron", "r.jsonl") // the directory does not exist yet
	rl, err := OpenReceiptLog(path, 300)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if err := rl.Append(ReceiptRecord{UID: uint16(i), Task: "ner", Status: "STATUS_OK"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rl.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + ".1"} {
		st, err := os.Stat(p)
		if err != nil || st.Size() > 300 || st.Size() == 0 {
			t.Fatalf("%s: %v (size %d, limit 300)", p, err, st.Size())
		}
	}
	if err := rl.Append(ReceiptRecord{}); err == nil {
		t.Fatal("append after close succeeded")
	}
}

// TestWarmupDelaysTheFirstPostOnly: with WarmupRounds 2 the first round posts nothing and the second posts weights.
func TestWarmupDelaysTheFirstPostOnly(t *testing.T) {
	e := newEnv(t, Params{Tempo: 10, WeightsRateLimit: 5})
	v := e.validator(t, nil)
	v.cfg.WarmupRounds = 2
	ctx := context.Background()
	e.fc.setHeight(100)
	if err := v.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.fc.sets) != 0 {
		t.Fatalf("posted during warm-up: %v", e.fc.sets)
	}
	e.fc.setHeight(101)
	if err := v.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.fc.sets) != 1 || e.fc.sets[0] != 101 {
		t.Fatalf("weights at %v, want [101] after the warm-up", e.fc.sets)
	}
}
