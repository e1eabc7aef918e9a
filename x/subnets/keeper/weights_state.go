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

// resetUidInMatrices removes a UID's own weight and bond rows and zeroes every other row's weight to it (the entry
// is kept, as the reference keeps it), so a new occupant inherits nothing.
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
	return nil
}
