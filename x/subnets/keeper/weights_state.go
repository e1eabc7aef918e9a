package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// row reads one UID's row of the weight or bond matrix; a UID with no row has an empty one.
func (k *Keeper) row(ctx context.Context, m collections.Map[collections.Pair[uint32, uint32], types.WeightRow], netuid, uid uint32) ([]types.WeightEntry, error) {
	r, err := m.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	return r.Entries, err
}

// resetUidInMatrices removes a UID's own weight and bond rows, zeroes every other row's weight to it (the entry
// is kept, as the reference keeps it) and drops every other row's bond to it, so a new occupant inherits nothing.
//
// Bonds to the UID are dropped here rather than left to the epoch's registration mask: that mask drops bonds to
// UIDs registered after the previous epoch's block, so a replacement in the very block an epoch ran (epochs run in
// BeginBlock, registrations after) escapes it and the newcomer would inherit the bonds held to its predecessor.
func (k *Keeper) resetUidInMatrices(ctx context.Context, netuid, uid uint32) error {
	key := collections.Join(netuid, uid)
	if err := k.Weights.Remove(ctx, key); err != nil {
		return err
	}
	if err := k.Bonds.Remove(ctx, key); err != nil {
		return err
	}
	iter, err := k.Weights.Iterate(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid))
	if err != nil {
		return err
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		changed := false
		for i := range kv.Value.Entries {
			if kv.Value.Entries[i].Uid == uid && kv.Value.Entries[i].Value != 0 {
				kv.Value.Entries[i].Value = 0
				changed = true
			}
		}
		if changed {
			if err := k.Weights.Set(ctx, kv.Key, kv.Value); err != nil {
				return err
			}
		}
	}
	biter, err := k.Bonds.Iterate(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid))
	if err != nil {
		return err
	}
	bkvs, err := biter.KeyValues()
	if err != nil {
		return err
	}
	for _, kv := range bkvs {
		kept := make([]types.WeightEntry, 0, len(kv.Value.Entries))
		for _, e := range kv.Value.Entries {
			if e.Uid != uid {
				kept = append(kept, e)
			}
		}
		if len(kept) != len(kv.Value.Entries) {
			if err := k.SetBondRow(ctx, netuid, kv.Key.K2(), kept); err != nil {
				return err
			}
		}
	}
	return nil
}

// rows returns rows 0..n-1 of a matrix of a subnet (empty rows for UIDs without one), in one prefix scan.
func (k *Keeper) rows(ctx context.Context, m collections.Map[collections.Pair[uint32, uint32], types.WeightRow], netuid uint32, n int) ([][]types.WeightEntry, error) {
	out := make([][]types.WeightEntry, n)
	iter, err := m.Iterate(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid))
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			return nil, err
		}
		if uid := int(kv.Key.K2()); uid < n {
			out[uid] = kv.Value.Entries
		}
	}
	return out, nil
}

// WeightRows returns the stored weight rows of UIDs 0..n-1 (for the epoch).
func (k *Keeper) WeightRows(ctx context.Context, netuid uint32, n int) ([][]types.WeightEntry, error) {
	return k.rows(ctx, k.Weights, netuid, n)
}

// BondRows returns the stored bond rows of UIDs 0..n-1 (for the epoch).
func (k *Keeper) BondRows(ctx context.Context, netuid uint32, n int) ([][]types.WeightEntry, error) {
	return k.rows(ctx, k.Bonds, netuid, n)
}

// SetBondRow stores the bond row the epoch computed for a UID (an empty row is removed).
func (k *Keeper) SetBondRow(ctx context.Context, netuid, uid uint32, entries []types.WeightEntry) error {
	key := collections.Join(netuid, uid)
	if len(entries) == 0 {
		return k.Bonds.Remove(ctx, key)
	}
	return k.Bonds.Set(ctx, key, types.WeightRow{Entries: entries})
}

// PeekNextNetuid is the netuid the next created subnet gets (every netuid below it has been assigned).
func (k *Keeper) PeekNextNetuid(ctx context.Context) (uint32, error) {
	v, err := k.NextNetuid.Peek(ctx)
	return uint32(v), err
}
