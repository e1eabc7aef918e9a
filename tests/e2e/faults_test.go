package e2e

import (
	"encoding/json"
	"testing"
	"time"
)

// TestValidatorFaults runs four validators as separate processes and checks the two chain fault scenarios:
//  1. one of four stops: blocks keep coming; back again, it catches up and its app hashes match the others';
//  2. two of four stop: the chain halts without forking; restarted, it resumes and a tx committed before the halt
//     is still there.
func TestValidatorFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process fault test")
	}
	net := StartNetwork(t, 4)
	a, b, c, d := net.Nodes[0], net.Nodes[1], net.Nodes[2], net.Nodes[3]

	// 1. Lose one validator (25% of the power): the other three still have > 2/3.
	d.Stop()
	h := a.Height()
	stopped := time.Now()
	a.WaitHeight(h + 5)
	t.Logf("with 3/4 validators: 5 blocks in %s", time.Since(stopped).Round(time.Millisecond))
	d.Start()
	restarted := time.Now()
	target := a.Height()
	d.WaitHeight(target)
	t.Logf("restarted validator caught up %d blocks in %s", target-h, time.Since(restarted).Round(time.Millisecond))
	for _, height := range []int64{h + 1, target} {
		if ha, hd := a.AppHashAt(height), d.AppHashAt(height); ha == "" || ha != hd {
			t.Fatalf("app hash at %d: node0 %q, restarted node %q", height, ha, hd)
		}
	}

	// A transaction committed while all four run.
	to := a.KeyAddr("validator")
	a.TxOK("tx", "bank", "send", "alice", to, "12345umind", "--from", "alice")
	committedAt := a.Height()

	// 2. Lose two validators (50%): no quorum, the chain must halt, not fork.
	c.Stop()
	d.Stop()
	time.Sleep(2 * time.Second) // let an in-flight round finish
	haltedAt := a.Height()
	if !a.Stalled(5 * time.Second) {
		t.Fatalf("chain kept producing blocks with 2 of 4 validators down (height %d → %d)", haltedAt, a.Height())
	}
	if ha, hb := a.AppHashAt(haltedAt), b.AppHashAt(haltedAt); ha != hb {
		t.Fatalf("the two live validators disagree at %d: %s vs %s", haltedAt, ha, hb)
	}
	c.Start()
	d.Start()
	resumed := time.Now()
	a.WaitHeight(haltedAt + 3)
	t.Logf("after restarting two validators the chain resumed 3 blocks in %s", time.Since(resumed).Round(time.Millisecond))
	for _, n := range net.Nodes {
		n.WaitHeight(haltedAt + 3)
	}
	for _, n := range net.Nodes[1:] {
		if ha, hn := a.AppHashAt(haltedAt+2), n.AppHashAt(haltedAt+2); ha != hn {
			t.Fatalf("fork after resume at %d: %s vs %s", haltedAt+2, ha, hn)
		}
	}
	// The transaction committed before the halt is still there, on every node.
	// Its recipient had 10,000,000 MIND at genesis and bonded 1,000,000 MIND; fees are zero on this network.
	for i, n := range net.Nodes {
		var res struct {
			Balance struct {
				Amount string `json:"amount"`
			} `json:"balance"`
		}
		if err := json.Unmarshal(n.Query("q", "bank", "balance", to, "umind"), &res); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		if res.Balance.Amount != "9000000012345" {
			t.Fatalf("node %d: recipient balance %s, want 9000000012345 (the committed send is missing)", i, res.Balance.Amount)
		}
	}
	if committedAt >= haltedAt+3 {
		t.Fatalf("the tx was committed at %d, after the halt at %d", committedAt, haltedAt)
	}
}
