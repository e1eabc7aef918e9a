package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

// DefaultGenesis returns the default genesis.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), TotalMinted: math.ZeroInt(), Undistributed: math.ZeroInt()}
}

// Validate checks a subnet's pending pool on its own: netuid >= 1 and an amount >= 0.
func (p PendingPool) Validate() error {
	if err := validate.Netuid(ErrInvalidGenesis, "netuid", p.Netuid); err != nil {
		return err
	}
	return validate.NonNegative(ErrInvalidGenesis, "amount", p.Amount)
}

// Validate checks a subnet's epoch schedule on its own: netuid >= 1 and a stake >= 0.
func (s SubnetSchedule) Validate() error {
	if err := validate.Netuid(ErrInvalidGenesis, "netuid", s.Netuid); err != nil {
		return err
	}
	return validate.NonNegative(ErrInvalidGenesis, "stake", s.Stake)
}

// Validate checks the genesis: valid params, total_minted and undistributed >= 0, every pool and schedule valid on
// its own (its Validate), at most one of each per subnet, and schedules only of netuids up to seen_netuid.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if err := validate.NonNegative(ErrInvalidGenesis, "total_minted", gs.TotalMinted); err != nil {
		return err
	}
	if err := validate.NonNegative(ErrInvalidGenesis, "undistributed", gs.Undistributed); err != nil {
		return err
	}
	pools := make(map[uint32]struct{}, len(gs.Pools))
	for i, p := range gs.Pools {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pools[%d]: %v", i, err)
		}
		if _, dup := pools[p.Netuid]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pools[%d]: a second pool of subnet %d", i, p.Netuid)
		}
		pools[p.Netuid] = struct{}{}
	}
	schedules := make(map[uint32]struct{}, len(gs.Schedules))
	for i, s := range gs.Schedules {
		if err := s.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "schedules[%d]: %v", i, err)
		}
		if s.Netuid > gs.SeenNetuid {
			return errorsmod.Wrapf(ErrInvalidGenesis, "schedules[%d]: netuid %d; want at most seen_netuid (%d)", i, s.Netuid, gs.SeenNetuid)
		}
		if _, dup := schedules[s.Netuid]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "schedules[%d]: a second schedule of subnet %d", i, s.Netuid)
		}
		schedules[s.Netuid] = struct{}{}
	}
	return nil
}
