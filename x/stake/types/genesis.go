package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// DefaultGenesisState returns the genesis with default params and no stake.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextUnbondingId: 1}
}

// Validate checks the genesis: valid params and addresses, strictly positive amounts, no duplicate positions,
// takes, unbonding ids or snapshots, takes within the param bounds, and next_unbonding_id above every id. Each
// position snapshot belongs to a position and does not exceed it, and its hotkey has an epoch-stake snapshot on the
// subnet or a pending prune there.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	seenPos := make(map[string]math.Int, len(gs.Positions))
	for i, p := range gs.Positions {
		c, err := ParseAddress("positions.coldkey", p.Coldkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position %d: %v", i, err)
		}
		h, err := ParseAddress("positions.hotkey", p.Hotkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position %d: %v", i, err)
		}
		if err := ValidateAmount(p.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position %d: %v", i, err)
		}
		key := string(h) + "/" + string(c)
		if _, dup := seenPos[key]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate position coldkey %s hotkey %s", p.Coldkey, p.Hotkey)
		}
		seenPos[key] = p.Amount
	}
	seenTake := make(map[string]struct{}, len(gs.Takes))
	for i, t := range gs.Takes {
		h, err := ParseAddress("takes.hotkey", t.Hotkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "take %d: %v", i, err)
		}
		if t.TakeBps < gs.Params.MinTakeBps || t.TakeBps > gs.Params.MaxTakeBps {
			return errorsmod.Wrapf(ErrInvalidGenesis, "take of %s is %d bps, outside [%d, %d]",
				t.Hotkey, t.TakeBps, gs.Params.MinTakeBps, gs.Params.MaxTakeBps)
		}
		if t.LastSetHeight < 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "take of %s has negative last_set_height", t.Hotkey)
		}
		if _, dup := seenTake[string(h)]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate take for hotkey %s", t.Hotkey)
		}
		seenTake[string(h)] = struct{}{}
	}
	seenID := make(map[uint64]struct{}, len(gs.Unbondings))
	for i, u := range gs.Unbondings {
		if _, err := ParseAddress("unbondings.coldkey", u.Coldkey); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d: %v", i, err)
		}
		if _, err := ParseAddress("unbondings.hotkey", u.Hotkey); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d: %v", i, err)
		}
		if err := ValidateAmount(u.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d: %v", i, err)
		}
		if u.Id == 0 || u.Id >= gs.NextUnbondingId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding id %d must be in [1, next_unbonding_id %d)", u.Id, gs.NextUnbondingId)
		}
		if u.CompletionHeight < 0 || u.CreationHeight < 0 || u.CompletionHeight < u.CreationHeight {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d has invalid heights (%d -> %d)", u.Id, u.CreationHeight, u.CompletionHeight)
		}
		if _, dup := seenID[u.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate unbonding id %d", u.Id)
		}
		seenID[u.Id] = struct{}{}
	}
	if gs.NextUnbondingId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_unbonding_id must be at least 1")
	}
	type snapKey struct {
		netuid uint32
		hotkey string
	}
	seenSnap := make(map[snapKey]struct{}, len(gs.EpochStakes))
	for i, s := range gs.EpochStakes {
		h, err := ParseAddress("epoch_stakes.hotkey", s.Hotkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch stake %d: %v", i, err)
		}
		if err := ValidateAmount(s.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch stake %d: %v", i, err)
		}
		k := snapKey{s.Netuid, string(h)}
		if _, dup := seenSnap[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate epoch stake netuid %d hotkey %s", s.Netuid, s.Hotkey)
		}
		seenSnap[k] = struct{}{}
	}
	seenPrune := make(map[snapKey]struct{}, len(gs.SnapshotPrunes))
	for i, p := range gs.SnapshotPrunes {
		h, err := ParseAddress("snapshot_prunes.hotkey", p.Hotkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "snapshot prune %d: %v", i, err)
		}
		if p.AfterColdkey != "" {
			if _, err := ParseAddress("snapshot_prunes.after_coldkey", p.AfterColdkey); err != nil {
				return errorsmod.Wrapf(ErrInvalidGenesis, "snapshot prune %d: %v", i, err)
			}
		}
		k := snapKey{p.Netuid, string(h)}
		if _, dup := seenPrune[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate snapshot prune netuid %d hotkey %s", p.Netuid, p.Hotkey)
		}
		seenPrune[k] = struct{}{}
	}
	type posSnapKey struct {
		netuid          uint32
		hotkey, coldkey string
	}
	seenPosSnap := make(map[posSnapKey]struct{}, len(gs.PositionSnapshots))
	for i, s := range gs.PositionSnapshots {
		h, err := ParseAddress("position_snapshots.hotkey", s.Hotkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot %d: %v", i, err)
		}
		c, err := ParseAddress("position_snapshots.coldkey", s.Coldkey)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot %d: %v", i, err)
		}
		if err := ValidateAmount(s.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot %d: %v", i, err)
		}
		k := posSnapKey{s.Netuid, string(h), string(c)}
		if _, dup := seenPosSnap[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate position snapshot netuid %d hotkey %s coldkey %s", s.Netuid, s.Hotkey, s.Coldkey)
		}
		seenPosSnap[k] = struct{}{}
		pos, ok := seenPos[string(h)+"/"+string(c)]
		if !ok || s.Amount.GT(pos) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot netuid %d hotkey %s coldkey %s: %s exceeds the position (%s)",
				s.Netuid, s.Hotkey, s.Coldkey, s.Amount, pos)
		}
		_, anchored := seenSnap[snapKey{s.Netuid, string(h)}]
		_, pruning := seenPrune[snapKey{s.Netuid, string(h)}]
		if !anchored && !pruning {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot netuid %d hotkey %s coldkey %s: the hotkey has no epoch stake on the subnet and no pending prune",
				s.Netuid, s.Hotkey, s.Coldkey)
		}
	}
	return nil
}
