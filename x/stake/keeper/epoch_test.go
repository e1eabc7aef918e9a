package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/keeper"
	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

var carol = testutil.Addr("carol")

func totals(cs []types.CountedStake) []math.Int {
	out := make([]math.Int, len(cs))
	for i, c := range cs {
		out[i] = c.Total
	}
	return out
}

func counted(c sdk.AccAddress, amount int64) types.CountedPosition {
	return types.CountedPosition{Coldkey: c, Amount: math.NewInt(amount)}
}

func snapshot(t *testing.T, f *testutil.Fixture, netuid uint32, hotkeys ...sdk.AccAddress) []types.CountedStake {
	t.Helper()
	cs, err := f.Keeper.SnapshotEpochStake(f.Ctx, netuid, hotkeys)
	require.NoError(t, err)
	return cs
}

func move(t *testing.T, f *testutil.Fixture, cold, from, to sdk.AccAddress, amount int64) {
	t.Helper()
	_, err := f.MsgServer.MoveStake(f.Ctx, &types.MsgMoveStake{
		Coldkey: cold.String(), FromHotkey: from.String(),
		ToHotkey: to.String(), Amount: math.NewInt(amount),
	})
	require.NoError(t, err)
}

func positionSnapshots(t *testing.T, f *testutil.Fixture) int {
	t.Helper()
	n := 0
	require.NoError(t, f.Keeper.Stakes.Walk(f.Ctx, nil, func(_ keeper.PositionKey, pos types.Position) (bool, error) {
		n += len(pos.Snapshots)
		return false, nil
	}))
	return n
}

// TestPositionEpochStakeRule: each position counts the least it held since the subnet's previous epoch; a position
// opened since counts nothing; the hotkey counts the sum.
func TestPositionEpochStakeRule(t *testing.T) {
	f := setup(t)
	f.Fund(t, carol, 1_000_000)
	const net = uint32(1)
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 4_000)
	cs := snapshot(t, f, net, hotA)
	require.True(t, cs[0].Total.IsZero(), "first epoch on the subnet: nothing counts")
	require.Empty(t, cs[0].Positions)

	add(t, f, carol, hotA, 6_000) // just in time: a new position
	remove(t, f, alice, hotA, 3_000)
	add(t, f, alice, hotA, 3_000) // back to 10_000, but she held 7_000 for a while
	add(t, f, bob, hotA, 1_000)   // 5_000 now, 4_000 held since the epoch

	got, err := f.Keeper.EpochStakePositions(f.Ctx, net, hotA)
	require.NoError(t, err)
	require.Equal(t, []types.CountedPosition{counted(alice, 7_000), counted(bob, 4_000)}, got.Positions)
	require.Equal(t, math.NewInt(11_000), got.Total)
	total, err := f.Keeper.EpochStake(f.Ctx, net, hotA)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(11_000), total, "min(total then, total now) would have been 14_000")
	requireInvariants(t, f)

	cs = snapshot(t, f, net, hotA)
	require.Equal(t, got, cs[0])
	// Nothing changed since: every position counts what it holds.
	cs = snapshot(t, f, net, hotA)
	require.Equal(t, []types.CountedPosition{counted(alice, 10_000), counted(bob, 5_000), counted(carol, 6_000)}, cs[0].Positions)
	require.Equal(t, math.NewInt(21_000), cs[0].Total)
	requireInvariants(t, f)
}

// TestMoveStakeJustBeforeEpochCountsNothing: stake moved to another hotkey just before an epoch counts on neither;
// two coldkeys swapping stake between two hotkeys do not keep the hotkeys' counted stake up either.
func TestMoveStakeJustBeforeEpochCountsNothing(t *testing.T) {
	f := setup(t)
	const net = uint32(1)
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotB, 10_000)
	snapshot(t, f, net, hotA, hotB)

	move(t, f, alice, hotA, hotB, 4_000)
	move(t, f, bob, hotB, hotA, 4_000)
	require.Equal(t, math.NewInt(10_000), f.Keeper.GetTotalHotkeyStake(f.Ctx, hotA))
	require.Equal(t, math.NewInt(10_000), f.Keeper.GetTotalHotkeyStake(f.Ctx, hotB))

	cs := snapshot(t, f, net, hotA, hotB)
	require.Equal(t, []types.CountedPosition{counted(alice, 6_000)}, cs[0].Positions, "bob's 4_000 just arrived on hotA")
	require.Equal(t, []types.CountedPosition{counted(bob, 6_000)}, cs[1].Positions, "alice's 4_000 just arrived on hotB")
	require.Equal(t, []math.Int{math.NewInt(6_000), math.NewInt(6_000)}, totals(cs))
	requireInvariants(t, f)

	// Held through the next epoch, the moved stake counts.
	cs = snapshot(t, f, net, hotA, hotB)
	require.Equal(t, []math.Int{math.NewInt(10_000), math.NewInt(10_000)}, totals(cs))
}

// TestHoppingBetweenSubnetsDoesNotCountTwice: subnets 1 and 2 have epochs at different heights. Coins parked on
// hotA for subnet 1's epoch and on hotB for subnet 2's epoch, leaving a little behind on each, count once: leaving
// lowers the position's snapshot at once. (With min(snapshot, now) they would count on both.)
func TestHoppingBetweenSubnetsDoesNotCountTwice(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	add(t, f, alice, hotB, 1_000)
	snapshot(t, f, 1, hotA) // subnet 1's epoch: hotA is registered there
	snapshot(t, f, 2, hotB) // subnet 2's epoch, later

	for round := 0; round < 3; round++ {
		cs := snapshot(t, f, 1, hotA)
		want := int64(1_000) // only what stayed on hotA through subnet 2's epoch
		if round == 0 {
			want = 10_000 // held since subnet 1's first epoch
		}
		require.Equal(t, math.NewInt(want), cs[0].Total, "round %d subnet 1", round)
		move(t, f, alice, hotA, hotB, 9_000)
		cs = snapshot(t, f, 2, hotB)
		require.Equal(t, math.NewInt(1_000), cs[0].Total, "round %d subnet 2", round)
		move(t, f, alice, hotB, hotA, 9_000)
		requireInvariants(t, f)
	}
}

// TestClosedPositionLosesSnapshots: closing a position deletes its snapshots on every subnet, so reopening it
// counts from zero; a partial removal lowers them.
func TestClosedPositionLosesSnapshots(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	snapshot(t, f, 1, hotA)
	snapshot(t, f, 2, hotA)
	require.Equal(t, 2, positionSnapshots(t, f))

	remove(t, f, alice, hotA, 2_000)
	for _, net := range []uint32{1, 2} {
		v, found, err := f.Keeper.PositionSnapshot(f.Ctx, net, hotA, alice)
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, math.NewInt(8_000), v)
	}
	remove(t, f, alice, hotA, 8_000)
	require.Equal(t, 0, positionSnapshots(t, f))
	add(t, f, alice, hotA, 10_000)
	for _, net := range []uint32{1, 2} {
		got, err := f.Keeper.EpochStake(f.Ctx, net, hotA)
		require.NoError(t, err)
		require.True(t, got.IsZero(), "subnet %d: a reopened position counts from zero", net)
	}
	requireInvariants(t, f)
}

// TestClearEpochStakePrunesPositionSnapshots: when a hotkey's UID is replaced, its snapshot on the subnet goes at
// once and its position snapshots there are never read again; EndBlock deletes them a bounded number per block.
func TestClearEpochStakePrunesPositionSnapshots(t *testing.T) {
	f := setup(t)
	var colds []sdk.AccAddress
	for i := 0; i < 5; i++ {
		c := testutil.Addr(fmt.Sprintf("cold-%d", i))
		f.Fund(t, c, 100_000)
		add(t, f, c, hotA, int64(1_000*(i+1)))
		colds = append(colds, c)
	}
	snapshot(t, f, 1, hotA)
	snapshot(t, f, 2, hotA)
	require.Equal(t, 10, positionSnapshots(t, f))

	require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, 1, hotA))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventEpochStakeCleared"))
	got, err := f.Keeper.EpochStake(f.Ctx, 1, hotA)
	require.NoError(t, err)
	require.True(t, got.IsZero(), "the replaced hotkey counts nothing on subnet 1")
	has, err := f.Keeper.SnapshotPrunes.Has(f.Ctx, joinNH(1, hotA))
	require.NoError(t, err)
	require.True(t, has)
	requireInvariants(t, f)

	// A position closed meanwhile takes its snapshots with it; the rest go two per call here.
	remove(t, f, colds[0], hotA, 1_000)
	require.Equal(t, 8, positionSnapshots(t, f))
	for _, want := range []int{2, 2} {
		n, err := f.Keeper.PruneSnapshots(f.Ctx, 2)
		require.NoError(t, err)
		require.Equal(t, want, n)
		requireInvariants(t, f)
	}
	require.Equal(t, 4, positionSnapshots(t, f), "subnet 2's snapshots stay")
	n, err := f.Keeper.PruneSnapshots(f.Ctx, 2)
	require.NoError(t, err)
	require.Zero(t, n)
	has, err = f.Keeper.SnapshotPrunes.Has(f.Ctx, joinNH(1, hotA))
	require.NoError(t, err)
	require.False(t, has, "the job is done")
	got, err = f.Keeper.EpochStake(f.Ctx, 2, hotA)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(14_000), got)

	// Replaced on subnet 2 and registered again before pruning: the next epoch counts 0, records every position
	// afresh, and the pending job is dropped without deleting them.
	require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, 2, hotA))
	cs := snapshot(t, f, 2, hotA)
	require.True(t, cs[0].Total.IsZero())
	require.NoError(t, f.Keeper.EndBlock(f.Ctx))
	has, err = f.Keeper.SnapshotPrunes.Has(f.Ctx, joinNH(2, hotA))
	require.NoError(t, err)
	require.False(t, has)
	require.Equal(t, 4, positionSnapshots(t, f))
	got, err = f.Keeper.EpochStake(f.Ctx, 2, hotA)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(14_000), got)
	requireInvariants(t, f)

	// A hotkey without positions leaves nothing to prune.
	snapshot(t, f, 3, hotB)
	require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, 3, hotB))
	has, err = f.Keeper.SnapshotPrunes.Has(f.Ctx, joinNH(3, hotB))
	require.NoError(t, err)
	require.False(t, has)
}

// TestSnapshotsInvariantCatchesCorruption: a snapshot above its position, not positive, out of netuid order, or
// without its hotkey's epoch snapshot and no prune pending breaks the invariant. (A snapshot without a position
// cannot be stored: snapshots live in the position's record.)
func TestSnapshotsInvariantCatchesCorruption(t *testing.T) {
	setSnaps := func(f *testutil.Fixture, snaps ...types.NetuidAmount) {
		pos, err := f.Keeper.Stakes.Get(f.Ctx, joinHC(hotA, alice))
		require.NoError(t, err)
		pos.Snapshots = snaps
		require.NoError(t, f.Keeper.Stakes.Set(f.Ctx, joinHC(hotA, alice), pos))
	}
	cases := map[string]func(f *testutil.Fixture){
		"above the position": func(f *testutil.Fixture) {
			setSnaps(f, types.NetuidAmount{Netuid: 1, Amount: math.NewInt(10_001)})
		},
		"not positive": func(f *testutil.Fixture) {
			setSnaps(f, types.NetuidAmount{Netuid: 1, Amount: math.ZeroInt()})
		},
		"out of order": func(f *testutil.Fixture) {
			require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, 1, hotA)) // leaves a prune pending: only the order is wrong
			snapshot(t, f, 3, hotA)
			setSnaps(f, types.NetuidAmount{Netuid: 3, Amount: math.NewInt(1)}, types.NetuidAmount{Netuid: 1, Amount: math.NewInt(1)})
		},
		"no epoch snapshot, no prune": func(f *testutil.Fixture) {
			setSnaps(f, types.NetuidAmount{Netuid: 1, Amount: math.NewInt(10_000)}, types.NetuidAmount{Netuid: 2, Amount: math.NewInt(1)})
		},
		"sum above the epoch snapshot": func(f *testutil.Fixture) {
			rec, err := f.Keeper.HotkeyStakes.Get(f.Ctx, hotA)
			require.NoError(t, err)
			rec.EpochStakes = []types.NetuidAmount{{Netuid: 1, Amount: math.NewInt(9_999)}}
			require.NoError(t, f.Keeper.HotkeyStakes.Set(f.Ctx, hotA, rec))
		},
	}
	for _, name := range []string{"above the position", "not positive", "out of order", "no epoch snapshot, no prune", "sum above the epoch snapshot"} {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			add(t, f, alice, hotA, 10_000)
			snapshot(t, f, 1, hotA)
			requireInvariants(t, f)
			cases[name](f)
			require.ErrorIs(t, f.Keeper.CheckInvariants(f.Ctx), types.ErrTotalsMismatch)
			_, broken := keeper.SnapshotsInvariant(f.Keeper)(f.Ctx)
			require.True(t, broken)
		})
	}
}
