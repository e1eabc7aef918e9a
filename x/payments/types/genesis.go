package types

import (
	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// DefaultGenesisState returns the default genesis: default params, no channels, every subnet free.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextChannelId: 1}
}

// Validate checks the genesis is consistent: params, addresses, unique channel ids below next_channel_id,
// 0 ≤ claimed ≤ deposit, closed channels with a settlement height, one access rule and one revenue record per subnet.
func (gs *GenesisState) Validate(ac address.Codec) error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextChannelId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_channel_id must be at least 1 (ids start at 1)")
	}
	seen := make(map[uint64]bool, len(gs.Channels))
	for _, c := range gs.Channels {
		if c.Id == 0 || c.Id >= gs.NextChannelId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel id %d must lie in [1, next_channel_id %d)", c.Id, gs.NextChannelId)
		}
		if seen[c.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate channel id %d", c.Id)
		}
		seen[c.Id] = true
		if _, err := ParseAddress(ac, "payer", c.Payer); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel %d: %v", c.Id, err)
		}
		if _, err := ParseAddress(ac, "gateway", c.Gateway); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel %d: %v", c.Id, err)
		}
		if c.Deposit.IsNil() || c.Claimed.IsNil() || c.Claimed.IsNegative() || c.Claimed.GT(c.Deposit) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel %d: need 0 <= claimed <= deposit", c.Id)
		}
		if (c.ClosedAt == 0) != (c.SettlesAt == 0) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "channel %d: closed_at and settles_at are both set or both 0", c.Id)
		}
	}
	rules := make(map[uint32]bool, len(gs.AccessRules))
	for _, r := range gs.AccessRules {
		if rules[r.Netuid] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate access rule for subnet %d", r.Netuid)
		}
		rules[r.Netuid] = true
		msg := MsgSetAccessRule{Owner: "-", Netuid: r.Netuid, Paid: r.Paid, QueryPrice: r.QueryPrice, MinDeposit: r.MinDeposit}
		if err := msg.validateRule(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "access rule of subnet %d: %v", r.Netuid, err)
		}
		if r.QueryPrice.GT(gs.Params.MaxQueryPrice) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "access rule of subnet %d: query_price above max_query_price", r.Netuid)
		}
	}
	revs := make(map[uint32]bool, len(gs.Revenues))
	for _, r := range gs.Revenues {
		if revs[r.Netuid] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate revenue record for subnet %d", r.Netuid)
		}
		revs[r.Netuid] = true
		for _, v := range []math.Int{r.Paid, r.Gateway, r.Owner, r.Burned, r.Pool} {
			if v.IsNil() || v.IsNegative() {
				return errorsmod.Wrapf(ErrInvalidGenesis, "revenue of subnet %d: amounts must be set and not negative", r.Netuid)
			}
		}
		if !r.Gateway.Add(r.Owner).Add(r.Burned).Add(r.Pool).Equal(r.Paid) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revenue of subnet %d: gateway + owner + burned + pool != paid", r.Netuid)
		}
	}
	return nil
}
