package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.TakeRateLimit = 10; p.MinTakeBps = 100 })
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 5_000)
	add(t, f, alice, hotB, 3_000)
	remove(t, f, alice, hotA, 2_000)
	remove(t, f, bob, hotA, 1_000)
	_, err := f.MsgServer.SetTake(f.Ctx, &types.MsgSetTake{Coldkey: owner.String(), Hotkey: hotA.String(), TakeBps: 900})
	require.NoError(t, err)
	_, err = f.Keeper.SnapshotEpochStake(f.Ctx, 1, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)
	remove(t, f, bob, hotA, 1_000) // lowers bob's snapshot on subnet 1 to 3_000
	// hotA on subnet 2, then replaced there: one of its two position snapshots pruned, the job stopped after alice.
	_, err = f.Keeper.SnapshotEpochStake(f.Ctx, 2, []sdk.AccAddress{hotA})
	require.NoError(t, err)
	require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, 2, hotA))
	n, err := f.Keeper.PruneSnapshots(f.Ctx, 1)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.NoError(t, f.Keeper.CheckInvariants(f.Ctx))

	exported, err := f.Keeper.ExportGenesis(f.Ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Positions, 3)
	require.Len(t, exported.Unbondings, 3)
	require.Len(t, exported.Takes, 1)
	require.Len(t, exported.EpochStakes, 2)
	require.Equal(t, []types.PositionSnapshot{
		{Netuid: 1, Hotkey: hotA.String(), Coldkey: alice.String(), Amount: math.NewInt(8_000)},
		{Netuid: 1, Hotkey: hotA.String(), Coldkey: bob.String(), Amount: math.NewInt(3_000)},
		{Netuid: 2, Hotkey: hotA.String(), Coldkey: bob.String(), Amount: math.NewInt(3_000)},
		{Netuid: 1, Hotkey: hotB.String(), Coldkey: alice.String(), Amount: math.NewInt(3_000)},
	}, exported.PositionSnapshots)
	require.Equal(t, []types.SnapshotPrune{{Netuid: 2, Hotkey: hotA.String(), AfterColdkey: alice.String()}}, exported.SnapshotPrunes)
	require.Equal(t, uint64(4), exported.NextUnbondingId)

	g := testutil.NewFixture(t)
	g.Subnets.Register(hotA, owner)
	g.FundStakeModule(t, math.NewInt(18_000)) // 14_000 staked + 4_000 unbonding
	require.NoError(t, g.Keeper.InitGenesis(g.Ctx, exported))
	require.NoError(t, g.Keeper.CheckInvariants(g.Ctx))
	again, err := g.Keeper.ExportGenesis(g.Ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	require.Equal(t, f.Keeper.GetTotalHotkeyStake(f.Ctx, hotA), g.Keeper.GetTotalHotkeyStake(g.Ctx, hotA))
	for _, net := range []uint32{1, 2} {
		want, err := f.Keeper.EpochStakePositions(f.Ctx, net, hotA)
		require.NoError(t, err)
		got, err := g.Keeper.EpochStakePositions(g.Ctx, net, hotA)
		require.NoError(t, err)
		require.Equal(t, want, got, "subnet %d", net)
	}
	// The imported prune job resumes after alice and finishes.
	n, err = g.Keeper.PruneSnapshots(g.Ctx, 10)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.NoError(t, g.Keeper.CheckInvariants(g.Ctx))
	require.Equal(t, uint32(900), g.Keeper.GetTake(g.Ctx, hotA))
	// The unbonding sequence continues after the imported ids.
	g.Fund(t, alice, 10_000)
	res, err := g.MsgServer.RemoveStake(g.Ctx, &types.MsgRemoveStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(1)})
	require.NoError(t, err)
	require.Equal(t, uint64(4), res.UnbondingId)
}

func TestInitGenesisRejectsUnfundedModuleAccount(t *testing.T) {
	g := testutil.NewFixture(t)
	gs := types.DefaultGenesis()
	gs.Positions = []types.StakePosition{{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(100)}}
	g.FundStakeModule(t, math.NewInt(99))
	require.ErrorIs(t, g.Keeper.InitGenesis(g.Ctx, gs), types.ErrModuleBalanceMismatch)
}

func TestGenesisValidate(t *testing.T) {
	pos := func(c, h sdk.AccAddress, amt int64) types.StakePosition {
		return types.StakePosition{Coldkey: c.String(), Hotkey: h.String(), Amount: math.NewInt(amt)}
	}
	unb := func(id uint64, amt, created, done int64) types.UnbondingEntry {
		return types.UnbondingEntry{Id: id, Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(amt), CreationHeight: created, CompletionHeight: done}
	}
	psnap := func(net uint32, c sdk.AccAddress, amt int64) types.PositionSnapshot {
		return types.PositionSnapshot{Netuid: net, Hotkey: hotA.String(), Coldkey: c.String(), Amount: math.NewInt(amt)}
	}
	cases := []struct {
		name string
		mut  func(*types.GenesisState)
		err  error
	}{
		{"default ok", func(*types.GenesisState) {}, nil},
		{"negative position", func(g *types.GenesisState) { g.Positions = []types.StakePosition{pos(alice, hotA, -1)} }, types.ErrInvalidGenesis},
		{"zero position", func(g *types.GenesisState) { g.Positions = []types.StakePosition{pos(alice, hotA, 0)} }, types.ErrInvalidGenesis},
		{"duplicate position", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 1), pos(alice, hotA, 2)}
		}, types.ErrInvalidGenesis},
		{"bad address", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{{Coldkey: "x", Hotkey: hotA.String(), Amount: math.OneInt()}}
		}, types.ErrInvalidGenesis},
		{"unbonding id not below next", func(g *types.GenesisState) { g.Unbondings = []types.UnbondingEntry{unb(1, 5, 1, 2)} }, types.ErrInvalidGenesis},
		{"negative unbonding", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, -5, 1, 2)}
		}, types.ErrInvalidGenesis},
		{"duplicate unbonding id", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, 5, 1, 2), unb(1, 6, 1, 2)}
		}, types.ErrInvalidGenesis},
		{"completion before creation", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, 5, 3, 2)}
		}, types.ErrInvalidGenesis},
		{"zero next id", func(g *types.GenesisState) { g.NextUnbondingId = 0 }, types.ErrInvalidGenesis},
		{"take above max", func(g *types.GenesisState) { g.Takes = []types.HotkeyTake{{Hotkey: hotA.String(), TakeBps: 1801}} }, types.ErrInvalidGenesis},
		{"duplicate take", func(g *types.GenesisState) {
			g.Takes = []types.HotkeyTake{{Hotkey: hotA.String(), TakeBps: 1}, {Hotkey: hotA.String(), TakeBps: 2}}
		}, types.ErrInvalidGenesis},
		{"negative snapshot", func(g *types.GenesisState) {
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(-1)}}
		}, types.ErrInvalidGenesis},
		{"duplicate snapshot", func(g *types.GenesisState) {
			s := types.EpochStakeSnapshot{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(1)}
			g.EpochStakes = []types.EpochStakeSnapshot{s, s}
		}, types.ErrInvalidGenesis},
		{"position snapshot ok", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(5)}}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 5)}
		}, nil},
		{"position snapshot of a pruned hotkey ok", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 5)}
			g.SnapshotPrunes = []types.SnapshotPrune{{Netuid: 1, Hotkey: hotA.String()}}
		}, nil},
		{"position snapshot without position", func(g *types.GenesisState) {
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(5)}}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 5)}
		}, types.ErrInvalidGenesis},
		{"position snapshot above position", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(5)}}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 6)}
		}, types.ErrInvalidGenesis},
		{"position snapshot without epoch stake or prune", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 5)}
		}, types.ErrInvalidGenesis},
		{"zero position snapshot", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(5)}}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 0)}
		}, types.ErrInvalidGenesis},
		{"duplicate position snapshot", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 5)}
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(5)}}
			g.PositionSnapshots = []types.PositionSnapshot{psnap(1, alice, 5), psnap(1, alice, 4)}
		}, types.ErrInvalidGenesis},
		{"duplicate prune", func(g *types.GenesisState) {
			p := types.SnapshotPrune{Netuid: 1, Hotkey: hotA.String()}
			g.SnapshotPrunes = []types.SnapshotPrune{p, p}
		}, types.ErrInvalidGenesis},
		{"bad prune cursor", func(g *types.GenesisState) {
			g.SnapshotPrunes = []types.SnapshotPrune{{Netuid: 1, Hotkey: hotA.String(), AfterColdkey: "x"}}
		}, types.ErrInvalidGenesis},
		{"bad params", func(g *types.GenesisState) { g.Params.MinTakeBps = 1900 }, types.ErrInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gs := types.DefaultGenesis()
			tc.mut(gs)
			err := gs.Validate()
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}
