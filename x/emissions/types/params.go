package types

import (
	"math/big"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Default params.
const (
	DefaultHalvingInterval   uint64 = 10_512_000 // about 4 years of 12 s blocks
	DefaultSecurityShareBps  uint32 = 1000       // 10% to CometBFT validators through the fee collector
	DefaultOwnerCutBps       uint32 = 1800       // 18% of each subnet pool to its owner, as in Bittensor
	DefaultMaxEpochsPerBlock uint32 = 4
)

// DefaultBlockEmission is 1 MIND per block.
var DefaultBlockEmission = math.NewInt(1_000_000)

// DefaultParams returns the default params.
func DefaultParams() Params {
	return Params{
		BlockEmission: DefaultBlockEmission, HalvingInterval: DefaultHalvingInterval,
		SecurityShareBps: DefaultSecurityShareBps, OwnerCutBps: DefaultOwnerCutBps,
		SubnetSplitPolicy: SUBNET_SPLIT_POLICY_STAKE, MaxEpochsPerBlock: DefaultMaxEpochsPerBlock,
	}
}

// Validate checks the params.
func (p Params) Validate() error {
	if p.BlockEmission.IsNil() || p.BlockEmission.IsNegative() {
		return errorsmod.Wrap(ErrInvalidParams, "block_emission must be >= 0")
	}
	if p.SecurityShareBps > 10_000 || p.OwnerCutBps > 10_000 {
		return errorsmod.Wrapf(ErrInvalidParams, "security_share_bps %d and owner_cut_bps %d must be <= 10000", p.SecurityShareBps, p.OwnerCutBps)
	}
	if p.SubnetSplitPolicy != SUBNET_SPLIT_POLICY_STAKE && p.SubnetSplitPolicy != SUBNET_SPLIT_POLICY_EQUAL {
		return errorsmod.Wrapf(ErrInvalidParams, "subnet_split_policy %s: use STAKE or EQUAL", p.SubnetSplitPolicy)
	}
	if p.MaxEpochsPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_epochs_per_block must be >= 1, or no epoch ever runs")
	}
	return nil
}

// EmissionAt is the block emission at height: block_emission halved once per full halving_interval.
func (p Params) EmissionAt(height uint64) math.Int {
	if p.HalvingInterval == 0 {
		return p.BlockEmission
	}
	halvings := height / p.HalvingInterval
	if halvings >= 256 {
		return math.ZeroInt()
	}
	return math.NewIntFromBigInt(new(big.Int).Rsh(p.BlockEmission.BigInt(), uint(halvings)))
}

// NextHalving is the first height after height where the emission halves (0 = never).
func (p Params) NextHalving(height uint64) uint64 {
	if p.HalvingInterval == 0 {
		return 0
	}
	return (height/p.HalvingInterval + 1) * p.HalvingInterval
}
