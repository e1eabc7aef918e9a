package types

import (
	"fmt"
)

// hyperparameterField reads one numeric hyperparameter as int64 so that bounds can be checked uniformly.
type hyperparameterField struct {
	name string
	get  func(Hyperparameters) int64
}

func clampU64(v uint64) int64 {
	if v > 1<<62 {
		return 1 << 62
	}
	return int64(v)
}

// hyperparameterFields lists every bounded numeric hyperparameter, in proto field order.
var hyperparameterFields = []hyperparameterField{
	{"tempo", func(h Hyperparameters) int64 { return clampU64(h.Tempo) }},
	{"max_allowed_uids", func(h Hyperparameters) int64 { return int64(h.MaxAllowedUids) }},
	{"max_allowed_validators", func(h Hyperparameters) int64 { return int64(h.MaxAllowedValidators) }},
	{"immunity_period", func(h Hyperparameters) int64 { return clampU64(h.ImmunityPeriod) }},
	{"min_allowed_weights", func(h Hyperparameters) int64 { return int64(h.MinAllowedWeights) }},
	{"max_weight_limit", func(h Hyperparameters) int64 { return int64(h.MaxWeightLimit) }},
	{"weights_rate_limit", func(h Hyperparameters) int64 { return clampU64(h.WeightsRateLimit) }},
	{"weights_version_key", func(h Hyperparameters) int64 { return clampU64(h.WeightsVersionKey) }},
	{"activity_cutoff_factor_milli", func(h Hyperparameters) int64 { return int64(h.ActivityCutoffFactorMilli) }},
	{"kappa", func(h Hyperparameters) int64 { return int64(h.Kappa) }},
	{"bonds_moving_average", func(h Hyperparameters) int64 { return clampU64(h.BondsMovingAverage) }},
	{"bonds_penalty", func(h Hyperparameters) int64 { return int64(h.BondsPenalty) }},
	{"alpha_low", func(h Hyperparameters) int64 { return int64(h.AlphaLow) }},
	{"alpha_high", func(h Hyperparameters) int64 { return int64(h.AlphaHigh) }},
	{"alpha_sigmoid_steepness", func(h Hyperparameters) int64 { return int64(h.AlphaSigmoidSteepness) }},
	{"commit_reveal_period", func(h Hyperparameters) int64 { return clampU64(h.CommitRevealPeriod) }},
	{"burn_half_life", func(h Hyperparameters) int64 { return clampU64(h.BurnHalfLife) }},
	{"burn_increase_mult_milli", func(h Hyperparameters) int64 { return clampU64(h.BurnIncreaseMultMilli) }},
	{"serving_rate_limit", func(h Hyperparameters) int64 { return clampU64(h.ServingRateLimit) }},
	{"immune_owner_uids_limit", func(h Hyperparameters) int64 { return int64(h.ImmuneOwnerUidsLimit) }},
}

// validateShape checks what must hold for any hyperparameter set, independent of governance bounds.
func (h Hyperparameters) validateShape() error {
	if h.MinBurn.IsNil() || h.MaxBurn.IsNil() || h.MinBurn.IsNegative() || h.MaxBurn.IsNegative() {
		return fmt.Errorf("min_burn and max_burn must be set and >= 0")
	}
	for _, f := range []struct {
		name  string
		value uint32
	}{
		{"max_weight_limit", h.MaxWeightLimit},
		{"kappa", h.Kappa},
		{"bonds_penalty", h.BondsPenalty},
		{"alpha_low", h.AlphaLow},
		{"alpha_high", h.AlphaHigh},
	} {
		if f.value > 65535 {
			return fmt.Errorf("%s is a u16 fraction: %d > 65535", f.name, f.value)
		}
	}
	if h.BondsMovingAverage > 1_000_000 {
		return fmt.Errorf("bonds_moving_average must be <= 1000000, got %d", h.BondsMovingAverage)
	}
	return nil
}

// Validate checks the internal consistency of a hyperparameter set (without governance bounds).
func (h Hyperparameters) Validate() error {
	if err := h.validateShape(); err != nil {
		return err
	}
	if h.Tempo == 0 {
		return fmt.Errorf("tempo must be > 0")
	}
	if h.MaxAllowedUids == 0 {
		return fmt.Errorf("max_allowed_uids must be > 0")
	}
	if h.MaxAllowedValidators > h.MaxAllowedUids {
		return fmt.Errorf("max_allowed_validators (%d) must be <= max_allowed_uids (%d)", h.MaxAllowedValidators, h.MaxAllowedUids)
	}
	if h.MinAllowedWeights > h.MaxAllowedUids {
		return fmt.Errorf("min_allowed_weights (%d) must be <= max_allowed_uids (%d)", h.MinAllowedWeights, h.MaxAllowedUids)
	}
	if h.AlphaLow > h.AlphaHigh {
		return fmt.Errorf("alpha_low (%d) must be <= alpha_high (%d)", h.AlphaLow, h.AlphaHigh)
	}
	if h.MinBurn.GT(h.MaxBurn) {
		return fmt.Errorf("min_burn (%s) must be <= max_burn (%s)", h.MinBurn, h.MaxBurn)
	}
	if h.BurnHalfLife == 0 {
		return fmt.Errorf("burn_half_life must be > 0")
	}
	if h.BurnIncreaseMultMilli < 1000 {
		return fmt.Errorf("burn_increase_mult_milli must be >= 1000 (x1.0), got %d", h.BurnIncreaseMultMilli)
	}
	if h.CommitRevealPeriod == 0 {
		return fmt.Errorf("commit_reveal_period must be >= 1 epoch")
	}
	if h.ImmuneOwnerUidsLimit == 0 {
		return fmt.Errorf("immune_owner_uids_limit must be >= 1: the subnet owner's first hotkey is never pruned")
	}
	return nil
}

// ValidateWithin checks consistency and that every numeric value lies in [min, max] set by governance.
func (h Hyperparameters) ValidateWithin(minH, maxH Hyperparameters) error {
	if err := h.Validate(); err != nil {
		return err
	}
	for _, f := range hyperparameterFields {
		v, lo, hi := f.get(h), f.get(minH), f.get(maxH)
		if v < lo || v > hi {
			return fmt.Errorf("%s = %d is outside the governance bounds [%d, %d]", f.name, v, lo, hi)
		}
	}
	if h.MinBurn.LT(minH.MinBurn) || h.MinBurn.GT(maxH.MinBurn) {
		return fmt.Errorf("min_burn = %s is outside the governance bounds [%s, %s]", h.MinBurn, minH.MinBurn, maxH.MinBurn)
	}
	if h.MaxBurn.LT(minH.MaxBurn) || h.MaxBurn.GT(maxH.MaxBurn) {
		return fmt.Errorf("max_burn = %s is outside the governance bounds [%s, %s]", h.MaxBurn, minH.MaxBurn, maxH.MaxBurn)
	}
	return nil
}

// ActivityCutoff is the number of blocks within which a neuron must have updated to count as active:
// factor*tempo/1000, at least 1.
func (h Hyperparameters) ActivityCutoff() uint64 {
	c := uint64(h.ActivityCutoffFactorMilli) * h.Tempo / 1000
	if c < 1 {
		return 1
	}
	return c
}
