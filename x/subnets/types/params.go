package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// MIND is 10^6 umind.
var oneMind = math.NewInt(1_000_000)

// DefaultHyperparameters are what a new subnet gets: subtensor's new-subnet values, except commit-reveal, which is
// off until the owner turns it on.
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                     360,
		MaxAllowedUids:            256,
		MaxAllowedValidators:      64,
		ImmunityPeriod:            5000,
		MinAllowedWeights:         1,
		MaxWeightLimit:            65535,
		WeightsRateLimit:          100,
		WeightsVersionKey:         0,
		ActivityCutoffFactorMilli: 13889,
		Kappa:                     32767,
		BondsMovingAverage:        900_000,
		BondsPenalty:              65535,
		LiquidAlphaEnabled:        false,
		AlphaLow:                  45875,
		AlphaHigh:                 58982,
		AlphaSigmoidSteepness:     1000,
		Yuma3Enabled:              true,
		CommitRevealEnabled:       false,
		CommitRevealPeriod:        1,
		RegistrationAllowed:       true,
		MinBurn:                   math.NewInt(500_000),
		MaxBurn:                   oneMind.MulRaw(100),
		BurnHalfLife:              360,
		BurnIncreaseMultMilli:     1260,
		ServingRateLimit:          50,
		ImmuneOwnerUidsLimit:      1,
	}
}

// DefaultMinHyperparameters are the lower bounds an owner may set. immune_owner_uids_limit is at least 1 so that
// the owner's first hotkey is never pruned (Params.Validate refuses a lower bound of 0).
func DefaultMinHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo: 10, MaxAllowedUids: 2, MaxAllowedValidators: 1, ImmunityPeriod: 0, MinAllowedWeights: 0,
		MaxWeightLimit: 0, WeightsRateLimit: 0, WeightsVersionKey: 0, ActivityCutoffFactorMilli: 1000, Kappa: 0,
		BondsMovingAverage: 0, BondsPenalty: 0, AlphaLow: 1638, AlphaHigh: 1638, AlphaSigmoidSteepness: -32768,
		CommitRevealPeriod: 1, MinBurn: math.ZeroInt(), MaxBurn: math.ZeroInt(), BurnHalfLife: 1,
		BurnIncreaseMultMilli: 1000, ServingRateLimit: 0, ImmuneOwnerUidsLimit: 1,
	}
}

// DefaultMaxHyperparameters are the upper bounds an owner may set.
func DefaultMaxHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo: 50_400, MaxAllowedUids: 4096, MaxAllowedValidators: 4096, ImmunityPeriod: 100_000,
		MinAllowedWeights: 4096, MaxWeightLimit: 65535, WeightsRateLimit: 100_000, WeightsVersionKey: 1 << 62,
		ActivityCutoffFactorMilli: 50_000, Kappa: 65535, BondsMovingAverage: 1_000_000, BondsPenalty: 65535,
		AlphaLow: 65535, AlphaHigh: 65535, AlphaSigmoidSteepness: 32767, CommitRevealPeriod: 100,
		MinBurn: oneMind, MaxBurn: oneMind.MulRaw(1_000_000), BurnHalfLife: 36_100, BurnIncreaseMultMilli: 10_000,
		ServingRateLimit: 100_000, ImmuneOwnerUidsLimit: 10,
	}
}

// DefaultParams returns the module's default params.
func DefaultParams() Params {
	return Params{
		SubnetMinCost:               oneMind.MulRaw(100),
		SubnetCostReductionInterval: 14 * 7200,
		MaxSubnets:                  32,
		DefaultHyperparameters:      DefaultHyperparameters(),
		MinHyperparameters:          DefaultMinHyperparameters(),
		MaxHyperparameters:          DefaultMaxHyperparameters(),
		HyperparametersRateLimit:    100,
		InitialBurn:                 oneMind,
		MaxServingMultiaddrs:        8,
	}
}

// Validate checks the params, including that the defaults respect the bounds.
func (p Params) Validate() error {
	if p.SubnetMinCost.IsNil() || p.SubnetMinCost.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidParams, "subnet_min_cost must be >= 0")
	}
	if p.InitialBurn.IsNil() || p.InitialBurn.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidParams, "initial_burn must be >= 0")
	}
	if p.SubnetCostReductionInterval == 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "subnet_cost_reduction_interval must be > 0")
	}
	if p.MaxSubnets == 0 || p.MaxSubnets > 1024 {
		return errorsmod.Wrapf(ErrInvalidParams, "max_subnets must be in [1, 1024] (work per block grows with it)")
	}
	if p.MaxServingMultiaddrs == 0 || p.MaxServingMultiaddrs > 64 {
		return errorsmod.Wrapf(ErrInvalidParams, "max_serving_multiaddrs must be in [1, 64]")
	}
	if err := p.MinHyperparameters.validateShape(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "min_hyperparameters: %v", err)
	}
	if err := p.MaxHyperparameters.validateShape(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "max_hyperparameters: %v", err)
	}
	if p.MinHyperparameters.ImmuneOwnerUidsLimit < 1 {
		return errorsmod.Wrapf(ErrInvalidParams, "min_hyperparameters.immune_owner_uids_limit must be >= 1 so that a subnet owner's first hotkey is never pruned; got %d", p.MinHyperparameters.ImmuneOwnerUidsLimit)
	}
	for _, f := range hyperparameterFields {
		if f.get(p.MinHyperparameters) > f.get(p.MaxHyperparameters) {
			return errorsmod.Wrapf(ErrInvalidParams, "bound of %s: min %d > max %d", f.name,
				f.get(p.MinHyperparameters), f.get(p.MaxHyperparameters))
		}
	}
	if err := p.DefaultHyperparameters.ValidateWithin(p.MinHyperparameters, p.MaxHyperparameters); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "default_hyperparameters: %v", err)
	}
	return nil
}
