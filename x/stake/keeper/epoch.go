package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// The stake that counts in a subnet's epoch.
//
// At each epoch of subnet netuid, SnapshotEpochStake records, for every hotkey of the subnet, its total stake
// (EpochStakes, the anchor) and each of its positions (PositionSnapshots). Between two epochs, every decrease of a
// position (MsgRemoveStake, MsgMoveStake) lowers the position's snapshots to what is left, and a position that is
// closed loses them. So a snapshot is always the least the position has held since the subnet's previous epoch.
//
// At the next epoch each position counts its snapshot — min(snapshot, position now), which is the snapshot itself
// since it never exceeds the position — or 0 when it has none: the position was opened, or closed and reopened,
// since the previous epoch. When the hotkey has no anchor on the subnet (first epoch there, its UID was replaced
// since, or it had no stake) every position counts 0. A hotkey's counted stake is the sum of its counted positions.
//
// Stake moved in just before an epoch therefore earns nothing at it, on the destination hotkey or any other; stake
// moved out just after an epoch counted for that epoch only if it had been held since the epoch before; and the same
// coins cannot count on two hotkeys (or twice on one) by hopping between subnets whose epochs fall at different
// heights, because leaving lowers the snapshot at once.

// hotkeyCount is one hotkey's epoch count, computed before anything is written.
type hotkeyCount struct {
	counted types.CountedStake
	// now lists every position of the hotkey now (coldkey order); stored is each one's snapshot in the store
	// (zero if none), so that recording writes only what changed.
	now    []types.CountedPosition
	stored []math.Int
	total  math.Int
	// hotkeyTotal is the hotkey's TotalHotkeyStake record (zero if none), which the invariants keep equal to total.
	hotkeyTotal math.Int
}

// countHotkey reads what counts of hotkey's stake at subnet netuid's epoch, without writing anything.
func (k *Keeper) countHotkey(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (hotkeyCount, error) {
	hc := hotkeyCount{counted: types.CountedStake{Total: math.ZeroInt()}, total: math.ZeroInt(), hotkeyTotal: math.ZeroInt()}
	total, err := k.getInt(ctx, k.TotalHotkeyStake, hotkey)
	if err == nil {
		hc.hotkeyTotal = total
	}
	if err != nil || total.IsZero() {
		return hc, err // no position: nothing counts, nothing to record (most miners of a new subnet)
	}
	anchored, err := k.EpochStakes.Has(ctx, collections.Join(netuid, hotkey))
	if err != nil {
		return hc, err
	}
	iter, err := k.Stakes.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey))
	if err != nil {
		return hc, err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			return hc, err
		}
		coldkey, amount := kv.Key.K2(), kv.Value
		snap, found, err := lookup(ctx, k.storeService, k.PositionSnapshots, collections.Join3(hotkey, coldkey, netuid))
		if err != nil {
			return hc, err
		}
		if !found {
			snap = math.ZeroInt()
		}
		hc.now = append(hc.now, types.CountedPosition{Coldkey: coldkey, Amount: amount})
		hc.stored = append(hc.stored, snap)
		hc.total = hc.total.Add(amount)
		if !anchored {
			continue
		}
		if c := math.MinInt(snap, amount); c.IsPositive() {
			hc.counted.Positions = append(hc.counted.Positions, types.CountedPosition{Coldkey: coldkey, Amount: c})
			hc.counted.Total = hc.counted.Total.Add(c)
		}
	}
	return hc, nil
}

// EpochStake returns the stake of hotkey that counts in the current epoch of subnet netuid: the sum over its
// positions of the least each held since the subnet's previous epoch (see EpochStakePositions). It records nothing.
func (k *Keeper) EpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (math.Int, error) {
	hc, err := k.countHotkey(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	return hc.counted.Total, nil
}

// EpochStakePositions returns what of each position on hotkey counts in the current epoch of subnet netuid: the
// position's snapshot (the least it held since the subnet's previous epoch), and nothing for a position without one
// or when the hotkey has no snapshot on the subnet. Only positions that count are listed, in coldkey order. It
// records nothing.
func (k *Keeper) EpochStakePositions(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (types.CountedStake, error) {
	hc, err := k.countHotkey(ctx, netuid, hotkey)
	return hc.counted, err
}

// SnapshotEpochStake is called by x/emissions at each epoch of subnet netuid with the subnet's hotkeys (in UID
// order). It returns, in the same order, what counts of each hotkey in this epoch (see EpochStakePositions), then
// records each hotkey's total and positions as the snapshots for the next epoch: a zero total deletes the hotkey's
// snapshot, and a position's snapshot is written only when it changes. Work and writes are proportional to the
// number of positions on the subnet's hotkeys.
func (k *Keeper) SnapshotEpochStake(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]types.CountedStake, error) {
	counted, _, err := k.SnapshotEpochStakeAndTotals(ctx, netuid, hotkeys)
	return counted, err
}

// SnapshotEpochStakeAndTotals is SnapshotEpochStake that also returns, in the same order, each hotkey's total stake
// (GetTotalHotkeyStake) as it was when called, from the reads the snapshot makes anyway.
func (k *Keeper) SnapshotEpochStakeAndTotals(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]types.CountedStake, []math.Int, error) {
	counts := make([]hotkeyCount, len(hotkeys))
	for i, hk := range hotkeys {
		if len(hk) == 0 {
			return nil, nil, errorsmod.Wrapf(types.ErrInvalidAddress, "hotkey %d of subnet %d is empty", i, netuid)
		}
		hc, err := k.countHotkey(ctx, netuid, hk)
		if err != nil {
			return nil, nil, err
		}
		counts[i] = hc
	}
	// Record after computing every count, so a hotkey listed twice gets the same count both times.
	positions := 0
	for i, hk := range hotkeys {
		hc := counts[i]
		for j, p := range hc.now {
			if hc.stored[j].Equal(p.Amount) {
				continue
			}
			if err := k.PositionSnapshots.Set(ctx, collections.Join3(hk, p.Coldkey, netuid), p.Amount); err != nil {
				return nil, nil, err
			}
		}
		positions += len(hc.now)
		key := collections.Join(netuid, hk)
		var err error
		if hc.total.IsZero() {
			err = k.EpochStakes.Remove(ctx, key)
		} else {
			err = k.EpochStakes.Set(ctx, key, hc.total)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStakeSnapshot{
		Netuid: netuid, Hotkeys: uint32(len(hotkeys)), Positions: uint32(positions),
	}); err != nil {
		return nil, nil, err
	}
	out := make([]types.CountedStake, len(counts))
	totals := make([]math.Int, len(counts))
	for i, hc := range counts {
		out[i] = hc.counted
		totals[i] = hc.hotkeyTotal
	}
	return out, totals, nil
}

// lowerPositionSnapshots sets every subnet's snapshot of the (hotkey, coldkey) position to at most amount, the
// position after a decrease; amount zero (the position is closed) deletes them. A position has at most one snapshot
// per subnet, so the work is bounded by the number of subnets.
func (k *Keeper) lowerPositionSnapshots(ctx context.Context, hotkey, coldkey sdk.AccAddress, amount math.Int) error {
	rng := collections.NewSuperPrefixedTripleRange[sdk.AccAddress, sdk.AccAddress, uint32](hotkey, coldkey)
	iter, err := k.PositionSnapshots.Iterate(ctx, rng)
	if err != nil {
		return err
	}
	kvs, err := iter.KeyValues() // closes the iterator: collect first, then write
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if kv.Value.LTE(amount) {
			continue
		}
		if amount.IsZero() {
			err = k.PositionSnapshots.Remove(ctx, kv.Key)
		} else {
			err = k.PositionSnapshots.Set(ctx, kv.Key, amount)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ClearEpochStake drops the snapshot of hotkey on subnet netuid when its UID is replaced, so a hotkey that
// registers again starts from zero counted stake, like any newcomer: without that snapshot its position snapshots
// on the subnet are never read again. They are deleted by EndBlock (PruneSnapshots), a bounded number per block,
// so replacing a hotkey with many delegators costs the registration no more than any other.
func (k *Keeper) ClearEpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) error {
	key := collections.Join(netuid, hotkey)
	has, err := k.EpochStakes.Has(ctx, key)
	if err != nil || !has {
		return err
	}
	if err := k.EpochStakes.Remove(ctx, key); err != nil {
		return err
	}
	// Position snapshots on the subnet exist only for positions still open; none open, nothing to prune.
	iter, err := k.Stakes.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey))
	if err != nil {
		return err
	}
	pruning := iter.Valid()
	iter.Close()
	if pruning {
		if err := k.SnapshotPrunes.Set(ctx, key, pruneCursor(nil)); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStakeCleared{
		Netuid: netuid, Hotkey: hotkey.String(), Pruning: pruning,
	})
}

// PruneSnapshots deletes position snapshots left by replaced hotkeys, at most budget store operations (a snapshot
// deleted, or a finished job dropped) per call, oldest (netuid, hotkey) first. For each queued (netuid, hotkey) it
// walks the hotkey's positions in coldkey order from where it stopped and deletes their snapshots on that subnet
// (closed positions have none: closing deletes them). A job whose hotkey has a snapshot on the subnet again (it
// registered again and an epoch re-recorded every position) is dropped. It returns the number of snapshots deleted.
func (k *Keeper) PruneSnapshots(ctx context.Context, budget int) (int, error) {
	if budget <= 0 {
		return 0, nil
	}
	iter, err := k.SnapshotPrunes.Iterate(ctx, nil)
	if err != nil {
		return 0, err
	}
	type job struct {
		key   collections.Pair[uint32, sdk.AccAddress]
		after []byte
	}
	var jobs []job
	for ; iter.Valid() && len(jobs) < budget; iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			iter.Close()
			return 0, err
		}
		jobs = append(jobs, job{kv.Key, pruneAfter(kv.Value)})
	}
	iter.Close()

	spent, deleted := 0, 0
	for _, j := range jobs {
		if spent >= budget {
			break
		}
		netuid, hotkey := j.key.K1(), j.key.K2()
		anchored, err := k.EpochStakes.Has(ctx, j.key)
		if err != nil {
			return deleted, err
		}
		if anchored {
			spent++
			if err := k.SnapshotPrunes.Remove(ctx, j.key); err != nil {
				return deleted, err
			}
			continue
		}
		rng := collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey)
		if len(j.after) > 0 {
			rng = rng.StartExclusive(sdk.AccAddress(j.after))
		}
		piter, err := k.Stakes.Iterate(ctx, rng)
		if err != nil {
			return deleted, err
		}
		var coldkeys []sdk.AccAddress
		for ; piter.Valid() && spent+len(coldkeys) < budget; piter.Next() {
			key, err := piter.Key()
			if err != nil {
				piter.Close()
				return deleted, err
			}
			coldkeys = append(coldkeys, key.K2())
		}
		more := piter.Valid()
		piter.Close()
		for _, c := range coldkeys {
			key := collections.Join3(hotkey, c, netuid)
			has, err := k.PositionSnapshots.Has(ctx, key)
			if err != nil {
				return deleted, err
			}
			if has {
				if err := k.PositionSnapshots.Remove(ctx, key); err != nil {
					return deleted, err
				}
				deleted++
			}
		}
		spent += len(coldkeys)
		if more {
			if err := k.SnapshotPrunes.Set(ctx, j.key, pruneCursor(coldkeys[len(coldkeys)-1])); err != nil {
				return deleted, err
			}
			continue
		}
		if len(coldkeys) == 0 {
			spent++
		}
		if err := k.SnapshotPrunes.Remove(ctx, j.key); err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

// pruneCursor encodes where a prune job resumes: one version byte, then the last coldkey done (none: from the
// start). The byte keeps the stored value non-empty.
func pruneCursor(after sdk.AccAddress) []byte { return append([]byte{0}, after...) }

// pruneAfter decodes pruneCursor; a value it did not write resumes from the start.
func pruneAfter(v []byte) sdk.AccAddress {
	if len(v) <= 1 || v[0] != 0 {
		return nil
	}
	return sdk.AccAddress(v[1:])
}
