package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// recordingMS records, per store, the last operation on each key written through it (what the block's cache passes
// to IAVL).
type recordingMS struct {
	cacheMS // an alias: a field named CacheMultiStore would hide the method of that name
	ops     map[string]string
}

type cacheMS = storetypes.CacheMultiStore

func (r recordingMS) GetKVStore(key storetypes.StoreKey) storetypes.KVStore {
	return recordingKVStore{KVStore: r.cacheMS.GetKVStore(key), ops: r.ops}
}

type recordingKVStore struct {
	storetypes.KVStore
	ops map[string]string
}

func (r recordingKVStore) Set(key, value []byte) {
	r.ops[string(key)] = "set"
	r.KVStore.Set(key, value)
}

func (r recordingKVStore) Delete(key []byte) { r.ops[string(key)] = "delete"; r.KVStore.Delete(key) }

// TestEpochWritesOneRecordPerPaidPositionAndHotkey: an epoch that snapshots a staked miner (whose position changed
// since the last epoch) and then pays it leaves exactly three keys written in x/stake: the position's record (amount
// and snapshot), the hotkey's record (total and anchor) and the chain total; the coldkey index entry is not rewritten.
// An unstaked hotkey's epoch writes nothing.
func TestEpochWritesOneRecordPerPaidPositionAndHotkey(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	snapshot(t, f, 1, hotA, hotB)
	f.FundStakeModule(t, math.NewInt(10))
	require.NoError(t, f.Keeper.AddStakesFromEmission(f.Ctx, []types.EmissionCredit{{Coldkey: alice, Hotkey: hotA, Amount: math.NewInt(5)}}, nil))

	rec := recordingMS{cacheMS: f.Ctx.MultiStore().CacheMultiStore(), ops: map[string]string{}}
	ctx := f.Ctx.WithMultiStore(rec).WithEventManager(sdk.NewEventManager())
	counted, err := f.Keeper.SnapshotEpochStake(ctx, 1, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(10_000), counted[0].Total)
	require.NoError(t, f.Keeper.AddStakesFromEmission(ctx, []types.EmissionCredit{{Coldkey: alice, Hotkey: hotA, Amount: math.NewInt(5)}}, nil))

	prefixes := map[byte]int{}
	for k, op := range rec.ops {
		require.Equal(t, "set", op, "key %x", k)
		prefixes[k[0]]++
	}
	require.Equal(t, map[byte]int{types.StakesKey[0]: 1, types.HotkeyStakesKey[0]: 1, types.TotalStakeKey[0]: 1}, prefixes)
	v, found, err := f.Keeper.PositionSnapshot(ctx, 1, hotA, alice)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, math.NewInt(10_005), v, "the snapshot is the position before this epoch's payout")
}
