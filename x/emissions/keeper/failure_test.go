package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
)

// TestFailingSubnetEpochDoesNotStopTheChain corrupts one subnet (a neuron record with an invalid hotkey): its
// epoch fails with EventEpochFailed and keeps its pool, the chain keeps producing blocks, the other subnet is paid.
func TestFailingSubnetEpochDoesNotStopTheChain(t *testing.T) {
	c := newChain(t)
	bad := createSubnet(t, c, "alice")
	good := createSubnet(t, c, "bob")
	register(c, bad, "carol", "v1")
	register(c, good, "dave", "v2")
	register(c, good, "erin", "m1")
	addStake(c, "dave", "v2", 100_000_000)
	c.NextBlock()

	n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), bad, 0)
	if err != nil {
		t.Fatal(err)
	}
	n.Hotkey = "not-an-address"
	if err := c.SubnetsKeeper.Neurons.Set(c.WriteCtx(), collections.Join(bad, uint32(0)), n); err != nil {
		t.Fatal(err)
	}
	c.NextBlock()

	badPaidStake := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr)
	goodOwner := c.Balance(c.Account("bob").Addr)
	failed, ran := 0, 0
	for i := 0; i < 25; i++ {
		res := c.NextBlock()
		for _, e := range res.Events {
			switch e.Type {
			case "tokenmind.emissions.v1.EventEpochFailed":
				failed++
			case "tokenmind.emissions.v1.EventEpoch":
				ran++
			}
		}
	}
	if failed < 2 || ran < 2 {
		t.Fatalf("epochs failed %d times and ran %d times in 25 blocks; want both at least twice", failed, ran)
	}
	badPool, _ := c.EmissionsKeeper.Pool(c.Ctx(), bad)
	if !badPool.IsPositive() {
		t.Fatal("the failing subnet's pool was lost")
	}
	if !c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr).Equal(badPaidStake) {
		t.Fatal("the failing subnet paid out")
	}
	if !c.Balance(c.Account("bob").Addr).GT(goodOwner) {
		t.Fatal("the healthy subnet's owner was not paid")
	}
	idx, _ := c.SubnetsKeeper.CurrentEpochIndex(c.Ctx(), bad)
	if idx != 0 {
		t.Fatalf("the failed epochs' writes were kept (epoch index %d)", idx)
	}
	if o, _ := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), good, 1); o.EpochHeight == 0 {
		t.Fatal("no outputs stored for the healthy subnet")
	}
	requireInvariants(t, c)
}
