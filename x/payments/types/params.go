package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Default parameter values.
const (
	DefaultSettleBlocks           uint64 = 100
	DefaultGatewayShareBps        uint32 = 1_000 // 10%
	DefaultOwnerShareBps          uint32 = 500   // 5%
	DefaultBurnShareBps           uint32 = 0
	DefaultClaimRateLimit         uint64 = 10
	DefaultMaxSettlementsPerBlock uint32 = 100
)

// Governance bounds: Validate refuses params outside them.
const (
	// MinSettleBlocks keeps a payer from closing and settling before a gateway can react.
	MinSettleBlocks uint64 = 10
	// MaxSettleBlocks keeps heights (int64) from overflowing and escrow from being stuck for ever.
	MaxSettleBlocks uint64 = 1 << 32
	// MaxClaimRateLimit bounds how long a gateway may be made to wait between claims.
	MaxClaimRateLimit uint64 = 1 << 32
	// MaxGatewayShareBps and MaxOwnerShareBps keep most revenue flowing to the miners and validators who did the
	// work (through the pool).
	MaxGatewayShareBps uint32 = 5_000
	MaxOwnerShareBps   uint32 = 5_000
)

// DefaultMaxQueryPrice is 1,000 MIND per unit.
var DefaultMaxQueryPrice = math.NewInt(1_000_000_000)

// DefaultParams returns the default x/payments params.
func DefaultParams() Params {
	return Params{
		SettleBlocks:           DefaultSettleBlocks,
		GatewayShareBps:        DefaultGatewayShareBps,
		OwnerShareBps:          DefaultOwnerShareBps,
		BurnShareBps:           DefaultBurnShareBps,
		ClaimRateLimit:         DefaultClaimRateLimit,
		MaxSettlementsPerBlock: DefaultMaxSettlementsPerBlock,
		MaxQueryPrice:          DefaultMaxQueryPrice,
	}
}

// PoolShareBps is what is left for the subnet's pending pool after the gateway, owner and burn shares.
func (p Params) PoolShareBps() uint32 {
	return BpsDenominator - p.GatewayShareBps - p.OwnerShareBps - p.BurnShareBps
}

// Validate checks the params lie within the governance bounds.
func (p Params) Validate() error {
	if p.SettleBlocks < MinSettleBlocks || p.SettleBlocks > MaxSettleBlocks {
		return errorsmod.Wrapf(ErrInvalidParams, "settle_blocks %d must lie in [%d, %d]", p.SettleBlocks, MinSettleBlocks, MaxSettleBlocks)
	}
	if p.ClaimRateLimit > MaxClaimRateLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "claim_rate_limit %d exceeds %d", p.ClaimRateLimit, MaxClaimRateLimit)
	}
	if p.ClaimRateLimit >= p.SettleBlocks {
		return errorsmod.Wrapf(ErrInvalidParams,
			"claim_rate_limit %d must be below settle_blocks %d, or a gateway could not claim within a settlement window",
			p.ClaimRateLimit, p.SettleBlocks)
	}
	if p.GatewayShareBps > MaxGatewayShareBps {
		return errorsmod.Wrapf(ErrInvalidParams, "gateway_share_bps %d exceeds %d", p.GatewayShareBps, MaxGatewayShareBps)
	}
	if p.OwnerShareBps > MaxOwnerShareBps {
		return errorsmod.Wrapf(ErrInvalidParams, "owner_share_bps %d exceeds %d", p.OwnerShareBps, MaxOwnerShareBps)
	}
	if sum := uint64(p.GatewayShareBps) + uint64(p.OwnerShareBps) + uint64(p.BurnShareBps); sum > uint64(BpsDenominator) {
		return errorsmod.Wrapf(ErrInvalidParams, "gateway_share_bps + owner_share_bps + burn_share_bps = %d exceeds %d (100%%)",
			sum, BpsDenominator)
	}
	if p.MaxSettlementsPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_settlements_per_block must be at least 1, or closed channels never settle")
	}
	if p.MaxQueryPrice.IsNil() || !p.MaxQueryPrice.IsPositive() {
		return errorsmod.Wrap(ErrInvalidParams, "max_query_price must be positive")
	}
	return nil
}
