// Package keeper holds x/emissions: the block emission, its split between chain security and subnets, the
// per-subnet pending pools, the epoch queue, Yuma Consensus runs and the payouts.
package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// Keeper of x/emissions.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string
	denom     string
	bank      types.BankKeeper
	auth      types.AccountKeeper
	subnets   types.SubnetsKeeper
	stake     types.StakeKeeper
	// feeCollector is the module account that x/distribution pays CometBFT validators from.
	feeCollector string
	stakeModule  string

	Schema        collections.Schema
	Params        collections.Item[types.Params]
	PendingPool   collections.Map[uint32, math.Int]
	Schedules     collections.Map[uint32, types.SubnetSchedule]
	EpochQueue    collections.KeySet[collections.Pair[uint64, uint32]]
	TotalMinted   collections.Item[math.Int]
	Undistributed collections.Item[math.Int]
	SeenNetuid    collections.Item[uint32]
}

// NewKeeper returns the keeper. feeCollector and stakeModule are module account names.
func NewKeeper(cdc codec.BinaryCodec, ss store.KVStoreService, authority, denom string, bank types.BankKeeper,
	auth types.AccountKeeper, subnets types.SubnetsKeeper, stake types.StakeKeeper, feeCollector, stakeModule string,
) *Keeper {
	sb := collections.NewSchemaBuilder(ss)
	k := &Keeper{
		cdc: cdc, authority: authority, denom: denom, bank: bank, auth: auth, subnets: subnets, stake: stake,
		feeCollector: feeCollector, stakeModule: stakeModule,
		Params:      collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		PendingPool: collections.NewMap(sb, types.PendingPoolKey, "pending_pool", collections.Uint32Key, sdk.IntValue),
		Schedules: collections.NewMap(sb, types.SchedulesKey, "schedules", collections.Uint32Key,
			codec.CollValue[types.SubnetSchedule](cdc)),
		EpochQueue: collections.NewKeySet(sb, types.EpochQueueKey, "epoch_queue",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint32Key)),
		TotalMinted:   collections.NewItem(sb, types.TotalMintedKey, "total_minted", sdk.IntValue),
		Undistributed: collections.NewItem(sb, types.UndistributedKey, "undistributed", sdk.IntValue),
		SeenNetuid:    collections.NewItem(sb, types.SeenNetuidKey, "seen_netuid", collections.Uint32Value),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority is the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }

func (k *Keeper) coins(a math.Int) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(k.denom, a)) }

func getInt[K any](ctx context.Context, m collections.Map[K, math.Int], key K) (math.Int, error) {
	v, err := m.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

func getItemInt(ctx context.Context, it collections.Item[math.Int]) (math.Int, error) {
	v, err := it.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// Pool returns the pending pool of a subnet.
func (k *Keeper) Pool(ctx context.Context, netuid uint32) (math.Int, error) {
	return getInt(ctx, k.PendingPool, netuid)
}

func height(ctx context.Context) uint64 {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if h < 0 {
		return 0
	}
	return uint64(h)
}
