package yuma

import (
	"math/big"
	"math/bits"
)

// I64F64 is a signed fixed-point number with 64 integer bits and 64 fractional bits
// (substrate_fixed::types::I64F64). The raw 128-bit two's complement bits are Hi:Lo.
type I64F64 struct {
	Hi int64  // upper 64 bits (the integer part, signed)
	Lo uint64 // lower 64 bits (the fractional part)
}

var (
	// I64F64Max is the largest I64F64.
	I64F64Max = I64F64{Hi: maxInt64, Lo: ^uint64(0)}
	// I64F64Min is the smallest I64F64.
	I64F64Min = I64F64{Hi: -1 << 63, Lo: 0}
)

// I64F64FromUint64 converts n to I64F64, saturating (I64F64::saturating_from_num(u64)).
func I64F64FromUint64(n uint64) I64F64 {
	if n > maxInt64 {
		return I64F64Max
	}
	return I64F64{Hi: int64(n)}
}

// I64F64FromInt converts n to I64F64 (always exact).
func I64F64FromInt(n int64) I64F64 { return I64F64{Hi: n} }

// I64F64FromI32F32 widens an I32F32 exactly.
func I64F64FromI32F32(x I32F32) I64F64 {
	v := int64(x)
	return I64F64{Hi: v >> 32, Lo: uint64(v) << 32}
}

// IsZero reports whether x == 0.
func (x I64F64) IsZero() bool { return x.Hi == 0 && x.Lo == 0 }

// Sign returns -1, 0 or 1.
func (x I64F64) Sign() int {
	switch {
	case x.Hi < 0:
		return -1
	case x.Hi == 0 && x.Lo == 0:
		return 0
	default:
		return 1
	}
}

// Cmp compares x and y (-1, 0, 1).
func (x I64F64) Cmp(y I64F64) int {
	switch {
	case x.Hi < y.Hi:
		return -1
	case x.Hi > y.Hi:
		return 1
	case x.Lo < y.Lo:
		return -1
	case x.Lo > y.Lo:
		return 1
	}
	return 0
}

// WrappingAdd returns x + y modulo 2^128 (the reference's plain `+` / `sum()` in release builds).
func (x I64F64) WrappingAdd(y I64F64) I64F64 {
	lo, c := bits.Add64(x.Lo, y.Lo, 0)
	hi, _ := bits.Add64(uint64(x.Hi), uint64(y.Hi), c)
	return I64F64{Hi: int64(hi), Lo: lo}
}

// SaturatingAdd returns x + y clamped to [I64F64Min, I64F64Max].
func (x I64F64) SaturatingAdd(y I64F64) I64F64 {
	s := x.WrappingAdd(y)
	if x.Hi >= 0 && y.Hi >= 0 && s.Hi < 0 {
		return I64F64Max
	}
	if x.Hi < 0 && y.Hi < 0 && s.Hi >= 0 {
		return I64F64Min
	}
	return s
}

func (x I64F64) big() *big.Int {
	b := new(big.Int).SetInt64(x.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(x.Lo))
}

var (
	bigI128Max = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	bigI128Min = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
	bigMask64  = new(big.Int).SetUint64(^uint64(0))
)

// i64f64FromBig converts raw bits held in b to I64F64, reporting whether they fit in 128 bits.
func i64f64FromBig(b *big.Int) (I64F64, bool) {
	if b.Cmp(bigI128Max) > 0 || b.Cmp(bigI128Min) < 0 {
		return I64F64{}, false
	}
	lo := new(big.Int).And(b, bigMask64).Uint64()
	hi := new(big.Int).Rsh(b, 64).Int64() // arithmetic shift for negative values
	return I64F64{Hi: hi, Lo: lo}, true
}

// SaturatingMul returns x × y (floored) clamped to the range.
func (x I64F64) SaturatingMul(y I64F64) I64F64 {
	p := new(big.Int).Mul(x.big(), y.big())
	p.Rsh(p, 64) // big.Int.Rsh floors for negative values, like an arithmetic shift.
	r, ok := i64f64FromBig(p)
	if !ok {
		if p.Sign() < 0 {
			return I64F64Min
		}
		return I64F64Max
	}
	return r
}

// CheckedDiv returns x / y truncated towards zero, and false on a zero divisor or overflow.
func (x I64F64) CheckedDiv(y I64F64) (I64F64, bool) {
	if y.IsZero() {
		return I64F64{}, false
	}
	n := x.big()
	n.Lsh(n, 64)
	q := n.Quo(n, y.big()) // Quo truncates towards zero.
	return i64f64FromBig(q)
}

// SafeDiv is safe_div: CheckedDiv or 0.
func (x I64F64) SafeDiv(y I64F64) I64F64 {
	r, ok := x.CheckedDiv(y)
	if !ok {
		return I64F64{}
	}
	return r
}

// SaturatingToI32F32 is I32F32::saturating_from_num(I64F64): the 32 extra fractional bits are
// truncated (a floor) and the result saturates.
func (x I64F64) SaturatingToI32F32() I32F32 {
	// bits >> 32 as a 96-bit signed value; it fits in int64 iff the top 33 bits of Hi are a sign
	// extension.
	top := x.Hi >> 31
	if top != 0 && top != -1 {
		if x.Hi < 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return I32F32(uint64(x.Hi)<<32 | x.Lo>>32)
}

// SaturatingToU64 is saturating_to_num::<u64>(): floor, clamped to [0, 2^64).
func (x I64F64) SaturatingToU64() uint64 {
	if x.Hi < 0 {
		return 0
	}
	return uint64(x.Hi)
}

// ProportionToAmount converts a proportion to an amount the way the epoch does:
// I96F32::saturating_from_num(p).saturating_mul(I96F32(amount)).saturating_to_num::<u64>(),
// i.e. floor(p × amount), with negative results 0 and results above 2^64−1 saturating.
func ProportionToAmount(p I32F32, amount uint64) uint64 {
	if p <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(p), amount)
	if hi>>32 != 0 {
		return ^uint64(0)
	}
	return hi<<32 | lo>>32
}

// TaoWeightFixed is get_tao_weight(): TaoWeight / u64::MAX as U96F32 (truncating), widened to
// I64F64.
func TaoWeightFixed(taoWeight uint64) I64F64 {
	// U96F32 bits = (w << 32) / (2^64 − 1), truncated; at most 2^32.
	q, _ := bits.Div64(taoWeight>>32, taoWeight<<32, ^uint64(0))
	// I64F64 bits = U96F32 bits << 32.
	return I64F64{Hi: int64(q >> 32), Lo: q << 32}
}

// BondsMovingAverageAlpha returns the bonds EMA coefficient used by Yuma 2 and by Yuma 3 without
// liquid alpha: 1 − I32F32(I64F64(bma) / I64F64(1_000_000)). The I64F64 division truncates and so
// does the conversion to I32F32; the subtraction saturates.
func BondsMovingAverageAlpha(bondsMovingAverage uint64) I32F32 {
	ratio := I64F64FromUint64(bondsMovingAverage).SafeDiv(I64F64FromInt(1_000_000))
	return I32F32One.SaturatingSub(ratio.SaturatingToI32F32())
}

// U64F64 is an unsigned fixed-point number with 64 integer and 64 fractional bits
// (substrate_fixed::types::U64F64); raw bits are Hi:Lo.
type U64F64 struct {
	Hi, Lo uint64
}

// U64F64Ratio returns num / den as U64F64 (truncating), or ifZero when den = 0
// (safe_div_or). The result saturates at the maximum.
func U64F64Ratio(num, den uint64, ifZero U64F64) U64F64 {
	if den == 0 {
		return ifZero
	}
	// bits = (num << 64) / den: a 128/64 division done in two steps.
	if num >= den {
		qh, r := bits.Div64(0, num, den)
		ql, _ := bits.Div64(r, 0, den)
		return U64F64{Hi: qh, Lo: ql}
	}
	ql, _ := bits.Div64(num, 0, den)
	return U64F64{Hi: 0, Lo: ql}
}

// mulU64F64Int returns floor(w × n) for integer n, saturating at 2^64 − 1.
func mulU64F64Int(w U64F64, n uint64) uint64 {
	// w × n = (Hi·n) + (Lo·n)/2^64
	h1, l1 := bits.Mul64(w.Hi, n)
	h2, _ := bits.Mul64(w.Lo, n)
	if h1 != 0 {
		return ^uint64(0)
	}
	s, c := bits.Add64(l1, h2, 0)
	if c != 0 {
		return ^uint64(0)
	}
	return s
}
