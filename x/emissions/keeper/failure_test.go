package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"

	"github.com/tokenmind/tokenmind/testutil/integration"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
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
	setRawNeuron(t, c, c.WriteCtx(), n)
	c.NextBlock()

	badPaidStake := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr)
	goodOwner := c.Balance(c.Account("bob").Addr)
	failed, ran := countEpochs(c, 25)
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

// TestCorruptSubnetRecordKeepsItsSchedule: a subnet whose record no longer decodes is corrupt, not gone. Its epochs
// fail (EventEpochFailed) without halting the chain, it stays on the schedule at the tempo it last had (so it is
// retried, and runs again should the record be repaired), and the other subnet goes on being paid. Only a record
// that is absent (ErrSubnetNotFound) drops a schedule.
func TestCorruptSubnetRecordKeepsItsSchedule(t *testing.T) {
	c := emisChain(t, nil)
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob")
	bad, good := netuids[0], netuids[1]
	register(c, bad, "carol", "v1")
	register(c, good, "dave", "v2")
	addStake(c, "dave", "v2", 100_000_000)
	untilStarted(t, c, bad, good)
	untilQuiet(t, c)
	tempo := schedule(t, c, bad).NextEpochHeight - schedule(t, c, bad).LastEpochBlock

	key, err := collections.EncodeKeyWithPrefix(subnetstypes.SubnetsKey.Bytes(), collections.Uint32Key, bad)
	if err != nil {
		t.Fatal(err)
	}
	c.WriteCtx().KVStore(c.GetKey(subnetstypes.StoreKey)).Set(key, []byte{0xff, 0xff, 0xff})
	c.NextBlock()

	goodOwner := c.Balance(c.Account("bob").Addr)
	failed, ran := countEpochs(c, 3*int(tempo))
	if failed < 2 || ran < 2 {
		t.Fatalf("in %d blocks epochs failed %d times and ran %d times; want both at least twice", 3*tempo, failed, ran)
	}
	s, err := c.EmissionsKeeper.Schedules.Get(c.Ctx(), bad)
	if err != nil {
		t.Fatalf("the corrupt subnet lost its schedule: %v", err)
	}
	if s.NextEpochHeight-s.LastEpochBlock != tempo || s.NextEpochHeight <= uint64(c.Height()) {
		t.Fatalf("the corrupt subnet is scheduled at %d after its last epoch at %d (height %d); want its tempo %d ahead",
			s.NextEpochHeight, s.LastEpochBlock, c.Height(), tempo)
	}
	if !c.Balance(c.Account("bob").Addr).GT(goodOwner) {
		t.Fatal("the healthy subnet's owner was not paid")
	}
	if pool, _ := c.EmissionsKeeper.Pool(c.Ctx(), bad); !pool.IsPositive() {
		t.Fatal("the corrupt subnet's pool was lost")
	}
}

// countEpochs commits blocks and counts the epochs that failed (EventEpochFailed) and ran (EventEpoch) in them.
func countEpochs(c *integration.App, blocks int) (failed, ran int) {
	for i := 0; i < blocks; i++ {
		for _, e := range c.NextBlock().Events {
			switch e.Type {
			case "tokenmind.emissions.v1.EventEpochFailed":
				failed++
			case "tokenmind.emissions.v1.EventEpoch":
				ran++
			}
		}
	}
	return failed, ran
}
