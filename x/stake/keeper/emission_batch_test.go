package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

// stakeState lists every position, index entry and total, for comparing two runs.
func stakeState(t *testing.T, f *testutil.Fixture, ctx sdk.Context) []string {
	t.Helper()
	var out []string
	it, err := f.Keeper.Stakes.Iterate(ctx, nil)
	require.NoError(t, err)
	kvs, err := it.KeyValues()
	require.NoError(t, err)
	for _, kv := range kvs {
		out = append(out, fmt.Sprintf("stake %s %s %v", kv.Key.K1(), kv.Key.K2(), kv.Value.String()))
	}
	ik, err := f.Keeper.Stakes.Indexes.Coldkey.Refs.Iterate(ctx, nil)
	require.NoError(t, err)
	keys, err := ik.Keys()
	require.NoError(t, err)
	for _, k := range keys {
		out = append(out, fmt.Sprintf("index %s %s", k.K1(), k.K2()))
	}
	th, err := f.Keeper.HotkeyStakes.Iterate(ctx, nil)
	require.NoError(t, err)
	tkvs, err := th.KeyValues()
	require.NoError(t, err)
	for _, kv := range tkvs {
		out = append(out, fmt.Sprintf("total %s %s", kv.Key, kv.Value.String()))
	}
	return append(out, "chain "+f.Keeper.GetTotalStake(ctx).String())
}

// TestAddStakesFromEmissionMatchesOneByOne: the batch leaves the same state and the same events, in the same order,
// as AddStakeFromEmission called per credit, with after's events interleaved; and on an invalid credit it fails
// with the same error, the credits before it applied.
func TestAddStakesFromEmissionMatchesOneByOne(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 3_000)
	f.FundStakeModule(t, math.NewInt(1_054)) // exactly what the valid credits stake
	hotC := testutil.Addr("hotkey-c")
	ok := []types.EmissionCredit{
		{Coldkey: alice, Hotkey: hotA, Amount: math.NewInt(5)},   // existing position
		{Coldkey: owner, Hotkey: hotA, Amount: math.NewInt(7)},   // new position on a staked hotkey
		{Coldkey: alice, Hotkey: hotA, Amount: math.NewInt(11)},  // same position again
		{Coldkey: owner, Hotkey: hotB, Amount: math.NewInt(13)},  // hotkey without stake
		{Coldkey: bob, Hotkey: hotC, Amount: math.NewInt(17)},    // unregistered hotkey (emission does not check)
		{Coldkey: owner, Hotkey: hotB, Amount: math.NewInt(1)},   // hotB again
		{Coldkey: bob, Hotkey: hotA, Amount: math.NewInt(1_000)}, // bob's existing position
	}
	cases := map[string]struct {
		credits []types.EmissionCredit
		failAt  int // -1: none
	}{
		"all valid":            {ok, -1},
		"none":                 {nil, -1},
		"zero amount at 3":     {append(append(append([]types.EmissionCredit{}, ok[:3]...), types.EmissionCredit{Coldkey: alice, Hotkey: hotB, Amount: math.ZeroInt()}), ok[3:]...), 3},
		"nil amount first":     {append([]types.EmissionCredit{{Coldkey: alice, Hotkey: hotB}}, ok...), 0},
		"empty coldkey at 5":   {append(append(append([]types.EmissionCredit{}, ok[:5]...), types.EmissionCredit{Hotkey: hotB, Amount: math.OneInt()}), ok[5:]...), 5},
		"negative amount last": {append(append([]types.EmissionCredit{}, ok...), types.EmissionCredit{Coldkey: alice, Hotkey: hotA, Amount: math.NewInt(-1)}), len(ok)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			one, _ := f.Ctx.CacheContext()
			var oneErr error
			for i, c := range tc.credits {
				if oneErr = f.Keeper.AddStakeFromEmission(one, c.Coldkey, c.Hotkey, c.Amount); oneErr != nil {
					break
				}
				one.EventManager().EmitEvent(sdk.NewEvent("after", sdk.NewAttribute("i", fmt.Sprint(i))))
			}
			batch, _ := f.Ctx.CacheContext()
			batchErr := f.Keeper.AddStakesFromEmission(batch, tc.credits, func(i int) error {
				batch.EventManager().EmitEvent(sdk.NewEvent("after", sdk.NewAttribute("i", fmt.Sprint(i))))
				return nil
			})
			if tc.failAt < 0 {
				require.NoError(t, oneErr)
				require.NoError(t, batchErr)
			} else {
				require.Error(t, oneErr)
				require.Equal(t, oneErr.Error(), batchErr.Error())
			}
			require.Equal(t, one.EventManager().Events(), batch.EventManager().Events())
			require.Equal(t, stakeState(t, f, one), stakeState(t, f, batch))
			if tc.failAt < 0 && len(tc.credits) > 0 {
				require.NoError(t, f.Keeper.CheckInvariants(batch))
			}
		})
	}

	// An error from after stops the batch there, totals written for the credits staked so far.
	one, _ := f.Ctx.CacheContext()
	for _, c := range ok[:3] {
		require.NoError(t, f.Keeper.AddStakeFromEmission(one, c.Coldkey, c.Hotkey, c.Amount))
	}
	batch, _ := f.Ctx.CacheContext()
	stop := fmt.Errorf("stop")
	err := f.Keeper.AddStakesFromEmission(batch, ok, func(i int) error {
		if i == 2 {
			return stop
		}
		return nil
	})
	require.ErrorIs(t, err, stop)
	require.Equal(t, one.EventManager().Events(), batch.EventManager().Events())
	require.Equal(t, stakeState(t, f, one), stakeState(t, f, batch))
}
