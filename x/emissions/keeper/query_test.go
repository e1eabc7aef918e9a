package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/baseapp"

	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/types"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// queryClient calls the x/emissions Query service through the app's gRPC query router on the state committed when
// it is made (make a new one after each block), as a node's gRPC server does.
func queryClient(c *integration.App) types.QueryClient {
	return types.NewQueryClient(&baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.GRPCQueryRouter(), Ctx: c.Ctx()})
}

// TestQueries: Params, Schedule, PendingPool and NextEpoch through the gRPC query service, with their error cases.
func TestQueries(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) {
		gs.Params.BlockEmission, gs.Params.HalvingInterval = math.NewInt(1_000_000), 25
	})
	ctx := c.Ctx()

	p, err := queryClient(c).Params(ctx, &types.QueryParamsRequest{})
	if err != nil || !p.Params.BlockEmission.Equal(math.NewInt(1_000_000)) || p.Params.HalvingInterval != 25 {
		t.Fatalf("params %+v, %v", p, err)
	}

	// Schedule: the emission of the current height, the next halving and the total minted so far.
	for c.Height() < 26 {
		c.NextBlock()
	}
	s, err := queryClient(c).Schedule(c.Ctx(), &types.QueryScheduleRequest{})
	if err != nil {
		t.Fatal(err)
	}
	minted := int64(24*1_000_000 + 2*500_000) // blocks 1..24 at 1 MIND, 25 and 26 at 0.5
	if !s.BlockEmission.Equal(math.NewInt(500_000)) || s.NextHalvingHeight != 50 || !s.TotalMinted.Equal(math.NewInt(minted)) {
		t.Fatalf("schedule at height 26: %+v, want 500000 umind a block, next halving at 50, %d minted", s, minted)
	}

	// NextEpoch and PendingPool of a subnet before its first epoch.
	netuid := createSubnet(t, c, "alice")
	c.NextBlock() // x/emissions schedules it
	sched := schedule(t, c, netuid)
	ne, err := queryClient(c).NextEpoch(c.Ctx(), &types.QueryNextEpochRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	if ne.LastEpochBlock != sched.LastEpochBlock || ne.NextEpochHeight != sched.LastEpochBlock+10 || ne.EpochIndex != 0 ||
		ne.BlocksUntilNextEpoch != ne.NextEpochHeight-uint64(c.Height()) {
		t.Fatalf("next epoch at height %d: %+v (scheduled at %d, tempo 10)", c.Height(), ne, sched.LastEpochBlock)
	}
	pool, err := queryClient(c).PendingPool(c.Ctx(), &types.QueryPendingPoolRequest{Netuid: netuid})
	if err != nil || !pool.Amount.IsZero() {
		t.Fatalf("pool of a subnet that has not started: %v, %v", pool, err)
	}

	// After the first epoch: the index counts it, the pool fills with the subnet's share.
	untilStarted(t, c, netuid)
	c.NextBlocks(2)
	ne, err = queryClient(c).NextEpoch(c.Ctx(), &types.QueryNextEpochRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	if ne.EpochIndex != 1 || ne.NextEpochHeight != ne.LastEpochBlock+10 || ne.BlocksUntilNextEpoch != 8 {
		t.Fatalf("two blocks after the first epoch: %+v", ne)
	}
	pool, err = queryClient(c).PendingPool(c.Ctx(), &types.QueryPendingPoolRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	if kept, _ := c.EmissionsKeeper.Pool(c.Ctx(), netuid); !pool.Amount.Equal(kept) || !pool.Amount.IsPositive() {
		t.Fatalf("pool query %s, store %s", pool.Amount, kept)
	}

	// Unknown subnets: NotFound with a readable message, for both per-subnet queries.
	for _, n := range []uint32{0, 99} {
		_, err = queryClient(c).PendingPool(c.Ctx(), &types.QueryPendingPoolRequest{Netuid: n})
		requireNotFound(t, err, "does not exist")
		_, err = queryClient(c).NextEpoch(c.Ctx(), &types.QueryNextEpochRequest{Netuid: n})
		requireNotFound(t, err, "not scheduled")
	}
	// A subnet created in the last block exists but is not scheduled yet: zero pool, NextEpoch NotFound.
	fresh := createSubnet(t, c, "bob")
	if pool, err := queryClient(c).PendingPool(c.Ctx(), &types.QueryPendingPoolRequest{Netuid: fresh}); err != nil || !pool.Amount.IsZero() {
		t.Fatalf("pool of a subnet created in the last block: %v, %v", pool, err)
	}
	_, err = queryClient(c).NextEpoch(c.Ctx(), &types.QueryNextEpochRequest{Netuid: fresh})
	requireNotFound(t, err, "created in this block")

	// Through ABCI (the CLI's path) the unknown subnet is an error too, not a zero.
	req, _ := (&types.QueryPendingPoolRequest{Netuid: 99}).Marshal()
	res, err := c.Query(c.Ctx(), &abci.RequestQuery{Path: "/tokenmind.emissions.v1.Query/PendingPool", Data: req, Height: c.Height()})
	if err == nil && res.Code == 0 {
		t.Fatalf("ABCI query of subnet 99's pool succeeded: %x", res.Value)
	}
}
