package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// TestSupplyFollowsTheHalvingSchedule: with block_emission 1,000,001 umind halving every 20 blocks, each empty block
// raises the total supply by exactly 1,000,001 >> (height / 20) umind (the block before a halving height mints the
// full amount, the halving height itself half of it, floored), total_minted follows, and over 70 blocks spanning
// three halvings the supply grows by exactly the schedule's sum.
func TestSupplyFollowsTheHalvingSchedule(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) {
		gs.Params.BlockEmission, gs.Params.HalvingInterval = math.NewInt(1_000_001), 20
	})
	schedule := func(h int64) math.Int { return math.NewInt(1_000_001 >> (h / 20)) } // written out, not EmissionAt
	start, minted0 := c.Supply(), totalMintedNow(t, c)
	want := math.ZeroInt()
	for c.Height() < 71 {
		before := c.Supply()
		c.NextBlock()
		h := c.Height()
		grew := c.Supply().Sub(before)
		if !grew.Equal(schedule(h)) {
			t.Fatalf("block %d raised the supply by %s, the schedule says %s", h, grew, schedule(h))
		}
		want = want.Add(schedule(h))
	}
	for _, h := range []int64{19, 20, 39, 40, 59, 60} {
		if p, _ := c.EmissionsKeeper.Params.Get(c.Ctx()); !p.EmissionAt(uint64(h)).Equal(schedule(h)) {
			t.Fatalf("EmissionAt(%d) = %s, want %s", h, p.EmissionAt(uint64(h)), schedule(h))
		}
	}
	if !schedule(19).Equal(math.NewInt(1_000_001)) || !schedule(20).Equal(math.NewInt(500_000)) || !schedule(60).Equal(math.NewInt(125_000)) {
		t.Fatal("the written-out schedule is wrong")
	}
	if got := c.Supply().Sub(start); !got.Equal(want) {
		t.Fatalf("over blocks 2..71 the supply grew %s, the schedule sums to %s", got, want)
	}
	if got := totalMintedNow(t, c).Sub(minted0); !got.Equal(want) {
		t.Fatalf("total_minted grew %s, the schedule sums to %s", got, want)
	}
	requireInvariants(t, c)
}

func totalMintedNow(t *testing.T, c *integration.App) math.Int {
	t.Helper()
	m, err := c.EmissionsKeeper.TotalMintedAmount(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSecurityShareReachesDistribution: one block's emission of 1,000,003 umind with security_share_bps 1234 splits
// into exactly floor(1,000,003 × 1234 / 10,000) = 123,400 to the fee collector and 876,603 to the subnets' pools;
// in the next block x/distribution takes exactly those 123,400 from the fee collector into its own accounts (the
// in-process chain passes no votes, so x/distribution books them to the community pool; with votes they go to the
// validators), while the fee collector receives the next block's share.
func TestSecurityShareReachesDistribution(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) {
		gs.Params.BlockEmission, gs.Params.HalvingInterval, gs.Params.SecurityShareBps = math.NewInt(1_000_003), 0, 1234
	})
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob")
	untilStarted(t, c, netuids...)
	c.NextBlock() // what waited for a started subnet joins this block's split
	untilQuiet(t, c)
	if u := undistributed(t, c); !u.IsZero() {
		t.Fatalf("undistributed %s with two started subnets", u)
	}
	const security, rest = 123_400, 876_603

	feeCollector := func() math.Int { return moduleBalance(c, authtypes.FeeCollectorName) }
	distrTotal := func() math.LegacyDec { // what x/distribution has booked: community pool + validators' outstanding rewards
		fp, err := c.DistrKeeper.FeePool.Get(c.Ctx())
		if err != nil {
			t.Fatal(err)
		}
		sum := fp.CommunityPool.AmountOf(app.BondDenom)
		c.DistrKeeper.IterateValidatorOutstandingRewards(c.Ctx(), func(_ sdk.ValAddress, r distrtypes.ValidatorOutstandingRewards) bool {
			sum = sum.Add(r.Rewards.AmountOf(app.BondDenom))
			return false
		})
		return sum
	}
	poolsBefore, supplyBefore := pools(t, c, netuids), c.Supply()
	c.NextBlock()
	if got := feeCollector(); !got.Equal(math.NewInt(security)) {
		t.Fatalf("fee collector holds %s after the block, want the security share %d", got, security)
	}
	poolsGrew := sub(pools(t, c, netuids), poolsBefore)
	if got := poolsGrew[0].Add(poolsGrew[1]); !got.Equal(math.NewInt(rest)) {
		t.Fatalf("the subnets' pools grew by %v (sum %s), want %d", poolsGrew, got, rest)
	}
	if got := c.Supply().Sub(supplyBefore); !got.Equal(math.NewInt(security + rest)) {
		t.Fatalf("supply grew %s, want the block emission %d", got, security+rest)
	}

	distrBefore, bookedBefore := moduleBalance(c, distrtypes.ModuleName), distrTotal()
	c.NextBlock()
	if got := moduleBalance(c, distrtypes.ModuleName).Sub(distrBefore); !got.Equal(math.NewInt(security)) {
		t.Fatalf("x/distribution received %s from the fee collector, want %d", got, security)
	}
	if got := distrTotal().Sub(bookedBefore); !got.Equal(math.LegacyNewDec(security)) {
		t.Fatalf("x/distribution booked %s, want %d", got, security)
	}
	if got := feeCollector(); !got.Equal(math.NewInt(security)) {
		t.Fatalf("fee collector holds %s, want only the new block's %d", got, security)
	}
	requireInvariants(t, c)
}
