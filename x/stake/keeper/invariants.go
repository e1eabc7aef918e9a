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

// ModuleBalanceInvariant checks that the stake module account holds exactly total stake + total unbonding.
func ModuleBalanceInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.checkModuleBalance(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "module-balance", err.Error()), true
		}
		return "", false
	}
}

// TotalsInvariant checks that TotalStake == sum of TotalHotkeyStake == sum of positions, each hotkey total equals the sum of
// its positions, the coldkey index matches the positions, and TotalUnbonding equals the sum of the queue.
func TotalsInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.checkTotals(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "totals", err.Error()), true
		}
		return "", false
	}
}

// SnapshotsInvariant checks that every position snapshot is positive and at most its open position, and its hotkey has an
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
	err := k.Stakes.Walk(ctx, nil, func(key PositionKey, pos types.Position) (bool, error) {
		hotkey, coldkey := key.K1(), key.K2()
		var rec *types.HotkeyStake
		for i, snap := range pos.Snapshots {
			netuid, amount := snap.Netuid, snap.Amount
			if i > 0 && netuid <= pos.Snapshots[i-1].Netuid {
				fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position %s/%s: snapshots not in ascending netuid order at subnet %d", hotkey, coldkey, netuid)
				return true, nil
			}
			if amount.IsNil() || !amount.IsPositive() || amount.GT(pos.Amount) {
				fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position snapshot %s/%s on subnet %d is %v, the position is %s",
					hotkey, coldkey, netuid, amount, pos.Amount)
				return true, nil
			}
			if rec == nil {
				r, err := k.getHotkey(ctx, hotkey)
				if err != nil {
					return true, err
				}
				rec = &r
			}
			if _, anchored := netuidGet(rec.EpochStakes, netuid); !anchored {
				pruning, err := k.SnapshotPrunes.Has(ctx, collections.Join(netuid, hotkey))
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
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if fail != nil {
		return fail
	}
	return k.HotkeyStakes.Walk(ctx, nil, func(hotkey sdk.AccAddress, rec types.HotkeyStake) (bool, error) {
		for i, e := range rec.EpochStakes {
			if i > 0 && e.Netuid <= rec.EpochStakes[i-1].Netuid {
				return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s: epoch stakes not in ascending netuid order at subnet %d", hotkey, e.Netuid)
			}
			if e.Amount.IsNil() || !e.Amount.IsPositive() {
				return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s on subnet %d: epoch stake %v is not positive", hotkey, e.Netuid, e.Amount)
			}
			if sum, ok := sums[subnetKey(e.Netuid, hotkey)]; ok && sum.GT(e.Amount) {
				return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s on subnet %d: position snapshots sum to %s, above its epoch stake %s",
					hotkey, e.Netuid, sum, e.Amount)
			}
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
		rec, err := k.getHotkey(ctx, cur)
		if err != nil {
			return err
		}
		if total := rec.Total; !total.Equal(curSum) {
			return errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s: TotalHotkeyStake %s, sum of positions %s", cur, total, curSum)
		}
		return nil
	}
	positions := 0
	err := k.Stakes.Walk(ctx, nil, func(key PositionKey, pos types.Position) (bool, error) {
		amount := pos.Amount
		if amount.IsNil() || !amount.IsPositive() {
			fail = errorsmod.Wrapf(types.ErrTotalsMismatch, "position %s/%s is not positive: %v", key.K1(), key.K2(), amount)
			return true, nil
		}
		has, err := k.Stakes.Indexes.Coldkey.Has(ctx, key.K2(), key.K1())
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
		positions++
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
	err = k.HotkeyStakes.Walk(ctx, nil, func(h sdk.AccAddress, rec types.HotkeyStake) (bool, error) {
		if rec.Total.IsNil() || rec.Total.IsNegative() {
			return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s: total %v is negative", h, rec.Total)
		}
		if rec.Total.IsZero() && len(rec.EpochStakes) == 0 {
			return true, errorsmod.Wrapf(types.ErrTotalsMismatch, "hotkey %s: an empty record (no stake, no epoch stake) is kept", h)
		}
		sumHotkeys = sumHotkeys.Add(rec.Total)
		return false, nil
	})
	if err != nil {
		return err
	}
	indexed := 0
	err = k.Stakes.Indexes.Coldkey.Refs.Walk(ctx, nil, func(collections.Pair[sdk.AccAddress, sdk.AccAddress]) (bool, error) {
		indexed++
		return false, nil
	})
	if err != nil {
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
