// Package keeper implements x/stake: stake positions coldkey -> hotkey, delegation and the hotkey's take,
// unbonding, and the stake that counts in an epoch.
//
// API for other modules (x/subnets, x/emissions):
//
//	GetTotalHotkeyStake(ctx, hotkey) math.Int
//	GetStake(ctx, coldkey, hotkey) math.Int
//	GetTake(ctx, hotkey) uint32
//	IterateDelegators(ctx, hotkey, fn func(coldkey sdk.AccAddress, amount math.Int) (stop bool)) error
//	AddStakeFromEmission(ctx, coldkey, hotkey, amount) error
//	AddStakesFromEmission(ctx, credits, after func(i int) error) error
//	EpochStake(ctx, netuid, hotkey) (math.Int, error)
//	EpochStakePositions(ctx, netuid, hotkey) (types.CountedStake, error)
//	SnapshotEpochStake(ctx, netuid, hotkeys) ([]types.CountedStake, error)
//	SnapshotEpochStakeAndTotals(ctx, netuid, hotkeys) ([]types.CountedStake, []math.Int, error)
//	ClearEpochStake(ctx, netuid, hotkey) error
//
// The stake that counts in an epoch is decided per position. For each subnet, hotkey and coldkey the keeper keeps
// a snapshot: the position as recorded at the subnet's previous epoch, lowered by every decrease since, so it is the
// least the position held since that epoch. A position counts that snapshot at the epoch (min(snapshot, position
// now), the two being equal), and 0 without one: a position opened, or closed and reopened, since the previous
// epoch counts nothing. A hotkey's counted stake is the sum of its counted positions, and its dividends are split
// among its delegators by those same counted amounts. See epoch.go and README.md.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	storetypes "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// Keeper of x/stake.
type Keeper struct {
	cdc           codec.BinaryCodec
	storeService  storetypes.KVStoreService
	addressCodec  address.Codec
	accountKeeper types.AccountKeeper
	bankKeeper    types.BankKeeper
	subnetsKeeper types.SubnetsKeeper
	authority     string
	denom         string

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Stakes holds positions keyed (hotkey, coldkey), a hotkey's delegators in coldkey order; each record carries the
	// position's snapshots on the hotkey's subnets. Indexed by coldkey (StakeIndexes).
	Stakes *collections.IndexedMap[PositionKey, types.Position, StakeIndexes]
	// HotkeyStakes holds per hotkey the sum of its positions and its anchors: per subnet, its total at the subnet's
	// previous epoch, whose presence marks its position snapshots there as valid.
	HotkeyStakes   collections.Map[sdk.AccAddress, types.HotkeyStake]
	TotalStake     collections.Item[math.Int]
	TotalUnbonding collections.Item[math.Int]
	Takes          collections.Map[sdk.AccAddress, uint32]
	TakeLastSet    collections.Map[sdk.AccAddress, int64]
	// UnbondingQueue holds unbonding entries keyed (completion height, id).
	UnbondingQueue collections.Map[collections.Pair[int64, uint64], types.UnbondingEntry]
	// UnbondingsByColdkey indexes the queue: (coldkey, id) -> completion height.
	UnbondingsByColdkey collections.Map[collections.Pair[sdk.AccAddress, uint64], int64]
	UnbondingSeq        collections.Sequence
	// SnapshotPrunes queues (netuid, hotkey) whose position snapshots are left to delete after the hotkey's UID was
	// replaced; the value encodes the coldkey after which deletion resumes (see pruneCursor).
	SnapshotPrunes collections.Map[collections.Pair[uint32, sdk.AccAddress], []byte]
}

// NewKeeper returns the x/stake keeper. The subnets keeper is set later with SetSubnetsKeeper because the two
// keepers reference each other. denom is the staked denomination (umind).
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService storetypes.KVStoreService,
	addressCodec address.Codec,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	authority string,
	denom string,
) *Keeper {
	if addr := ak.GetModuleAddress(types.ModuleName); addr == nil {
		panic(fmt.Sprintf("the x/%s module account has not been set", types.ModuleName))
	}
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("invalid x/%s authority address: %w", types.ModuleName, err))
	}
	if err := sdk.ValidateDenom(denom); err != nil {
		panic(fmt.Errorf("invalid x/%s denom: %w", types.ModuleName, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	addrPair := collections.PairKeyCodec(sdk.AccAddressKey, sdk.AccAddressKey)
	k := &Keeper{
		cdc:           cdc,
		storeService:  storeService,
		addressCodec:  addressCodec,
		accountKeeper: ak,
		bankKeeper:    bk,
		authority:     authority,
		denom:         denom,
		Params:        collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Stakes: collections.NewIndexedMap(sb, types.StakesKey, "stakes", addrPair, codec.CollValue[types.Position](cdc),
			StakeIndexes{Coldkey: NewColdkeyIndex(sb, types.StakesByColdkeyKey)}),
		HotkeyStakes:   collections.NewMap(sb, types.HotkeyStakesKey, "hotkey_stakes", sdk.AccAddressKey, codec.CollValue[types.HotkeyStake](cdc)),
		TotalStake:     collections.NewItem(sb, types.TotalStakeKey, "total_stake", sdk.IntValue),
		TotalUnbonding: collections.NewItem(sb, types.TotalUnbondingKey, "total_unbonding", sdk.IntValue),
		Takes:          collections.NewMap(sb, types.TakesKey, "takes", sdk.AccAddressKey, collections.Uint32Value),
		TakeLastSet:    collections.NewMap(sb, types.TakeLastSetKey, "take_last_set", sdk.AccAddressKey, collections.Int64Value),
		UnbondingQueue: collections.NewMap(sb, types.UnbondingQueueKey, "unbonding_queue",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key), codec.CollValue[types.UnbondingEntry](cdc)),
		UnbondingsByColdkey: collections.NewMap(sb, types.UnbondingsByColdKey, "unbondings_by_coldkey",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key), collections.Int64Value),
		UnbondingSeq: collections.NewSequence(sb, types.UnbondingSeqKey, "unbonding_seq"),
		SnapshotPrunes: collections.NewMap(sb, types.SnapshotPruneKey, "snapshot_prunes",
			collections.PairKeyCodec(collections.Uint32Key, sdk.AccAddressKey), collections.BytesValue),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetSubnetsKeeper sets the subnets keeper; it must be called once during app construction.
func (k *Keeper) SetSubnetsKeeper(sk types.SubnetsKeeper) {
	if k.subnetsKeeper != nil {
		panic("x/stake: subnets keeper already set")
	}
	k.subnetsKeeper = sk
}

// GetAuthority returns the address allowed to change params.
func (k *Keeper) GetAuthority() string { return k.authority }

// Denom returns the staked denomination.
func (k *Keeper) Denom() string { return k.denom }

// Logger returns the module logger.
func (k *Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// hotkeyOwner asks x/subnets who owns a hotkey; it fails cleanly when the subnets keeper was never set.
func (k *Keeper) hotkeyOwner(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error) {
	if k.subnetsKeeper == nil {
		return nil, false, errorsmod.Wrap(types.ErrSubnetsKeeperNotSet, "x/stake cannot check hotkey registration: the app did not call SetSubnetsKeeper")
	}
	return k.subnetsKeeper.HotkeyOwner(ctx, hotkey)
}

// requireRegistered fails with ErrHotkeyNotRegistered unless the hotkey is registered on at least one subnet.
func (k *Keeper) requireRegistered(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, error) {
	owner, ok, err := k.hotkeyOwner(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorsmod.Wrapf(types.ErrHotkeyNotRegistered,
			"hotkey %s is not registered on any subnet; register it with `tokenmindd tx subnets register` first", hotkey)
	}
	return owner, nil
}

func (k *Keeper) getItemInt(ctx context.Context, item collections.Item[math.Int]) (math.Int, error) {
	v, err := item.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// GetStake returns what coldkey has staked to hotkey (0 if nothing).
func (k *Keeper) GetStake(ctx context.Context, coldkey, hotkey sdk.AccAddress) math.Int {
	p, _, err := k.getPosition(ctx, hotkey, coldkey)
	if err != nil {
		return math.ZeroInt()
	}
	return p.Amount
}

// GetTotalHotkeyStake returns a hotkey's total stake: the sum of every coldkey's position on it.
func (k *Keeper) GetTotalHotkeyStake(ctx context.Context, hotkey sdk.AccAddress) math.Int {
	h, err := k.getHotkey(ctx, hotkey)
	if err != nil {
		return math.ZeroInt()
	}
	return h.Total
}

// GetTotalStake returns the chain's total stake.
func (k *Keeper) GetTotalStake(ctx context.Context) math.Int {
	v, err := k.getItemInt(ctx, k.TotalStake)
	if err != nil {
		return math.ZeroInt()
	}
	return v
}

// GetTake returns a hotkey's take in basis points: the value its owner set, or the default_take_bps param.
func (k *Keeper) GetTake(ctx context.Context, hotkey sdk.AccAddress) uint32 {
	take, err := k.Takes.Get(ctx, hotkey)
	if err == nil {
		return take
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.DefaultTakeBps
	}
	return params.DefaultTakeBps
}

// IterateDelegators calls fn for every coldkey staked to hotkey, in coldkey byte order, until fn returns true.
func (k *Keeper) IterateDelegators(ctx context.Context, hotkey sdk.AccAddress, fn func(coldkey sdk.AccAddress, amount math.Int) (stop bool)) error {
	rng := collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey)
	iter, err := k.Stakes.Iterate(ctx, rng)
	if err != nil {
		return err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			return err
		}
		if fn(kv.Key.K2(), kv.Value.Amount) {
			return nil
		}
	}
	return nil
}

// AddStakeFromEmission credits a position with coins the caller (x/emissions) has already sent to the stake module
// account. It does not move coins. Used to compound rewards.
func (k *Keeper) AddStakeFromEmission(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) error {
	if err := types.ValidateAmount(amount); err != nil {
		return err
	}
	if len(coldkey) == 0 || len(hotkey) == 0 {
		return errorsmod.Wrap(types.ErrInvalidAddress, "coldkey and hotkey must be set")
	}
	pos, total, err := k.increaseStake(ctx, coldkey, hotkey, amount)
	if err != nil {
		return err
	}
	ev := types.EventStakeFromEmission{Coldkey: coldkey.String(), Hotkey: hotkey.String(), Amount: amount, Position: pos, HotkeyTotal: total}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(ev.ToEvent()) // = EmitTypedEvent(&ev), without jsonpb
	return nil
}

// AddStakesFromEmission credits the positions of credits in order, as many calls to AddStakeFromEmission would:
// same checks, same state, same events in the same order, with after(i) (when not nil) called right after credit
// i's event so the caller can interleave its own. It reads each hotkey's record and the chain's total once and writes
// them once, at the end (also when it fails part way, so the store holds exactly what the calls before the failing
// one would have written). The caller must not read stake totals from within after. Used by x/emissions to stake an
// epoch's payouts.
func (k *Keeper) AddStakesFromEmission(ctx context.Context, credits []types.EmissionCredit, after func(i int) error) (err error) {
	if len(credits) == 0 {
		return nil
	}
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	// Hotkey records in the order first credited (no map iteration: written back in that order).
	var (
		hotkeys []sdk.AccAddress
		records []types.HotkeyStake
		index   = make(map[string]int)
		chain   math.Int
		read    bool // chain total read
	)
	defer func() {
		for i, hk := range hotkeys {
			if werr := k.setHotkey(ctx, hk, records[i]); werr != nil && err == nil {
				err = werr
			}
		}
		if read {
			if werr := k.TotalStake.Set(ctx, chain); werr != nil && err == nil {
				err = werr
			}
		}
	}()
	for i, c := range credits {
		if err := types.ValidateAmount(c.Amount); err != nil {
			return err
		}
		if len(c.Coldkey) == 0 || len(c.Hotkey) == 0 {
			return errorsmod.Wrap(types.ErrInvalidAddress, "coldkey and hotkey must be set")
		}
		pos, _, err := k.getPosition(ctx, c.Hotkey, c.Coldkey)
		if err != nil {
			return err
		}
		pos.Amount = pos.Amount.Add(c.Amount)
		if err := k.setPosition(ctx, c.Hotkey, c.Coldkey, pos); err != nil {
			return err
		}
		h, ok := index[string(c.Hotkey)]
		if !ok {
			rec, err := k.getHotkey(ctx, c.Hotkey)
			if err != nil {
				return err
			}
			h = len(hotkeys)
			index[string(c.Hotkey)] = h
			hotkeys, records = append(hotkeys, c.Hotkey), append(records, rec)
		}
		records[h].Total = records[h].Total.Add(c.Amount)
		if !read {
			if chain, err = k.getItemInt(ctx, k.TotalStake); err != nil {
				return err
			}
			read = true
		}
		chain = chain.Add(c.Amount)
		ev := types.EventStakeFromEmission{
			Coldkey: c.Coldkey.String(), Hotkey: c.Hotkey.String(), Amount: c.Amount, Position: pos.Amount, HotkeyTotal: records[h].Total,
		}
		em.EmitEvent(ev.ToEvent())
		if after != nil {
			if err := after(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// increaseStake adds amount to the (hotkey, coldkey) position and to the totals; it returns the new position and
// hotkey total. It moves no coins and leaves the position's snapshots as they are (an increase never raises them).
func (k *Keeper) increaseStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) (math.Int, math.Int, error) {
	pos, _, err := k.getPosition(ctx, hotkey, coldkey)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	pos.Amount = pos.Amount.Add(amount)
	if err := k.setPosition(ctx, hotkey, coldkey, pos); err != nil {
		return math.Int{}, math.Int{}, err
	}
	rec, err := k.getHotkey(ctx, hotkey)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	rec.Total = rec.Total.Add(amount)
	if err := k.setHotkey(ctx, hotkey, rec); err != nil {
		return math.Int{}, math.Int{}, err
	}
	chain, err := k.getItemInt(ctx, k.TotalStake)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	if err := k.TotalStake.Set(ctx, chain.Add(amount)); err != nil {
		return math.Int{}, math.Int{}, err
	}
	return pos.Amount, rec.Total, nil
}

// decreaseStake removes amount from the (hotkey, coldkey) position and from the totals, deleting emptied entries,
// and lowers the position's snapshots on every subnet to what is left (a closed position is deleted with them). It
// fails with ErrInsufficientStake if the position is smaller than amount. It moves no coins.
func (k *Keeper) decreaseStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) (math.Int, math.Int, error) {
	pos, _, err := k.getPosition(ctx, hotkey, coldkey)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	if pos.Amount.LT(amount) {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(types.ErrInsufficientStake,
			"coldkey %s has %s%s staked to hotkey %s, cannot remove %s%s", coldkey, pos.Amount, k.denom, hotkey, amount, k.denom)
	}
	pos.Amount = pos.Amount.Sub(amount)
	pos.Snapshots = lowerSnapshots(pos.Snapshots, pos.Amount)
	if err := k.setPosition(ctx, hotkey, coldkey, pos); err != nil {
		return math.Int{}, math.Int{}, err
	}
	rec, err := k.getHotkey(ctx, hotkey)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	if rec.Total.LT(amount) {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s total %s below position", hotkey, rec.Total)
	}
	rec.Total = rec.Total.Sub(amount)
	if err := k.setHotkey(ctx, hotkey, rec); err != nil {
		return math.Int{}, math.Int{}, err
	}
	chain, err := k.getItemInt(ctx, k.TotalStake)
	if err != nil {
		return math.Int{}, math.Int{}, err
	}
	if chain.LT(amount) {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(types.ErrTotalsMismatch, "total stake %s below position", chain)
	}
	if err := k.TotalStake.Set(ctx, chain.Sub(amount)); err != nil {
		return math.Int{}, math.Int{}, err
	}
	return pos.Amount, rec.Total, nil
}

// lowerSnapshots returns snaps with every amount above amount lowered to it (nil when amount is zero: the position
// is closed). It does not modify snaps.
func lowerSnapshots(snaps []types.NetuidAmount, amount math.Int) []types.NetuidAmount {
	if amount.IsZero() {
		return nil
	}
	var out []types.NetuidAmount
	for i, s := range snaps {
		if s.Amount.GT(amount) {
			if out == nil {
				out = append([]types.NetuidAmount(nil), snaps...)
			}
			out[i].Amount = amount
		}
	}
	if out == nil {
		return snaps
	}
	return out
}

func (k *Keeper) coins(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(k.denom, amount))
}
