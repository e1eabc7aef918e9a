package yuma

import (
	"math/big"
	"math/bits"
)

// BlocksUntilNextEpoch is the current scheduler's blocks_until_next_auto_epoch (SPEC §4):
// u64::MAX when tempo is 0, otherwise (lastEpochBlock + tempo) − block, saturating at 0 (and the
// addition saturating at u64::MAX). An epoch is due when it returns 0.
func BlocksUntilNextEpoch(lastEpochBlock uint64, tempo uint16, block uint64) uint64 {
	if tempo == 0 {
		return ^uint64(0)
	}
	next, c := bits.Add64(lastEpochBlock, uint64(tempo), 0)
	if c != 0 {
		next = ^uint64(0)
	}
	if next < block {
		return 0
	}
	return next - block
}

// LegacyBlocksUntilNextEpoch is the pre-dynamic-tempo formula many clients still use:
// u64::MAX when tempo is 0, otherwise tempo − ((block + netuid + 1) mod (tempo + 1)) with a
// wrapping addition. The legacy epoch ran when it returned 0, so the period was tempo + 1.
func LegacyBlocksUntilNextEpoch(netuid, tempo uint16, block uint64) uint64 {
	if tempo == 0 {
		return ^uint64(0)
	}
	t := uint64(tempo)
	return t - (block+uint64(netuid)+1)%(t+1)
}

// ShouldRunEpoch is should_run_epoch (SPEC §4): tempo 0 never runs; a pending owner trigger at or
// before block runs; more than MaxTempo blocks since the last step runs; otherwise an epoch runs
// when block − lastEpochBlock >= tempo.
func ShouldRunEpoch(tempo uint16, block, lastEpochBlock, pendingEpochAt, blocksSinceLastStep uint64) bool {
	switch {
	case tempo == 0:
		return false
	case pendingEpochAt > 0 && block >= pendingEpochAt:
		return true
	case blocksSinceLastStep > MaxTempo:
		return true
	}
	return block >= lastEpochBlock && block-lastEpochBlock >= uint64(tempo)
}

// MaxTempo is the largest tempo the owner may set, also the safety-net epoch period.
const MaxTempo = 50_400

// SplitEmissions is split_emissions (SPEC §3.12): the epoch amount of each of mechanismCount
// mechanisms. Without a split it is an even division; with one, mechanism m gets
// floor(amount × split[m] / 65535) (the split is trimmed or zero-padded to mechanismCount). Any
// remainder goes to mechanism 0, so the parts sum exactly to amount whenever mechanismCount > 0
// and Σ split <= 65535 (the reference requires Σ split = 65535).
func SplitEmissions(amount uint64, mechanismCount int, split []uint16) []uint64 {
	if mechanismCount <= 0 {
		return []uint64{}
	}
	out := make([]uint64, mechanismCount)
	if split == nil {
		per := amount / uint64(mechanismCount)
		for i := range out {
			out[i] = per
		}
	} else {
		for i := 0; i < mechanismCount && i < len(split); i++ {
			hi, lo := bits.Mul64(amount, uint64(split[i]))
			q, _ := bits.Div64(hi, lo, 65535) // hi < 65535 since split[i] <= 65535
			out[i] = q
		}
	}
	var sum uint64
	for _, v := range out {
		sum = satAddU64(sum, v)
	}
	if sum < amount {
		out[0] += amount - sum
	}
	return out
}

// MechanismTerms are the per-uid results of several mechanisms' epochs folded together the way
// epoch_with_mechanisms does (SPEC §3.12). Incentive and Bonds are not aggregated: the reference
// stores them per mechanism.
type MechanismTerms struct {
	ServerEmission      []uint64 // summed
	ValidatorEmission   []uint64 // summed
	Emission            []uint64 // Σ floor-weighted by share/total
	Dividends           []uint16 // weighted
	Consensus           []uint16 // weighted
	ValidatorTrust      []uint16 // weighted
	StakeWeight         []uint16 // weighted
	Active              []bool   // OR-ed
	NewValidatorPermits []bool   // OR-ed
}

// AggregateMechanisms folds the outputs of the mechanisms of one subnet (all with the same n),
// where shares[m] is the amount mechanism m distributed (from SplitEmissions) and total their sum.
// Each u16 term and Emission is accumulated as existing + floor(value × share/total) with U64F64
// share weights (a zero total gives mechanism 0 the full weight), saturating; emissions are
// summed and booleans OR-ed.
func AggregateMechanisms(outputs []*EpochOutput, shares []uint64, total uint64) (*MechanismTerms, error) {
	if len(outputs) != len(shares) {
		return nil, errorf("AggregateMechanisms: %d outputs but %d shares", len(outputs), len(shares))
	}
	n := 0
	if len(outputs) > 0 {
		n = outputs[0].N
	}
	t := &MechanismTerms{
		ServerEmission: make([]uint64, n), ValidatorEmission: make([]uint64, n), Emission: make([]uint64, n),
		Dividends: make([]uint16, n), Consensus: make([]uint16, n),
		ValidatorTrust: make([]uint16, n), StakeWeight: make([]uint16, n),
		Active: make([]bool, n), NewValidatorPermits: make([]bool, n),
	}
	accU16 := func(dst, src []uint16, w U64F64) {
		for i := range dst {
			v := uint64(dst[i]) + mulU64F64Int(w, uint64(src[i]))
			if v > 65535 {
				v = 65535
			}
			dst[i] = uint16(v)
		}
	}
	for m, o := range outputs {
		if o.N != n {
			return nil, errorf("AggregateMechanisms: mechanism %d has %d uids, mechanism 0 has %d", m, o.N, n)
		}
		ifZero := U64F64{}
		if m == 0 {
			ifZero = U64F64{Hi: 1}
		}
		w := U64F64Ratio(shares[m], total, ifZero)
		for i := 0; i < n; i++ {
			t.ServerEmission[i] = satAddU64(t.ServerEmission[i], o.ServerEmission[i])
			t.ValidatorEmission[i] = satAddU64(t.ValidatorEmission[i], o.ValidatorEmission[i])
			t.Emission[i] = satAddU64(t.Emission[i], mulU64F64Int(w, o.Emission[i]))
			t.Active[i] = t.Active[i] || o.Active[i]
			t.NewValidatorPermits[i] = t.NewValidatorPermits[i] || o.NewValidatorPermits[i]
		}
		accU16(t.Dividends, o.DividendsU16, w)
		accU16(t.Consensus, o.ConsensusU16, w)
		accU16(t.ValidatorTrust, o.ValidatorTrustU16, w)
		accU16(t.StakeWeight, o.StakeWeight, w)
	}
	return t, nil
}

func satAddU64(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return ^uint64(0)
	}
	return s
}

// SubnetEmissionSplit is how one block's subnet emission (alpha_out) is divided before it waits in
// the pending pools for the next epoch (SPEC §5.3).
type SubnetEmissionSplit struct {
	OwnerCut  uint64 // to the subnet owner (PendingOwnerCut)
	Server    uint64 // miners' pool (PendingServerEmission), distributed by ServerEmission
	Validator uint64 // validators' pool (PendingValidatorEmission), distributed by ValidatorEmission
	Root      uint64 // root stakers' share of the validator half (PendingRootAlphaDivs)
	Dust      uint64 // what the floors leave over: alphaOut − the four parts
}

// SplitSubnetEmission is the reference's per-block split of alpha_out (run_coinbase.rs), in
// U96F32 arithmetic:
//
//	owner_cut = alpha_out × (ownerCut / 65535)           (only if ownerCutEnabled; alpha_out −= owner_cut)
//	root      = (rootProportion × alpha_out) × 0.5
//	server    = alpha_out × 0.5
//	validator = (alpha_out − server) − root
//
// each floored to an integer amount. rootProportion is a U96F32 given by its raw bits
// (1.0 = 1 << 32, larger values are clamped to 1.0); a chain without root stake passes 0. The parts
// plus Dust always sum to alphaOut.
func SplitSubnetEmission(alphaOut uint64, ownerCut uint16, ownerCutEnabled bool, rootProportionBits uint64) SubnetEmissionSplit {
	if rootProportionBits > 1<<32 {
		rootProportionBits = 1 << 32
	}
	floor := func(b *big.Int) uint64 { return new(big.Int).Rsh(b, 32).Uint64() }
	mul := func(a, b *big.Int) *big.Int { p := new(big.Int).Mul(a, b); return p.Rsh(p, 32) }
	half := new(big.Int).Lsh(big.NewInt(1), 31)

	out := new(big.Int).Lsh(new(big.Int).SetUint64(alphaOut), 32) // U96F32 bits
	var s SubnetEmissionSplit
	if ownerCutEnabled {
		// cut_percent = U96F32(ownerCut) / U96F32(65535), truncated.
		cut := new(big.Int).Lsh(big.NewInt(int64(ownerCut)), 32)
		cut.Quo(cut, big.NewInt(65535))
		owner := mul(out, cut)
		s.OwnerCut = floor(owner)
		out.Sub(out, owner)
	}
	root := mul(mul(new(big.Int).SetUint64(rootProportionBits), out), half)
	server := mul(out, half)
	validator := new(big.Int).Sub(out, server)
	if validator.Cmp(root) < 0 { // saturating_sub
		validator.SetInt64(0)
	} else {
		validator.Sub(validator, root)
	}
	s.Server, s.Validator, s.Root = floor(server), floor(validator), floor(root)
	s.Dust = alphaOut - s.OwnerCut - s.Server - s.Validator - s.Root
	return s
}
