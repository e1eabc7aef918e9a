package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// EpochStake returns the stake of hotkey that counts in the current epoch of subnet netuid:
// min(the hotkey's total stake recorded at the subnet's previous epoch, its current total stake), or 0 when no
// snapshot exists yet (the hotkey was not staked, or not on the subnet, at the previous epoch).
func (k *Keeper) EpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (math.Int, error) {
	snap, err := k.EpochStakes.Get(ctx, collections.Join(netuid, hotkey))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	if err != nil {
		return math.Int{}, err
	}
	return math.MinInt(snap, k.GetTotalHotkeyStake(ctx, hotkey)), nil
}

// SnapshotEpochStake is called by x/emissions at each epoch of subnet netuid with the subnet's hotkeys (in UID
// order). It returns, in the same order, the stake that counts in this epoch (see EpochStake), then records each
// hotkey's current total stake as the snapshot for the next epoch. A zero stake deletes the snapshot.
func (k *Keeper) SnapshotEpochStake(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]math.Int, error) {
	counted := make([]math.Int, len(hotkeys))
	for i, hk := range hotkeys {
		if len(hk) == 0 {
			return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "hotkey %d of subnet %d is empty", i, netuid)
		}
		c, err := k.EpochStake(ctx, netuid, hk)
		if err != nil {
			return nil, err
		}
		counted[i] = c
	}
	// Record after computing every count, so a hotkey listed twice gets the same count both times.
	for _, hk := range hotkeys {
		key := collections.Join(netuid, hk)
		current := k.GetTotalHotkeyStake(ctx, hk)
		var err error
		if current.IsZero() {
			err = k.EpochStakes.Remove(ctx, key)
		} else {
			err = k.EpochStakes.Set(ctx, key, current)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStakeSnapshot{
		Netuid: netuid, Hotkeys: uint32(len(hotkeys)),
	}); err != nil {
		return nil, err
	}
	return counted, nil
}

// ClearEpochStake drops the snapshot of hotkey on subnet netuid, e.g. when its UID is replaced, so a hotkey that
// registers again starts from zero counted stake.
func (k *Keeper) ClearEpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) error {
	key := collections.Join(netuid, hotkey)
	has, err := k.EpochStakes.Has(ctx, key)
	if err != nil || !has {
		return err
	}
	if err := k.EpochStakes.Remove(ctx, key); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStakeCleared{
		Netuid: netuid, Hotkey: hotkey.String(),
	})
}
