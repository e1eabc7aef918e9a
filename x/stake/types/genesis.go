package types

import (
	"strings"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// DefaultGenesis returns the genesis with default params and no stake.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextUnbondingId: 1}
}

// addrKey is a map key made of the decoded bytes of addresses an item's Validate has accepted, so that two
// spellings of one address (bech32 is case-insensitive) are one key.
func addrKey(addrs ...string) string {
	var b strings.Builder
	for _, a := range addrs {
		bz, _ := accAddress("", a) // already validated
		b.WriteByte(byte(len(bz)))
		b.Write(bz)
	}
	return b.String()
}

// Validate checks a position on its own: both addresses and a positive amount.
func (p StakePosition) Validate() error {
	if _, err := accAddress("coldkey", p.Coldkey); err != nil {
		return err
	}
	if _, err := accAddress("hotkey", p.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(p.Amount)
}

// Validate checks a take on its own: the hotkey, at most 100% and a height >= 0. The param bounds
// [min_take_bps, max_take_bps] are checked by GenesisState.Validate.
func (t HotkeyTake) Validate() error {
	if _, err := accAddress("hotkey", t.Hotkey); err != nil {
		return err
	}
	if t.TakeBps > BpsDenominator {
		return errorsmod.Wrapf(ErrTakeOutOfBounds, "take_bps %d exceeds %d (100%%)", t.TakeBps, BpsDenominator)
	}
	if t.LastSetHeight < 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "last_set_height is %d; want a block height >= 0", t.LastSetHeight)
	}
	return nil
}

// Validate checks an unbonding entry on its own: addresses, a positive amount, an id >= 1 and heights with
// 0 <= creation_height <= completion_height. That the id is below next_unbonding_id is checked by
// GenesisState.Validate.
func (u UnbondingEntry) Validate() error {
	if _, err := accAddress("coldkey", u.Coldkey); err != nil {
		return err
	}
	if _, err := accAddress("hotkey", u.Hotkey); err != nil {
		return err
	}
	if err := ValidateAmount(u.Amount); err != nil {
		return err
	}
	if u.Id == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "id is 0; unbonding ids start at 1")
	}
	if u.CreationHeight < 0 || u.CompletionHeight < u.CreationHeight {
		return errorsmod.Wrapf(ErrInvalidGenesis, "heights %d -> %d: want 0 <= creation_height <= completion_height",
			u.CreationHeight, u.CompletionHeight)
	}
	return nil
}

// Validate checks an epoch-stake snapshot on its own: the hotkey and a positive amount.
func (s EpochStakeSnapshot) Validate() error {
	if _, err := accAddress("hotkey", s.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(s.Amount)
}

// Validate checks a pending snapshot prune on its own: the hotkey, and after_coldkey if set.
func (p SnapshotPrune) Validate() error {
	if _, err := accAddress("hotkey", p.Hotkey); err != nil {
		return err
	}
	if p.AfterColdkey != "" {
		if _, err := accAddress("after_coldkey", p.AfterColdkey); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a position snapshot on its own: both addresses and a positive amount. That it belongs to a
// position it does not exceed is checked by GenesisState.Validate.
func (s PositionSnapshot) Validate() error {
	if _, err := accAddress("hotkey", s.Hotkey); err != nil {
		return err
	}
	if _, err := accAddress("coldkey", s.Coldkey); err != nil {
		return err
	}
	return ValidateAmount(s.Amount)
}

// Validate checks the genesis: valid params, every item valid on its own (its Validate), no duplicate positions,
// takes, unbonding ids or snapshots, takes within the param bounds, and next_unbonding_id above every id. Each
// position snapshot belongs to a position and does not exceed it, and its hotkey has an epoch-stake snapshot on the
// subnet or a pending prune there.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextUnbondingId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_unbonding_id must be at least 1")
	}
	positions := make(map[string]math.Int, len(gs.Positions))
	for i, p := range gs.Positions {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "positions[%d]: %v", i, err)
		}
		k := addrKey(p.Hotkey, p.Coldkey)
		if _, dup := positions[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate position coldkey %s hotkey %s", p.Coldkey, p.Hotkey)
		}
		positions[k] = p.Amount
	}
	takes := make(map[string]struct{}, len(gs.Takes))
	for i, t := range gs.Takes {
		if err := t.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "takes[%d]: %v", i, err)
		}
		if t.TakeBps < gs.Params.MinTakeBps || t.TakeBps > gs.Params.MaxTakeBps {
			return errorsmod.Wrapf(ErrInvalidGenesis, "take of %s is %d bps, outside the params' [%d, %d]",
				t.Hotkey, t.TakeBps, gs.Params.MinTakeBps, gs.Params.MaxTakeBps)
		}
		if _, dup := takes[addrKey(t.Hotkey)]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate take for hotkey %s", t.Hotkey)
		}
		takes[addrKey(t.Hotkey)] = struct{}{}
	}
	ids := make(map[uint64]struct{}, len(gs.Unbondings))
	for i, u := range gs.Unbondings {
		if err := u.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbondings[%d]: %v", i, err)
		}
		if u.Id >= gs.NextUnbondingId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding id %d must be below next_unbonding_id %d", u.Id, gs.NextUnbondingId)
		}
		if _, dup := ids[u.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate unbonding id %d", u.Id)
		}
		ids[u.Id] = struct{}{}
	}
	type snapKey struct {
		netuid uint32
		hotkey string
	}
	epochStakes := make(map[snapKey]struct{}, len(gs.EpochStakes))
	for i, s := range gs.EpochStakes {
		if err := s.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch_stakes[%d]: %v", i, err)
		}
		k := snapKey{s.Netuid, addrKey(s.Hotkey)}
		if _, dup := epochStakes[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate epoch stake netuid %d hotkey %s", s.Netuid, s.Hotkey)
		}
		epochStakes[k] = struct{}{}
	}
	prunes := make(map[snapKey]struct{}, len(gs.SnapshotPrunes))
	for i, p := range gs.SnapshotPrunes {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "snapshot_prunes[%d]: %v", i, err)
		}
		k := snapKey{p.Netuid, addrKey(p.Hotkey)}
		if _, dup := prunes[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate snapshot prune netuid %d hotkey %s", p.Netuid, p.Hotkey)
		}
		prunes[k] = struct{}{}
	}
	return gs.validatePositionSnapshots(positions, func(netuid uint32, hotkey string) bool {
		_, anchored := epochStakes[snapKey{netuid, addrKey(hotkey)}]
		_, pruning := prunes[snapKey{netuid, addrKey(hotkey)}]
		return anchored || pruning
	})
}

// validatePositionSnapshots checks each position snapshot on its own, that none is duplicated, that each belongs to
// a position it does not exceed, and that its hotkey is anchored (an epoch-stake snapshot or a pending prune on the
// subnet).
func (gs GenesisState) validatePositionSnapshots(positions map[string]math.Int, anchored func(uint32, string) bool) error {
	type posSnapKey struct {
		netuid          uint32
		hotkey, coldkey string
	}
	seen := make(map[posSnapKey]struct{}, len(gs.PositionSnapshots))
	for i, s := range gs.PositionSnapshots {
		if err := s.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position_snapshots[%d]: %v", i, err)
		}
		k := posSnapKey{s.Netuid, addrKey(s.Hotkey), addrKey(s.Coldkey)}
		if _, dup := seen[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate position snapshot netuid %d hotkey %s coldkey %s", s.Netuid, s.Hotkey, s.Coldkey)
		}
		seen[k] = struct{}{}
		pos, ok := positions[addrKey(s.Hotkey, s.Coldkey)]
		if !ok || s.Amount.GT(pos) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot netuid %d hotkey %s coldkey %s: %s exceeds the position (%s)",
				s.Netuid, s.Hotkey, s.Coldkey, s.Amount, pos)
		}
		if !anchored(s.Netuid, s.Hotkey) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "position snapshot netuid %d hotkey %s coldkey %s: the hotkey has no epoch stake on the subnet and no pending prune",
				s.Netuid, s.Hotkey, s.Coldkey)
		}
	}
	return nil
}
