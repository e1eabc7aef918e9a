package yuma

// expE is substrate_fixed's constant E as I9F23 (0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103 =
// 22802600, i.e. 2.71828174591064453125), widened to I32F32.
const expE I32F32 = 22802600 << 9

// Exp is substrate_fixed::transcendental::exp for S = D = I32F32. It returns false where the
// reference returns Err (an overflow in the Taylor series or in the final inversion).
//
//   - exp(0) = 1 and exp(1) = E (the 23-bit constant above);
//   - otherwise, with y = |x|: result = y + 1, term = y, and for i = 2..31:
//     term = checked_mul(term, y); term = checked_div(term, i); result = checked_add(result, term);
//   - for x < 0 the result is checked_div(1, result).
func Exp(x I32F32) (I32F32, bool) {
	if x == 0 {
		return I32F32One, true
	}
	if x == I32F32One {
		return expE, true
	}
	neg := x < 0
	y := x
	if neg {
		if x == I32F32Min {
			return 0, false // -MIN overflows in the reference's negation
		}
		y = -x
	}
	result, ok := y.CheckedAdd(I32F32One)
	if !ok {
		return 0, false
	}
	term := y
	for i := int64(2); i < 32; i++ {
		if term, ok = term.CheckedMul(y); !ok {
			return 0, false
		}
		// checked_div(term, I32F32(i)) = trunc(term / i): an integer divisor never overflows.
		term /= I32F32(i)
		if result, ok = result.CheckedAdd(term); !ok {
			return 0, false
		}
	}
	if neg {
		return I32F32One.CheckedDiv(result)
	}
	return result, true
}

// ExpSafe is exp_safe: clamp x to [−20, 20] and call Exp; on error return 0 if x ≤ 0, else
// I32F32Max.
func ExpSafe(x I32F32) I32F32 {
	lo, hi := I32F32FromInt(-20), I32F32FromInt(20)
	if x < lo {
		x = lo
	} else if hi < x {
		x = hi
	}
	r, ok := Exp(x)
	if !ok {
		if x <= 0 {
			return 0
		}
		return I32F32Max
	}
	return r
}

// SigmoidSafe is sigmoid_safe(x, rho, kappa) = 1 / (1 + exp_safe(−rho × (x − kappa))) with the
// reference's saturating operations and a final safe_div.
func SigmoidSafe(x, rho, kappa I32F32) I32F32 {
	offset := x.SaturatingSub(kappa)
	negRho := rho.SaturatingMul(I32F32One.SaturatingNeg())
	e := ExpSafe(negRho.SaturatingMul(offset))
	return I32F32One.SafeDiv(e.SaturatingAdd(I32F32One))
}

// AlphaSigmoid is the liquid-alpha coefficient of one (validator, miner) cell (Yuma 3):
//
//	diff_buy = clamp(w − c, 0, 1);  diff_sell = clamp(b − w, 0, 1)
//	d = w >= b ? diff_buy : diff_sell
//	sigmoid = 1 ⊘ (1 + exp_safe((k ⊘ −100) · (d − 0.5)))   (⊘ = saturating division)
//	alpha = clamp(low + sigmoid·(high − low), low, high)
//
// where c is the miner's consensus, w the weight, b the bond and k the steepness. This follows
// SPEC §3.8b (exp_safe, which clamps its argument to [−20, 20]); some older subtensor versions
// called safe_exp instead, which gives a different result only when |k| > 4000.
func AlphaSigmoid(consensus, weight, bond, alphaLow, alphaHigh, steepness I32F32) I32F32 {
	diffBuy := clampValue(weight.SaturatingSub(consensus), 0, I32F32One)
	diffSell := clampValue(bond.SaturatingSub(weight), 0, I32F32One)
	d := diffSell
	if weight >= bond {
		d = diffBuy
	}
	half := I32F32One / 2
	arg := steepness.SaturatingDiv(I32F32FromInt(-100)).SaturatingMul(d.SaturatingSub(half))
	sigmoid := I32F32One.SaturatingDiv(I32F32One.SaturatingAdd(ExpSafe(arg)))
	alpha := alphaLow.SaturatingAdd(sigmoid.SaturatingMul(alphaHigh.SaturatingSub(alphaLow)))
	return clampValue(alpha, alphaLow, alphaHigh)
}

// clampValue is clamp_value: value.min(high).max(low).
func clampValue(value, low, high I32F32) I32F32 {
	return value.Min(high).Max(low)
}
