package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
)

// TestLateCopierEarnsLess: three validators with equal stake. Two weight the miner the network agrees on from the
// start; the third first weights another miner and copies the consensus only later. Bonds reward the early, honest
// validators: over the same epochs after the copy, the copier's dividends stay below theirs.
func TestLateCopierEarnsLess(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	for _, v := range []string{"v1", "v2", "v3"} {
		register(c, netuid, "bob", v) // uids 0, 1, 2
	}
	register(c, netuid, "carol", "m1") // uid 3
	register(c, netuid, "carol", "m2") // uid 4
	for _, v := range []string{"v1", "v2", "v3"} {
		addStake(c, "bob", v, 10_000_000)
	}
	stake := func(h string) math.Int { return c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account(h).Addr) }
	epoch := func(copierUID uint32) {
		setWeights(c, netuid, "v1", []uint32{3}, []uint32{65535})
		setWeights(c, netuid, "v2", []uint32{3}, []uint32{65535})
		setWeights(c, netuid, "v3", []uint32{copierUID}, []uint32{65535})
		toEpoch(t, c, netuid)
		c.NextBlock()
	}
	// Bootstrap: the first epoch records stake snapshots, the second grants permits (no weights can be set before).
	for i := 0; i < 2; i++ {
		toEpoch(t, c, netuid)
		c.NextBlock()
	}
	for uid := uint32(0); uid < 3; uid++ {
		out, err := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), netuid, uid)
		if err != nil || !out.ValidatorPermit {
			t.Fatalf("validator uid %d has no permit after bootstrap (%v)", uid, err)
		}
	}
	// v3 disagrees for three epochs, then copies the consensus (m1).
	for i := 0; i < 3; i++ {
		epoch(4)
	}
	v1Before, v3Before := stake("v1"), stake("v3")
	for i := 0; i < 4; i++ {
		epoch(3)
	}
	v1Gain, v3Gain := stake("v1").Sub(v1Before), stake("v3").Sub(v3Before)
	if !v1Gain.IsPositive() {
		t.Fatalf("the honest validator earned nothing (%s)", v1Gain)
	}
	if !v3Gain.LT(v1Gain) {
		t.Fatalf("late copier earned %s, honest early validator %s: bonds should favor the early one", v3Gain, v1Gain)
	}
	t.Logf("after the copy: honest v1 +%s umind, late copier v3 +%s umind", v1Gain, v3Gain)
}
