package types

import (
	"math/big"

	"cosmossdk.io/math"
)

const q32One = uint64(1) << 32

// mulQ32 returns floor(v*f / 2^32).
func mulQ32(v, f uint64) uint64 {
	var x big.Int
	x.SetUint64(v)
	x.Mul(&x, new(big.Int).SetUint64(f))
	x.Rsh(&x, 32)
	return x.Uint64()
}

// powQ32 applies f to 1.0 (Q32) n times, flooring at each step, as the reference does.
func powQ32(f, n uint64) uint64 {
	v := q32One
	for i := uint64(0); i < n && v > 0; i++ {
		v = mulQ32(v, f)
	}
	return v
}

// BurnDecayFactorQ32 is the largest Q32 factor f < 1 with f^halfLife <= 0.5 (binary search, subtensor's
// decay_factor_q32). halfLife 0 means no decay (factor 1.0).
func BurnDecayFactorQ32(halfLife uint64) uint64 {
	if halfLife == 0 {
		return q32One
	}
	half := q32One / 2
	lo, hi := uint64(0), q32One-1
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if powQ32(mid, halfLife) <= half {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// DecayBurn applies one block of decay to the price and clamps it to [minBurn, maxBurn].
func DecayBurn(burn math.Int, factorQ32 uint64, minBurn, maxBurn math.Int) math.Int {
	x := new(big.Int).Mul(burn.BigInt(), new(big.Int).SetUint64(factorQ32))
	x.Rsh(x, 32)
	return ClampBurn(math.NewIntFromBigInt(x), minBurn, maxBurn)
}

// BumpBurn multiplies the price after a registration: floor(burn * multMilli / 1000), clamped.
func BumpBurn(burn math.Int, multMilli uint64, minBurn, maxBurn math.Int) math.Int {
	if multMilli < 1000 {
		multMilli = 1000
	}
	return ClampBurn(burn.Mul(math.NewIntFromUint64(multMilli)).QuoRaw(1000), minBurn, maxBurn)
}

// ClampBurn clamps the price to [minBurn, maxBurn]. A max of 0 means no upper bound.
func ClampBurn(burn, minBurn, maxBurn math.Int) math.Int {
	if burn.LT(minBurn) {
		burn = minBurn
	}
	if maxBurn.IsPositive() && burn.GT(maxBurn) {
		burn = maxBurn
	}
	return burn
}

// SubnetCreationCost is the cost rule: after each creation the cost doubles, then falls linearly back to the floor
// over reductionInterval blocks: cost = max(floor, 2*last - 2*last*elapsed/interval). With no creation yet, the floor.
func SubnetCreationCost(floor, last math.Int, lastAt, now, reductionInterval uint64) math.Int {
	if last.IsNil() || last.IsZero() {
		return floor
	}
	doubled := last.MulRaw(2)
	elapsed := now - lastAt
	if now < lastAt {
		elapsed = 0
	}
	if elapsed >= reductionInterval {
		return floor
	}
	reduction := doubled.Mul(math.NewIntFromUint64(elapsed)).Quo(math.NewIntFromUint64(reductionInterval))
	cost := doubled.Sub(reduction)
	if cost.LT(floor) {
		return floor
	}
	return cost
}
