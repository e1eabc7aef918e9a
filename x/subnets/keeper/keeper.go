// Package keeper holds the state and the state transitions of x/subnets: subnets and their hyperparameters,
// neurons (registration, replacement, serving info) and, for x/emissions, the per-UID epoch outputs.
package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// Keeper of x/subnets.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	authority    string
	bank         types.BankKeeper
	stake        types.StakeKeeper
	hooks        []types.NeuronHooks

	Schema     collections.Schema
	Params     collections.Item[types.Params]
	NextNetuid collections.Sequence
	Subnets    collections.Map[uint32, types.Subnet]
	// Neurons are keyed by (netuid, uid) and indexed by (netuid, hotkey) and by hotkey; the indexes follow every
	// Set and Remove.
	Neurons      *collections.IndexedMap[collections.Pair[uint32, uint32], types.Neuron, NeuronIndexes]
	HotkeyOwners collections.Map[sdk.AccAddress, []byte]
	// EpochOutputs are keyed by (netuid, chunk), types.EpochOutputChunkSize UIDs per value (see epoch.go).
	EpochOutputs      collections.Map[collections.Pair[uint32, uint32], types.EpochOutputChunk]
	Weights           collections.Map[collections.Pair[uint32, uint32], types.WeightRow]
	Bonds             collections.Map[collections.Pair[uint32, uint32], types.WeightRow]
	LastSubnetCost    collections.Item[math.Int]
	LastSubnetCreated collections.Item[uint64]
	// WeightCommits are pending commit-reveal commits per (netuid, hotkey), oldest first.
	WeightCommits collections.Map[collections.Pair[uint32, sdk.AccAddress], types.WeightCommits]
	// EpochIndex counts the epochs each subnet has run (commit-reveal measures reveal delays in epochs).
	EpochIndex collections.Map[uint32, uint64]
	// ServingAddrs maps (netuid, ServingAddrKey(multiaddr)) to the UID that last published the address. An entry is
	// current only while that UID's serving info still lists the address; a replaced UID's entries are ignored.
	ServingAddrs collections.Map[collections.Pair[uint32, string], uint32]
}

// NewKeeper returns the x/subnets keeper. authority is the gov module account address.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, authority string, bank types.BankKeeper) *Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		storeService: storeService,
		authority:    authority,
		bank:         bank,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		NextNetuid:   collections.NewSequence(sb, types.NextNetuidKey, "next_netuid"),
		Subnets:      collections.NewMap(sb, types.SubnetsKey, "subnets", collections.Uint32Key, codec.CollValue[types.Subnet](cdc)),
		Neurons: collections.NewIndexedMap(sb, types.NeuronsKey, "neurons",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.Neuron](cdc),
			newNeuronIndexes(sb)),
		HotkeyOwners: collections.NewMap(sb, types.HotkeyOwnerKey, "hotkey_owner", sdk.AccAddressKey, collections.BytesValue),
		EpochOutputs: collections.NewMap(sb, types.EpochOutputsKey, "epoch_outputs",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.EpochOutputChunk](cdc)),
		Weights: collections.NewMap(sb, types.WeightsKey, "weights",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.WeightRow](cdc)),
		Bonds: collections.NewMap(sb, types.BondsKey, "bonds",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.WeightRow](cdc)),
		LastSubnetCost:    collections.NewItem(sb, types.LastSubnetCostKey, "last_subnet_cost", sdk.IntValue),
		LastSubnetCreated: collections.NewItem(sb, types.LastSubnetCreatedKey, "last_subnet_created", collections.Uint64Value),
		WeightCommits: collections.NewMap(sb, types.WeightCommitsKey, "weight_commits",
			collections.PairKeyCodec(collections.Uint32Key, sdk.AccAddressKey), codec.CollValue[types.WeightCommits](cdc)),
		EpochIndex: collections.NewMap(sb, types.EpochIndexKey, "epoch_index", collections.Uint32Key, collections.Uint64Value),
		ServingAddrs: collections.NewMap(sb, types.ServingAddrsKey, "serving_addrs",
			collections.PairKeyCodec(collections.Uint32Key, collections.StringKey), collections.Uint32Value),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// NeuronIndexes are the indexes of Keeper.Neurons, kept by collections.IndexedMap on every Set and Remove.
type NeuronIndexes struct {
	// ByNetuidHotkey maps (netuid, hotkey) to the neuron's (netuid, uid): a hotkey holds at most one UID per subnet.
	ByNetuidHotkey *indexes.Unique[collections.Pair[uint32, sdk.AccAddress], collections.Pair[uint32, uint32], types.Neuron]
	// ByHotkey lists a hotkey's neurons in (netuid, uid) order.
	ByHotkey *indexes.Multi[sdk.AccAddress, collections.Pair[uint32, uint32], types.Neuron]
}

// IndexesList implements collections.Indexes.
func (i NeuronIndexes) IndexesList() []collections.Index[collections.Pair[uint32, uint32], types.Neuron] {
	return []collections.Index[collections.Pair[uint32, uint32], types.Neuron]{i.ByNetuidHotkey, i.ByHotkey}
}

func newNeuronIndexes(sb *collections.SchemaBuilder) NeuronIndexes {
	return NeuronIndexes{
		ByNetuidHotkey: indexes.NewUnique(sb, types.NeuronByNetuidHotkeyKey, "neuron_by_netuid_hotkey",
			collections.PairKeyCodec(collections.Uint32Key, sdk.AccAddressKey),
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key),
			func(_ collections.Pair[uint32, uint32], n types.Neuron) (collections.Pair[uint32, sdk.AccAddress], error) {
				hotkey, err := sdk.AccAddressFromBech32(n.Hotkey)
				return collections.Join(n.Netuid, hotkey), err
			}),
		ByHotkey: indexes.NewMulti(sb, types.NeuronsByHotkeyKey, "neurons_by_hotkey", sdk.AccAddressKey,
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key),
			func(_ collections.Pair[uint32, uint32], n types.Neuron) (sdk.AccAddress, error) {
				return sdk.AccAddressFromBech32(n.Hotkey)
			}),
	}
}

// SetStakeKeeper wires x/stake in after both keepers exist (they refer to each other).
func (k *Keeper) SetStakeKeeper(sk types.StakeKeeper) { k.stake = sk }

// AddHooks registers modules to be told when a UID changes hands.
func (k *Keeper) AddHooks(h ...types.NeuronHooks) { k.hooks = append(k.hooks, h...) }

// Authority returns the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }

// GetParams returns the params.
func (k *Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.Params.Get(ctx) }

// GetSubnet returns a subnet or ErrSubnetNotFound.
func (k *Keeper) GetSubnet(ctx context.Context, netuid uint32) (types.Subnet, error) {
	s, err := k.Subnets.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return s, errorsmod.Wrapf(types.ErrSubnetNotFound, "netuid %d (list subnets with: tokenmindd q subnets subnets)", netuid)
	}
	return s, err
}

// GetNeuron returns the neuron at a UID.
func (k *Keeper) GetNeuron(ctx context.Context, netuid, uid uint32) (types.Neuron, error) {
	n, err := k.Neurons.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return n, errorsmod.Wrapf(types.ErrUidNotFound, "uid %d on subnet %d", uid, netuid)
	}
	return n, err
}

// GetUid returns the UID of a hotkey on a subnet, or ErrNotRegistered.
func (k *Keeper) GetUid(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error) {
	pk, err := k.Neurons.Indexes.ByNetuidHotkey.MatchExact(ctx, collections.Join(netuid, hotkey))
	if errors.Is(err, collections.ErrNotFound) {
		return 0, errorsmod.Wrapf(types.ErrNotRegistered, "%s on subnet %d (register with: tokenmindd tx subnets register %d --hotkey NAME)", hotkey, netuid, netuid)
	}
	return pk.K2(), err
}

// HotkeyOwner returns the coldkey that owns a hotkey, and whether the hotkey is registered on any subnet now.
// The ownership record outlives deregistration, so stake positions keep their owner.
func (k *Keeper) HotkeyOwner(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error) {
	owner, err := k.HotkeyOwners.Get(ctx, hotkey)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	registered, err := k.IsRegisteredAnywhere(ctx, hotkey)
	return sdk.AccAddress(owner), registered, err
}

// IsRegisteredAnywhere reports whether the hotkey holds a UID on at least one subnet.
func (k *Keeper) IsRegisteredAnywhere(ctx context.Context, hotkey sdk.AccAddress) (bool, error) {
	iter, err := k.Neurons.Indexes.ByHotkey.MatchExact(ctx, hotkey)
	if err != nil {
		return false, err
	}
	defer iter.Close()
	return iter.Valid(), nil
}

// HotkeySubnets lists the netuids a hotkey is registered on, in ascending order.
func (k *Keeper) HotkeySubnets(ctx context.Context, hotkey sdk.AccAddress) ([]uint32, error) {
	iter, err := k.Neurons.Indexes.ByHotkey.MatchExact(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	var out []uint32
	for ; iter.Valid(); iter.Next() {
		pk, err := iter.PrimaryKey()
		if err != nil {
			return nil, err
		}
		out = append(out, pk.K1()) // one UID per subnet, so the netuids come out ascending and distinct
	}
	return out, nil
}

// NeuronsOf returns every neuron of a subnet ordered by UID.
func (k *Keeper) NeuronsOf(ctx context.Context, netuid uint32) ([]types.Neuron, error) {
	iter, err := k.Neurons.Iterate(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid))
	if err != nil {
		return nil, err
	}
	return iter.Values()
}

// hotkeyStake returns the hotkey's total stake, or zero when x/stake is not wired (registration-only tests).
func (k *Keeper) hotkeyStake(ctx context.Context, hotkey sdk.AccAddress) (math.Int, error) {
	if k.stake == nil {
		return math.ZeroInt(), nil
	}
	return k.stake.GetTotalHotkeyStake(ctx, hotkey), nil
}

func blockHeight(ctx context.Context) uint64 {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if h < 0 {
		return 0
	}
	return uint64(h)
}
