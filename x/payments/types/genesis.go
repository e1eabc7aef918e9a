package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

// DefaultGenesis returns the default genesis: default params, no channels, every subnet free.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextChannelId: 1}
}

// Validate checks a channel on its own: an id >= 1, both addresses, the netuid, 0 <= claimed <= deposit, and
// closed_at and settles_at both set or both 0. That the id is below next_channel_id is checked by
// GenesisState.Validate.
func (c Channel) Validate() error {
	if c.Id == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "id is 0; channel ids start at 1")
	}
	if _, err := accAddress("payer", c.Payer); err != nil {
		return err
	}
	if _, err := accAddress("gateway", c.Gateway); err != nil {
		return err
	}
	if err := validateNetuid(c.Netuid); err != nil {
		return err
	}
	if err := validate.NonNegative(ErrInvalidAmount, "deposit", c.Deposit); err != nil {
		return err
	}
	if err := validate.NonNegative(ErrInvalidAmount, "claimed", c.Claimed); err != nil {
		return err
	}
	if c.Claimed.GT(c.Deposit) {
		return errorsmod.Wrapf(ErrInvalidAmount, "claimed %s exceeds deposit %s; want 0 <= claimed <= deposit", c.Claimed, c.Deposit)
	}
	if (c.ClosedAt == 0) != (c.SettlesAt == 0) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "closed_at %d and settles_at %d: want both set or both 0", c.ClosedAt, c.SettlesAt)
	}
	return nil
}

// Validate checks an access rule on its own: the netuid and the rule's shape (a paid subnet has a positive price
// and a minimum deposit of at least one unit; a free subnet sets neither). The max_query_price bound is checked by
// GenesisState.Validate.
func (r AccessRule) Validate() error {
	if err := validateNetuid(r.Netuid); err != nil {
		return err
	}
	return validateRule(r.Paid, r.QueryPrice, r.MinDeposit)
}

// Validate checks a subnet's revenue record on its own: the netuid, every amount set and >= 0, and
// gateway + owner + burned + pool = paid.
func (r Revenue) Validate() error {
	if err := validateNetuid(r.Netuid); err != nil {
		return err
	}
	for _, a := range []struct {
		field string
		v     math.Int
	}{{"paid", r.Paid}, {"gateway", r.Gateway}, {"owner", r.Owner}, {"burned", r.Burned}, {"pool", r.Pool}} {
		if err := validate.NonNegative(ErrInvalidAmount, a.field, a.v); err != nil {
			return err
		}
	}
	if sum := r.Gateway.Add(r.Owner).Add(r.Burned).Add(r.Pool); !sum.Equal(r.Paid) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "gateway + owner + burned + pool = %s, but paid is %s; want them equal", sum, r.Paid)
	}
	return nil
}

// Validate checks the genesis: valid params, every item valid on its own (its Validate), unique channel ids below
// next_channel_id, one access rule and one revenue record per subnet, and query prices within max_query_price.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextChannelId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_channel_id must be at least 1 (ids start at 1)")
	}
	seen := make(map[uint64]struct{}, len(gs.Channels))
	for i, c := range gs.Channels {
		if err := c.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channels[%d]: %v", i, err)
		}
		if c.Id >= gs.NextChannelId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel id %d must be below next_channel_id %d", c.Id, gs.NextChannelId)
		}
		if _, dup := seen[c.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate channel id %d", c.Id)
		}
		seen[c.Id] = struct{}{}
	}
	rules := make(map[uint32]struct{}, len(gs.AccessRules))
	for i, r := range gs.AccessRules {
		if err := r.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "access_rules[%d]: %v", i, err)
		}
		if r.QueryPrice.GT(gs.Params.MaxQueryPrice) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "access rule of subnet %d: query_price %s above max_query_price %s",
				r.Netuid, r.QueryPrice, gs.Params.MaxQueryPrice)
		}
		if _, dup := rules[r.Netuid]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate access rule for subnet %d", r.Netuid)
		}
		rules[r.Netuid] = struct{}{}
	}
	revs := make(map[uint32]struct{}, len(gs.Revenues))
	for i, r := range gs.Revenues {
		if err := r.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revenues[%d]: %v", i, err)
		}
		if _, dup := revs[r.Netuid]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate revenue record for subnet %d", r.Netuid)
		}
		revs[r.Netuid] = struct{}{}
	}
	return nil
}
