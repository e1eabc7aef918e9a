package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// BeginBlock mints the block emission, pays the security share, splits the rest into the subnets' pending pools,
// schedules newly created subnets and runs the epochs that are due (at most max_epochs_per_block; the rest wait
// one block). Only a broken store makes it return an error; a failing subnet epoch emits EventEpochFailed.
func (k *Keeper) BeginBlock(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	now := height(ctx)
	if err := k.scheduleNewSubnets(ctx, now); err != nil {
		return err
	}
	if err := k.mintAndSplit(ctx, params, now); err != nil {
		return err
	}
	return k.runDueEpochs(ctx, params, now)
}

// scheduleNewSubnets enqueues subnets created since the last block: their first epoch is one tempo from now.
func (k *Keeper) scheduleNewSubnets(ctx context.Context, now uint64) error {
	seen, err := k.SeenNetuid.Get(ctx)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	next, err := k.subnets.PeekNextNetuid(ctx)
	if err != nil {
		return err
	}
	if next == 0 || next-1 <= seen {
		return nil
	}
	for netuid := seen + 1; netuid < next; netuid++ {
		subnet, err := k.subnets.GetSubnet(ctx, netuid)
		if errors.Is(err, subnetstypes.ErrSubnetNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := k.schedule(ctx, types.SubnetSchedule{Netuid: netuid, LastEpochBlock: now, Stake: math.ZeroInt()}, subnet.Hyperparameters.Tempo); err != nil {
			return err
		}
	}
	return k.SeenNetuid.Set(ctx, next-1)
}

// schedule stores s with its next epoch at last_epoch_block + tempo (never in the past) and enqueues it.
func (k *Keeper) schedule(ctx context.Context, s types.SubnetSchedule, tempo uint64) error {
	if tempo == 0 {
		s.NextEpochHeight = 0 // tempo 0: never runs
		return k.Schedules.Set(ctx, s.Netuid, s)
	}
	s.NextEpochHeight = s.LastEpochBlock + tempo
	if err := k.EpochQueue.Set(ctx, collections.Join(s.NextEpochHeight, s.Netuid)); err != nil {
		return err
	}
	return k.Schedules.Set(ctx, s.Netuid, s)
}

// mintAndSplit mints this block's emission and routes it: security share to the fee collector, the rest (plus
// anything undistributed) to the subnets' pools by the split policy.
func (k *Keeper) mintAndSplit(ctx context.Context, params types.Params, now uint64) error {
	minted := params.EmissionAt(now)
	if !minted.IsPositive() {
		return nil
	}
	if err := k.bank.MintCoins(ctx, types.ModuleName, k.coins(minted)); err != nil {
		return err
	}
	total, err := getItemInt(ctx, k.TotalMinted)
	if err != nil {
		return err
	}
	if err := k.TotalMinted.Set(ctx, total.Add(minted)); err != nil {
		return err
	}
	security := bps(minted, params.SecurityShareBps)
	if security.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.feeCollector, k.coins(security)); err != nil {
			return err
		}
	}
	undist, err := getItemInt(ctx, k.Undistributed)
	if err != nil {
		return err
	}
	rest := minted.Sub(security).Add(undist)
	iter, err := k.Schedules.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	all, err := iter.Values()
	if err != nil {
		return err
	}
	// Only started subnets (their first epoch has come) share the emission, in netuid order.
	var scheds []types.SubnetSchedule
	for _, s := range all {
		if s.Started {
			scheds = append(scheds, s)
		}
	}
	if len(scheds) == 0 {
		return k.Undistributed.Set(ctx, rest)
	}
	weights := make([]math.Int, len(scheds))
	anyStake := false
	for i, s := range scheds {
		weights[i] = s.Stake
		anyStake = anyStake || s.Stake.IsPositive()
	}
	if params.SubnetSplitPolicy == types.SUBNET_SPLIT_POLICY_EQUAL || !anyStake {
		for i := range weights {
			weights[i] = math.OneInt()
		}
	}
	parts := SplitLargestRemainder(rest, weights)
	for i, s := range scheds {
		if parts[i].IsZero() {
			continue
		}
		pool, err := k.Pool(ctx, s.Netuid)
		if err != nil {
			return err
		}
		if err := k.PendingPool.Set(ctx, s.Netuid, pool.Add(parts[i])); err != nil {
			return err
		}
	}
	return k.Undistributed.Set(ctx, math.ZeroInt())
}

// runDueEpochs runs due (height ≤ now) entries of the epoch queue in (height, netuid) order, at most
// MaxEpochsPerBlock of them. The others stay queued at the height they fell due, so they sort before the epochs
// that fall due later and run first in the next blocks (oldest first: none is postponed for ever by subnets that
// fall due after it). Only the entries that run are read.
func (k *Keeper) runDueEpochs(ctx context.Context, params types.Params, now uint64) error {
	rng := new(collections.Range[collections.Pair[uint64, uint32]]).EndInclusive(collections.Join(now, ^uint32(0)))
	for ran := uint32(0); ran < params.MaxEpochsPerBlock; ran++ {
		key, found, err := k.firstKey(ctx, rng)
		if err != nil {
			return err
		}
		if !found {
			return nil
		}
		if err := k.EpochQueue.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.runScheduledEpoch(ctx, params, key.K2(), now); err != nil {
			return err
		}
	}
	return nil
}

// firstKey returns the first key of the epoch queue in rng.
func (k *Keeper) firstKey(ctx context.Context, rng collections.Ranger[collections.Pair[uint64, uint32]]) (collections.Pair[uint64, uint32], bool, error) {
	iter, err := k.EpochQueue.Iterate(ctx, rng)
	if err != nil {
		return collections.Pair[uint64, uint32]{}, false, err
	}
	defer iter.Close()
	if !iter.Valid() {
		return collections.Pair[uint64, uint32]{}, false, nil
	}
	key, err := iter.Key()
	return key, err == nil, err
}

// runScheduledEpoch runs one subnet's epoch in a cache context, keeps its writes only on success, and schedules
// the next epoch either way (a failed epoch consumes its slot; the pool waits for the next one).
func (k *Keeper) runScheduledEpoch(ctx context.Context, params types.Params, netuid uint32, now uint64) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	s, err := k.Schedules.Get(ctx, netuid)
	if err != nil {
		return err
	}
	cache, write := sdkCtx.CacheContext()
	stake, runErr := k.safeRunEpoch(cache, params, s, now)
	if runErr == nil {
		write()
		s.Stake = stake
	} else {
		sdkCtx.Logger().Error("subnet epoch failed", "netuid", netuid, "height", now, "err", runErr)
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventEpochFailed{Netuid: netuid, Height: now, Reason: runErr.Error()}); err != nil {
			return err
		}
	}
	subnet, err := k.subnets.GetSubnet(ctx, netuid)
	if errors.Is(err, subnetstypes.ErrSubnetNotFound) {
		// The subnet is gone: drop its schedule; its pool stays visible to the invariant.
		return k.Schedules.Remove(ctx, netuid)
	}
	// The tempo of the epoch that just fell due (at least 1), should the subnet's record be unreadable.
	tempo := uint64(1)
	if s.NextEpochHeight > s.LastEpochBlock {
		tempo = s.NextEpochHeight - s.LastEpochBlock
	}
	if err != nil {
		// The subnet exists but its record does not decode: corrupt state of one subnet, which must not halt the
		// chain. Say so, and keep the subnet on the schedule at the tempo it last had, so that it is tried again.
		sdkCtx.Logger().Error("subnet record unreadable; epoch rescheduled at its last tempo", "netuid", netuid, "height", now, "tempo", tempo, "err", err)
		if runErr == nil {
			if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventEpochFailed{Netuid: netuid, Height: now, Reason: "reading the subnet to schedule its next epoch: " + err.Error()}); err != nil {
				return err
			}
		}
	} else {
		tempo = subnet.Hyperparameters.Tempo
	}
	s.LastEpochBlock = now
	s.Started = true
	return k.schedule(ctx, s, tempo)
}

// safeRunEpoch turns a panic of one subnet's epoch (e.g. a corrupt record) into an error.
func (k *Keeper) safeRunEpoch(ctx sdk.Context, params types.Params, s types.SubnetSchedule, now uint64) (stake math.Int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorsPanic(r)
		}
	}()
	return k.RunEpoch(ctx, params, s, now)
}
