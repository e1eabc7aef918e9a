package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// epochsIn returns the EventEpoch of one block by netuid, failing on EventEpochFailed.
func epochsIn(t *testing.T, c *integration.App) map[uint32]*types.EventEpoch {
	t.Helper()
	res := c.NextBlock()
	if failed := typedEvents[*types.EventEpochFailed](t, res.Events); len(failed) > 0 {
		t.Fatalf("block %d: epoch failed: %+v", c.Height(), failed[0])
	}
	out := map[uint32]*types.EventEpoch{}
	for _, e := range typedEvents[*types.EventEpoch](t, res.Events) {
		if e.Height != uint64(c.Height()) {
			t.Fatalf("EventEpoch of subnet %d says height %d in block %d", e.Netuid, e.Height, c.Height())
		}
		out[e.Netuid] = e
	}
	return out
}

func ran(m map[uint32]*types.EventEpoch) string {
	s := ""
	for n := uint32(0); n < 64; n++ {
		if _, ok := m[n]; ok {
			s += fmt.Sprintf(" %d", n)
		}
	}
	return "[" + s + " ]"
}

// TestEpochDeferral: five subnets fall due in the same block with max_epochs_per_block 2. Subnets 1 and 2 run in
// that block, 3 and 4 in the next, 5 in the one after: each runs exactly once. A waiting subnet's pool is kept (it
// still receives its share every block) and is paid in full when its epoch runs (total_paid + carried = the pool at
// that block); while it waits, the NextEpoch query says 0 blocks to go. Its next epoch is one tempo after it ran.
func TestEpochDeferral(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) { gs.Params.MaxEpochsPerBlock = 8 })
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob", "carol", "dave", "erin")
	if len(netuids) != 5 || netuids[0] != 1 || netuids[4] != 5 {
		t.Fatalf("netuids %v", netuids)
	}
	untilStarted(t, c, netuids...) // all five ran their first epoch in the same block
	due := schedule(t, c, 1).NextEpochHeight
	for _, n := range netuids {
		if s := schedule(t, c, n); s.NextEpochHeight != due {
			t.Fatalf("subnet %d next epoch at %d, subnet 1 at %d: not due together", n, s.NextEpochHeight, due)
		}
	}
	for uint64(c.Height())+1 < due {
		c.NextBlock()
	}
	setParams(t, c, c.WriteCtx(), func(p *types.Params) { p.MaxEpochsPerBlock = 2 })
	share := math.NewInt(900_000 / 5) // default emission and security share; no stake anywhere: equal parts

	want := [][]uint32{{1, 2}, {3, 4}, {5}}
	runAt := map[uint32]uint64{}
	for block, wantRun := range want {
		before := pools(t, c, netuids)
		got := epochsIn(t, c)
		h := uint64(c.Height())
		if len(got) != len(wantRun) {
			t.Fatalf("block %d (%d after due): subnets %s ran, want %v", h, block, ran(got), wantRun)
		}
		for _, n := range wantRun {
			e, ok := got[n]
			if !ok {
				t.Fatalf("block %d: subnets %s ran, want %v", h, ran(got), wantRun)
			}
			runAt[n] = h
			pool := before[n-1].Add(share)
			if !e.TotalPaid.Add(e.Carried).Equal(pool) || !e.TotalPaid.IsPositive() {
				t.Fatalf("subnet %d's epoch paid %s and carried %s of a pool of %s", n, e.TotalPaid, e.Carried, pool)
			}
			if p := pools(t, c, []uint32{n})[0]; !p.Equal(e.Carried) {
				t.Fatalf("subnet %d's pool is %s after its epoch, the event says %s carried", n, p, e.Carried)
			}
		}
		for _, n := range netuids {
			if _, done := runAt[n]; done {
				continue
			}
			// Waiting: pool kept and still growing, and the query says it runs as soon as there is room.
			if p := pools(t, c, []uint32{n})[0]; !p.Equal(before[n-1].Add(share)) {
				t.Fatalf("block %d: waiting subnet %d's pool went from %s to %s, want + %s", h, n, before[n-1], p, share)
			}
			res, err := queryClient(c).NextEpoch(c.Ctx(), &types.QueryNextEpochRequest{Netuid: n})
			if err != nil {
				t.Fatal(err)
			}
			if res.BlocksUntilNextEpoch != 0 || res.NextEpochHeight != due {
				t.Fatalf("waiting subnet %d: next epoch %d in %d blocks, want %d now", n, res.NextEpochHeight, res.BlocksUntilNextEpoch, due)
			}
		}
	}
	if got := epochsIn(t, c); len(got) != 0 {
		t.Fatalf("subnets %s ran again", ran(got))
	}
	for _, n := range netuids {
		if s := schedule(t, c, n); s.LastEpochBlock != runAt[n] || s.NextEpochHeight != runAt[n]+10 {
			t.Fatalf("subnet %d ran at %d; schedule says last %d next %d", n, runAt[n], s.LastEpochBlock, s.NextEpochHeight)
		}
	}
	requireInvariants(t, c)
}

// TestEpochDeferralUnderSustainedOverload: three subnets of tempo 2 need 1.5 epochs a block, but only one runs per
// block. Waiting epochs keep the height they fell due at and run before those that fall due later, so the subnets
// take turns (each runs every third block) instead of the lowest netuids running at every turn and the highest
// never again.
func TestEpochDeferralUnderSustainedOverload(t *testing.T) {
	c := integration.New(t, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		gs.Params.MinHyperparameters.Tempo = 2
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.WeightsRateLimit, hp.MaxAllowedUids, hp.MaxAllowedValidators = 2, 1, 16, 8
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
		eg := types.DefaultGenesis()
		eg.Params.MaxEpochsPerBlock = 1
		integration.SetGenesisModule(g, a, types.ModuleName, eg)
	}))
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob", "carol")
	untilStarted(t, c, netuids...)
	last := map[uint32]int64{}
	count := map[uint32]int{}
	for i := 0; i < 30; i++ {
		got := epochsIn(t, c)
		if len(got) != 1 {
			t.Fatalf("block %d: subnets %s ran, want exactly one (demand exceeds max_epochs_per_block)", c.Height(), ran(got))
		}
		for n := range got {
			if l, ok := last[n]; ok && c.Height()-l > 3 {
				t.Fatalf("subnet %d waited %d blocks between epochs (at %d and %d)", n, c.Height()-l, l, c.Height())
			}
			last[n] = c.Height()
			count[n]++
		}
	}
	for _, n := range netuids {
		if count[n] < 9 {
			t.Fatalf("in 30 blocks the subnets ran %v times; subnet %d only %d", count, n, count[n])
		}
	}
	requireInvariants(t, c)
}

// requireNotFound fails unless err is a gRPC NotFound whose message contains want.
func requireNotFound(t *testing.T, err error, want string) {
	t.Helper()
	if status.Code(err) != codes.NotFound {
		t.Fatalf("want gRPC NotFound, got %v", err)
	}
	if s, _ := status.FromError(err); want != "" && !contains(s.Message(), want) {
		t.Fatalf("NotFound message %q does not say %q", s.Message(), want)
	}
}
