package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Default parameter values.
const (
	DefaultUnbondingBlocks       uint64 = 7200 // about one day of 12 s blocks
	DefaultMaxUnbondingsPerBlock uint32 = 100
	DefaultTakeBps               uint32 = 1800 // 18%, as in Bittensor
	DefaultMinTakeBps            uint32 = 0
	DefaultMaxTakeBps            uint32 = 1800
	DefaultTakeRateLimit         uint64 = 216_000 // about 30 days of 12 s blocks
)

// DefaultMinStake is 0.001 MIND.
var DefaultMinStake = math.NewInt(1_000)

// DefaultParams returns the default x/stake params.
func DefaultParams() Params {
	return Params{
		MinStake:              DefaultMinStake,
		UnbondingBlocks:       DefaultUnbondingBlocks,
		MaxUnbondingsPerBlock: DefaultMaxUnbondingsPerBlock,
		DefaultTakeBps:        DefaultTakeBps,
		MinTakeBps:            DefaultMinTakeBps,
		MaxTakeBps:            DefaultMaxTakeBps,
		TakeRateLimit:         DefaultTakeRateLimit,
	}
}

// Validate checks the params are usable.
func (p Params) Validate() error {
	if p.MinStake.IsNil() || !p.MinStake.IsPositive() {
		return errorsmod.Wrap(ErrInvalidParams, "min_stake must be positive")
	}
	if p.MaxUnbondingsPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_unbondings_per_block must be at least 1, or unbondings never pay out")
	}
	if p.MaxTakeBps > BpsDenominator {
		return errorsmod.Wrapf(ErrInvalidParams, "max_take_bps %d exceeds %d (100%%)", p.MaxTakeBps, BpsDenominator)
	}
	if p.MinTakeBps > p.MaxTakeBps {
		return errorsmod.Wrapf(ErrInvalidParams, "min_take_bps %d exceeds max_take_bps %d", p.MinTakeBps, p.MaxTakeBps)
	}
	if p.DefaultTakeBps < p.MinTakeBps || p.DefaultTakeBps > p.MaxTakeBps {
		return errorsmod.Wrapf(ErrInvalidParams, "default_take_bps %d must lie in [min_take_bps %d, max_take_bps %d]",
			p.DefaultTakeBps, p.MinTakeBps, p.MaxTakeBps)
	}
	// Heights are int64; keep the sums height+blocks from overflowing.
	const maxBlocks = uint64(1) << 40
	if p.UnbondingBlocks > maxBlocks {
		return errorsmod.Wrapf(ErrInvalidParams, "unbonding_blocks %d exceeds %d", p.UnbondingBlocks, maxBlocks)
	}
	if p.TakeRateLimit > maxBlocks {
		return errorsmod.Wrapf(ErrInvalidParams, "take_rate_limit %d exceeds %d", p.TakeRateLimit, maxBlocks)
	}
	return nil
}
