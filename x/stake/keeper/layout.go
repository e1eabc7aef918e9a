package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	storetypes "cosmossdk.io/core/store"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// The store layout of positions and hotkeys (README "State"):
//
//   - Stakes, an IndexedMap (hotkey, coldkey) -> Position{amount, snapshots}: a position's amount and its snapshot on
//     each subnet of the hotkey, in one record, indexed by coldkey (StakeIndexes.Coldkey);
//   - HotkeyStakes, hotkey -> HotkeyStake{total, epoch_stakes}: the sum of the hotkey's positions and its anchor on
//     each subnet (its total at the subnet's previous epoch), in one record.
//
// An epoch records a hotkey's snapshots and then pays it; both land in the same two records, which the block's cache
// writes to the store once each. So a paid hotkey with one position (a miner) costs two keys per epoch, and a
// delegated validator one more per counted position.

// PositionKey is the primary key of Stakes: (hotkey, coldkey).
type PositionKey = collections.Pair[sdk.AccAddress, sdk.AccAddress]

// StakeIndexes are the indexes of Stakes.
type StakeIndexes struct {
	// Coldkey indexes positions by (coldkey, hotkey).
	Coldkey *ColdkeyIndex
}

// IndexesList implements collections.Indexes.
func (i StakeIndexes) IndexesList() []collections.Index[PositionKey, types.Position] {
	return []collections.Index[PositionKey, types.Position]{i.Coldkey}
}

// ColdkeyIndex indexes positions by coldkey: one (coldkey, hotkey) entry per position. Its key depends only on the
// position's key, so unlike collections' ReversePair it writes the entry only when the position is created, not on
// every update of the amount (which would rewrite an unchanged key on every payout).
type ColdkeyIndex struct {
	Refs collections.KeySet[collections.Pair[sdk.AccAddress, sdk.AccAddress]]
}

// NewColdkeyIndex returns the coldkey index of Stakes under prefix.
func NewColdkeyIndex(sb *collections.SchemaBuilder, prefix collections.Prefix) *ColdkeyIndex {
	return &ColdkeyIndex{Refs: collections.NewKeySet(sb, prefix, "stakes_by_coldkey",
		collections.PairKeyCodec(sdk.AccAddressKey, sdk.AccAddressKey), collections.WithKeySetSecondaryIndex())}
}

// Reference implements collections.Index: it adds the entry unless the position already exists (and so has it).
func (i *ColdkeyIndex) Reference(ctx context.Context, pk PositionKey, _ types.Position, oldValue func() (types.Position, error)) error {
	_, err := oldValue()
	if err == nil {
		return nil
	}
	if !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	return i.Refs.Set(ctx, collections.Join(pk.K2(), pk.K1()))
}

// Unreference implements collections.Index.
func (i *ColdkeyIndex) Unreference(ctx context.Context, pk PositionKey, _ func() (types.Position, error)) error {
	return i.Refs.Remove(ctx, collections.Join(pk.K2(), pk.K1()))
}

// Has reports whether the index holds (coldkey, hotkey).
func (i *ColdkeyIndex) Has(ctx context.Context, coldkey, hotkey sdk.AccAddress) (bool, error) {
	return i.Refs.Has(ctx, collections.Join(coldkey, hotkey))
}

// rawLookup is a point read of key in the collection stored under prefix that returns found == false for an absent
// key rather than collections.ErrNotFound, which collections formats with the key (a bech32 encoding per address)
// on every miss. An epoch reads thousands of absent positions and hotkeys.
func rawLookup[K, V any](ctx context.Context, ss storetypes.KVStoreService, prefix collections.Prefix,
	kc collcodec.KeyCodec[K], vc collcodec.ValueCodec[V], key K,
) (v V, found bool, err error) {
	bz, err := collections.EncodeKeyWithPrefix(prefix, kc, key)
	if err != nil {
		return v, false, err
	}
	raw, err := ss.OpenKVStore(ctx).Get(bz)
	if err != nil || raw == nil {
		return v, false, err
	}
	if v, err = vc.Decode(raw); err != nil {
		return v, false, fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err)
	}
	return v, true, nil
}

// lookup is m.Get(ctx, key) for a key that may be absent (see rawLookup).
func lookup[K, V any](ctx context.Context, ss storetypes.KVStoreService, m collections.Map[K, V], key K) (V, bool, error) {
	return rawLookup(ctx, ss, m.GetPrefix(), m.KeyCodec(), m.ValueCodec(), key)
}

// getPosition reads the (hotkey, coldkey) position; found is false (and the amount zero) when there is none.
func (k *Keeper) getPosition(ctx context.Context, hotkey, coldkey sdk.AccAddress) (types.Position, bool, error) {
	p, found, err := rawLookup(ctx, k.storeService, types.StakesKey, k.Stakes.KeyCodec(), k.Stakes.ValueCodec(), collections.Join(hotkey, coldkey))
	if err == nil && !found {
		p = types.Position{Amount: math.ZeroInt()}
	}
	return p, found, err
}

// setPosition writes a position, or deletes it (with its snapshots and index entry) when its amount is zero.
func (k *Keeper) setPosition(ctx context.Context, hotkey, coldkey sdk.AccAddress, p types.Position) error {
	key := collections.Join(hotkey, coldkey)
	if p.Amount.IsZero() {
		return k.Stakes.Remove(ctx, key)
	}
	return k.Stakes.Set(ctx, key, p)
}

// getHotkey reads a hotkey's record; a hotkey without one has total zero and no anchors.
func (k *Keeper) getHotkey(ctx context.Context, hotkey sdk.AccAddress) (types.HotkeyStake, error) {
	h, found, err := lookup(ctx, k.storeService, k.HotkeyStakes, hotkey)
	if err == nil && !found {
		h = types.HotkeyStake{Total: math.ZeroInt()}
	}
	return h, err
}

// setHotkey writes a hotkey's record, or deletes it when it holds nothing (no stake, no anchor).
func (k *Keeper) setHotkey(ctx context.Context, hotkey sdk.AccAddress, h types.HotkeyStake) error {
	if h.Total.IsZero() && len(h.EpochStakes) == 0 {
		has, err := k.HotkeyStakes.Has(ctx, hotkey)
		if err != nil || !has {
			return err
		}
		return k.HotkeyStakes.Remove(ctx, hotkey)
	}
	return k.HotkeyStakes.Set(ctx, hotkey, h)
}

// netuidGet returns the amount recorded for netuid in list (sorted by netuid).
func netuidGet(list []types.NetuidAmount, netuid uint32) (math.Int, bool) {
	for _, e := range list {
		if e.Netuid == netuid {
			return e.Amount, true
		}
		if e.Netuid > netuid {
			break
		}
	}
	return math.Int{}, false
}

// netuidSet returns list with netuid's amount set (inserted in netuid order), without modifying list.
func netuidSet(list []types.NetuidAmount, netuid uint32, amount math.Int) []types.NetuidAmount {
	out := make([]types.NetuidAmount, 0, len(list)+1)
	done := false
	for _, e := range list {
		switch {
		case e.Netuid == netuid:
			out = append(out, types.NetuidAmount{Netuid: netuid, Amount: amount})
			done = true
			continue
		case e.Netuid > netuid && !done:
			out = append(out, types.NetuidAmount{Netuid: netuid, Amount: amount})
			done = true
		}
		out = append(out, e)
	}
	if !done {
		out = append(out, types.NetuidAmount{Netuid: netuid, Amount: amount})
	}
	return out
}

// netuidRemove returns list without netuid's entry, without modifying list.
func netuidRemove(list []types.NetuidAmount, netuid uint32) []types.NetuidAmount {
	out := make([]types.NetuidAmount, 0, len(list))
	for _, e := range list {
		if e.Netuid != netuid {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
