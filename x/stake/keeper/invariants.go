package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// CheckInvariants runs every x/stake invariant and returns the first violation.
func (k *Keeper) CheckInvariants(ctx context.Context) error {
	if err := k.checkTotals(ctx); err != nil {
		return err
	}
	if err := k.checkSnapshots(ctx); err != nil {
		return err
	}
	return k.checkModuleBalance(ctx)
}

// ModuleBalanceInvariant: the stake module account holds exactly total stake + total unbonding.
func ModuleBalanceInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.checkModuleBalance(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "module-balance", err.Error()), true
		}
		return "", false
	}
}

// TotalsInvariant: TotalStake == sum of TotalHotkeyStake == sum of positions, each hotkey total equals the sum of
// its positions, the coldkey index matches the positions, and TotalUnbonding equals the sum of the queue.
func TotalsInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.checkTotals(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "totals", err.Error()), true
		}
		return "", false
	}
}

// SnapshotsInvariant: every position snapshot is positive and at most its open position, and its hotkey has an
// epoch-stake snapshot on the subnet or a pending prune there (so stale snapshots are always on their way out); the
// position snapshots of a hotkey on a subnet sum to at most its epoch-stake snapshot.
func SnapshotsInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.checkSnapshots(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "snapshots", err.Error()), true
		}
		return "", false
	}
}

// RegisterInvariants registers the invariants with an invariant registry.
func RegisterInvariants(ir sdk.InvariantRegistry, k *Keeper) {
	ir.RegisterRoute(types.ModuleName, "module-balance", ModuleBalanceInvariant(k))
	ir.RegisterRoute(types.ModuleName, "totals", TotalsInvariant(k))
	ir.RegisterRoute(types.ModuleName, "snapshots", SnapshotsInvariant(k))
}

func (k *Keeper) checkSnapshots(ctx context.Context) error {
	sums := map[string]math.Int{} // (netuid, hotkey) -> Σ position snapshots; only looked up, never ranged
	subnetKey := func(netuid uint32, hotkey sdk.AccAddress) string { return fmt.Sprintf("%d/%s", netuid, hotkey) }
	var fail error
	err := k.PositionSnapshots.Walk(ctx, nil, func(key collections.Triple[sdk.AccAddress, sdk.AccAddress, uint32], amount math.Int) (bool, error) {
		hotkey, coldkey, netuid := key.K1(), key.K2(), key.K3()
		pos, err := k.Stakes.Get(ctx, collections.Join(hotkey, coldkey))
		if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
			return true, err
		}
		if err != nil || !amount.IsPositive() || amount.GT(pos) {
			fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position snapshot %s/%s on subnet %d is %s, the position is %v",
				hotkey, coldkey, netuid, amount, pos)
			return true, nil
		}
		sub := collections.Join(netuid, hotkey)
		anchored, err := k.EpochStakes.Has(ctx, sub)
		if err != nil {
			return true, err
		}
		if !anchored {
			pruning, err := k.SnapshotPrunes.Has(ctx, sub)
			if err != nil {
				return true, err
			}
			if !pruning {
				fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position snapshot %s/%s on subnet %d: the hotkey has no epoch stake there and no prune is pending",
					hotkey, coldkey, netuid)
				return true, nil
			}
		}
		sk := subnetKey(netuid, hotkey)
		if prev, ok := sums[sk]; ok {
			sums[sk] = prev.Add(amount)
		} else {
			sums[sk] = amount
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if fail != nil {
		return fail
	}
	return k.EpochStakes.Walk(ctx, nil, func(key collections.Pair[uint32, sdk.AccAddress], total math.Int) (bool, error) {
		if sum, ok := sums[subnetKey(key.K1(), key.K2())]; ok && sum.GT(total) {
			return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s on subnet %d: position snapshots sum to %s, above its epoch stake %s",
				key.K2(), key.K1(), sum, total)
		}
		return false, nil
	})
}

func (k *Keeper) checkModuleBalance(ctx context.Context) error {
	stake, err := k.getItemInt(ctx, k.TotalStake)
	if err != nil {
		return err
	}
	unbonding, err := k.getItemInt(ctx, k.TotalUnbonding)
	if err != nil {
		return err
	}
	balance := k.bankKeeper.GetBalance(ctx, k.accountKeeper.GetModuleAddress(types.ModuleName), k.denom).Amount
	if want := stake.Add(unbonding); !balance.Equal(want) {
		return errorsmod.Wrapf(types.ErrModuleBalanceMismatch, "module account holds %s%s, total stake %s + unbonding %s = %s",
			balance, k.denom, stake, unbonding, want)
	}
	return nil
}

func (k *Keeper) checkTotals(ctx context.Context) error {
	// Sum positions per hotkey; Stakes is ordered by hotkey so sums complete one hotkey at a time.
	sumPositions := math.ZeroInt()
	var (
		cur    sdk.AccAddress
		curSum = math.ZeroInt()
		fail   error
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		total := k.GetTotalHotkeyStake(ctx, cur)
		if !total.Equal(curSum) {
			return errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s: TotalHotkeyStake %s, sum of positions %s", cur, total, curSum)
		}
		return nil
	}
	err := k.Stakes.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		if !amount.IsPositive() {
			fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position %s/%s is not positive: %s", key.K1(), key.K2(), amount)
			return true, nil
		}
		has, err := k.StakesByColdkey.Has(ctx, collections.Join(key.K2(), key.K1()))
		if err != nil {
			return true, err
		}
		if !has {
			fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position %s/%s missing from the coldkey index", key.K1(), key.K2())
			return true, nil
		}
		if !key.K1().Equals(cur) {
			if fail = flush(); fail != nil {
				return true, nil
			}
			cur, curSum = key.K1(), math.ZeroInt()
		}
		curSum = curSum.Add(amount)
		sumPositions = sumPositions.Add(amount)
		return false, nil
	})
	if err != nil {
		return err
	}
	if fail != nil {
		return fail
	}
	if err := flush(); err != nil {
		return err
	}
	sumHotkeys := math.ZeroInt()
	err = k.TotalHotkeyStake.Walk(ctx, nil, func(_ sdk.AccAddress, v math.Int) (bool, error) {
		sumHotkeys = sumHotkeys.Add(v)
		return false, nil
	})
	if err != nil {
		return err
	}
	indexed := 0
	err = k.StakesByColdkey.Walk(ctx, nil, func(collections.Pair[sdk.AccAddress, sdk.AccAddress]) (bool, error) {
		indexed++
		return false, nil
	})
	if err != nil {
		return err
	}
	positions := 0
	if err := k.Stakes.Walk(ctx, nil, func(collections.Pair[sdk.AccAddress, sdk.AccAddress], math.Int) (bool, error) {
		positions++
		return false, nil
	}); err != nil {
		return err
	}
	if indexed != positions {
		return errorsmod.Wrapf(types.ErrTotalsMismatch, "%d positions but %d coldkey index entries", positions, indexed)
	}
	total := k.GetTotalStake(ctx)
	if !total.Equal(sumHotkeys) || !total.Equal(sumPositions) {
		return errorsmod.Wrapf(types.ErrTotalsMismatch, "TotalStake %s, sum of hotkey totals %s, sum of positions %s",
			total, sumHotkeys, sumPositions)
	}
	sumUnbonding := math.ZeroInt()
	queued := 0
	err = k.UnbondingQueue.Walk(ctx, nil, func(_ collections.Pair[int64, uint64], e types.UnbondingEntry) (bool, error) {
		sumUnbonding = sumUnbonding.Add(e.Amount)
		queued++
		return false, nil
	})
	if err != nil {
		return err
	}
	unbonding, err := k.getItemInt(ctx, k.TotalUnbonding)
	if err != nil {
		return err
	}
	if !unbonding.Equal(sumUnbonding) {
		return errorsmod.Wrapf(types.ErrTotalsMismatch, "TotalUnbonding %s, sum of unbonding entries %s", unbonding, sumUnbonding)
	}
	indexedUnb := 0
	if err := k.UnbondingsByColdkey.Walk(ctx, nil, func(collections.Pair[sdk.AccAddress, uint64], int64) (bool, error) {
		indexedUnb++
		return false, nil
	}); err != nil {
		return err
	}
	if indexedUnb != queued {
		return errorsmod.Wrap(types.ErrTotalsMismatch, fmt.Sprintf("%d unbonding entries but %d coldkey index entries", queued, indexedUnb))
	}
	return nil
}
