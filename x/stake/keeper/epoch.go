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
	// coldkeys and records are every position of the hotkey now (coldkey order), as stored, so that recording
	// writes only what changed.
	coldkeys []sdk.AccAddress
	records  []types.Position
	total    math.Int
	// hotkey is the hotkey's record (total zero if none), whose total the invariants keep equal to total.
	hotkey types.HotkeyStake
}

// countHotkey reads what counts of hotkey's stake at subnet netuid's epoch, without writing anything.
func (k *Keeper) countHotkey(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (hotkeyCount, error) {
	hc := hotkeyCount{counted: types.CountedStake{Total: math.ZeroInt()}, total: math.ZeroInt()}
	rec, err := k.getHotkey(ctx, hotkey)
	hc.hotkey = rec
	if err != nil || rec.Total.IsZero() {
		return hc, err // no position: nothing counts, nothing to record (most miners of a new subnet)
	}
	_, anchored := netuidGet(rec.EpochStakes, netuid)
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
		coldkey, pos := kv.Key.K2(), kv.Value
		hc.coldkeys = append(hc.coldkeys, coldkey)
		hc.records = append(hc.records, pos)
		hc.total = hc.total.Add(pos.Amount)
		if !anchored {
			continue
		}
		snap, found := netuidGet(pos.Snapshots, netuid)
		if !found {
			continue
		}
		if c := math.MinInt(snap, pos.Amount); c.IsPositive() {
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
	// Record after computing every count, so a hotkey listed twice gets the same count both times. A position's
	// snapshot and the hotkey's anchor live in the records the payouts that follow update, so the block writes each
	// record once; nothing is written for what did not change.
	positions := 0
	for i, hk := range hotkeys {
		hc := counts[i]
		for j, pos := range hc.records {
			if snap, found := netuidGet(pos.Snapshots, netuid); found && snap.Equal(pos.Amount) {
				continue
			}
			pos.Snapshots = netuidSet(pos.Snapshots, netuid, pos.Amount)
			if err := k.setPosition(ctx, hk, hc.coldkeys[j], pos); err != nil {
				return nil, nil, err
			}
		}
		positions += len(hc.records)
		rec := hc.hotkey
		anchor, anchored := netuidGet(rec.EpochStakes, netuid)
		switch {
		case hc.total.IsZero() && !anchored, hc.total.IsPositive() && anchored && anchor.Equal(hc.total):
			continue
		case hc.total.IsZero():
			rec.EpochStakes = netuidRemove(rec.EpochStakes, netuid)
		default:
			rec.EpochStakes = netuidSet(rec.EpochStakes, netuid, hc.total)
		}
		if err := k.setHotkey(ctx, hk, rec); err != nil {
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
		totals[i] = hc.hotkey.Total
	}
	return out, totals, nil
}

// ClearEpochStake drops the snapshot of hotkey on subnet netuid when its UID is replaced, so a hotkey that
// registers again starts from zero counted stake, like any newcomer: without that snapshot its position snapshots
// on the subnet are never read again. They are deleted by EndBlock (PruneSnapshots), a bounded number per block,
// so replacing a hotkey with many delegators costs the registration no more than any other.
func (k *Keeper) ClearEpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) error {
	rec, err := k.getHotkey(ctx, hotkey)
	if err != nil {
		return err
	}
	if _, anchored := netuidGet(rec.EpochStakes, netuid); !anchored {
		return nil
	}
	rec.EpochStakes = netuidRemove(rec.EpochStakes, netuid)
	if err := k.setHotkey(ctx, hotkey, rec); err != nil {
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
		if err := k.SnapshotPrunes.Set(ctx, collections.Join(netuid, hotkey), pruneCursor(nil)); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStakeCleared{
		Netuid: netuid, Hotkey: hotkey.String(), Pruning: pruning,
	})
}

// hasAnchor reports whether hotkey has an epoch stake (anchor) on subnet netuid.
func (k *Keeper) hasAnchor(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (bool, error) {
	rec, err := k.getHotkey(ctx, hotkey)
	if err != nil {
		return false, err
	}
	_, anchored := netuidGet(rec.EpochStakes, netuid)
	return anchored, nil
}

// HasEpochStake reports whether hotkey has an epoch-stake snapshot (anchor) on subnet netuid: an epoch of the
// subnet recorded its stake and its UID was not replaced since.
func (k *Keeper) HasEpochStake(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (bool, error) {
	return k.hasAnchor(ctx, netuid, hotkey)
}

// PositionSnapshot returns the snapshot on subnet netuid recorded in the (hotkey, coldkey) position, whether or not
// the hotkey's anchor there makes it count; found is false when the position has none.
func (k *Keeper) PositionSnapshot(ctx context.Context, netuid uint32, hotkey, coldkey sdk.AccAddress) (math.Int, bool, error) {
	pos, _, err := k.getPosition(ctx, hotkey, coldkey)
	if err != nil {
		return math.Int{}, false, err
	}
	v, found := netuidGet(pos.Snapshots, netuid)
	return v, found, nil
}

// PruneSnapshots deletes position snapshots left by replaced hotkeys, at most budget store operations (a snapshot
// deleted, or a finished job dropped) per call, oldest (netuid, hotkey) first. For each queued (netuid, hotkey) it
// walks the hotkey's positions in coldkey order from where it stopped and removes their snapshots on that subnet
// from the position records (closed positions have none: closing deletes the record). A job whose hotkey has a
// snapshot on the subnet again (it registered again and an epoch re-recorded every position) is dropped. It returns
// the number of snapshots deleted.
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
		anchored, err := k.hasAnchor(ctx, netuid, hotkey)
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
		var (
			coldkeys []sdk.AccAddress
			records  []types.Position
		)
		for ; piter.Valid() && spent+len(coldkeys) < budget; piter.Next() {
			kv, err := piter.KeyValue()
			if err != nil {
				piter.Close()
				return deleted, err
			}
			coldkeys, records = append(coldkeys, kv.Key.K2()), append(records, kv.Value)
		}
		more := piter.Valid()
		piter.Close()
		for i, c := range coldkeys {
			pos := records[i]
			if _, has := netuidGet(pos.Snapshots, netuid); !has {
				continue
			}
			pos.Snapshots = netuidRemove(pos.Snapshots, netuid)
			if err := k.setPosition(ctx, hotkey, c, pos); err != nil {
				return deleted, err
			}
			deleted++
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
