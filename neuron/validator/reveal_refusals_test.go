package validator

import (
	"context"
	"testing"
)

// TestRevealThatCanNeverSucceedIsDropped: the validator keeps its pending commit while the chain says the reveal is
// too early, and drops it when the chain says the reveal can never succeed: no pending commit of this hotkey at all
// (ErrCommitNotFound), or pending commits none of which has this hash (ErrRevealHashMismatch). After a drop the next
// tempo commits again.
func TestRevealThatCanNeverSucceedIsDropped(t *testing.T) {
	cases := []struct {
		name string
		// chainSide changes the fake chain's commits after the validator committed.
		chainSide func(f *fakeChain)
	}{
		{"no pending commit", func(f *fakeChain) { f.commits = map[string]uint64{} }},
		{"pending commits with other hashes", func(f *fakeChain) {
			f.commits = map[string]uint64{"another commit of this hotkey": f.epoch(f.height)}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Params{Tempo: 4, WeightsRateLimit: 1, CommitRevealEnabled: true, CommitRevealPeriod: 1})
			v := e.validator(t, nil)
			ctx := context.Background()
			// A score from a past round (no miner is queried here), then a post at height 98: epoch 24 (heights
			// 97..100), so the reveal epoch is 25 (heights 101..104).
			v.cfg.Book.Observe(3, e.good.Address, 0.9)
			e.fc.setHeight(98)
			if err := v.post(ctx); err != nil {
				t.Fatal(err)
			}
			pc := v.Pending()
			if pc == nil || len(e.fc.commitH) != 1 {
				t.Fatalf("pending %v, commits %v: want one commit", pc, e.fc.commitH)
			}
			e.fc.mu.Lock()
			tc.chainSide(e.fc)
			e.fc.mu.Unlock()

			// Still in the commit's epoch: no reveal is sent, the commit stays.
			for _, h := range []int64{99, 100} {
				e.fc.setHeight(h)
				if err := v.post(ctx); err != nil {
					t.Fatal(err)
				}
				if v.Pending() == nil {
					t.Fatalf("the pending commit was dropped at height %d, before its reveal epoch", h)
				}
			}
			// The first block of the reveal epoch: the chain refuses the reveal for good, and the commit goes at once
			// (kept, it would be retried every round until it expires).
			e.fc.setHeight(101)
			if err := v.post(ctx); err != nil {
				t.Fatal(err)
			}
			if v.Pending() != nil {
				t.Fatal("a reveal the chain can never accept is still pending")
			}
			if len(e.fc.reveals) != 0 {
				t.Fatalf("the fake chain accepted a reveal at %v", e.fc.reveals)
			}
			// Dropped, so the next tempo commits again.
			e.fc.setHeight(110)
			if err := v.post(ctx); err != nil {
				t.Fatal(err)
			}
			if len(e.fc.commitH) != 2 || v.Pending() == nil {
				t.Fatalf("commits at %v after the drop: want a new commit", e.fc.commitH)
			}
		})
	}
}
