package yuma

import (
	"math/bits"
	"strconv"
)

// I32F32 is a signed fixed-point number with 32 integer bits and 32 fractional bits, stored as its
// raw two's complement bits (value = bits / 2^32). It reproduces substrate_fixed::types::I32F32.
//
// The Go operators + and - on I32F32 wrap on overflow, like the reference's plain `+`, `-` and
// `iter().sum()` in a release build. Use the Saturating*/Checked* methods where the reference does.
type I32F32 int64

const (
	// I32F32Zero is 0.
	I32F32Zero I32F32 = 0
	// I32F32One is 1.0.
	I32F32One I32F32 = 1 << 32
	// I32F32Max is the largest I32F32 (2^31 − 2^-32).
	I32F32Max I32F32 = 1<<63 - 1
	// I32F32Min is the smallest I32F32 (−2^31).
	I32F32Min I32F32 = -1 << 63

	fracMask = 1<<32 - 1
	maxInt64 = 1<<63 - 1
)

// u16MaxFixed is I32F32::from_num(u16::MAX) = 65535.0.
const u16MaxFixed I32F32 = 65535 << 32

// FromBits returns the I32F32 whose raw bits are b.
func FromBits(b int64) I32F32 { return I32F32(b) }

// Bits returns the raw bits of a.
func (a I32F32) Bits() int64 { return int64(a) }

// I32F32FromInt converts an integer to I32F32, saturating (I32F32::saturating_from_num(n)).
func I32F32FromInt(n int64) I32F32 {
	if n > 1<<31-1 {
		return I32F32Max
	}
	if n < -1<<31 {
		return I32F32Min
	}
	return I32F32(n << 32)
}

// I32F32FromUint64 converts an unsigned integer to I32F32, saturating.
func I32F32FromUint64(n uint64) I32F32 {
	if n > 1<<31-1 {
		return I32F32Max
	}
	return I32F32(n << 32)
}

// U16ToFixed is u16_to_fixed: the integer value x as I32F32 (65535 becomes 65535.0).
func U16ToFixed(x uint16) I32F32 { return I32F32(int64(x) << 32) }

// U16ProportionToFixed is u16_proportion_to_fixed: I32F32(x) / 65535 (truncating).
func U16ProportionToFixed(x uint16) I32F32 { return U16ToFixed(x).SafeDiv(u16MaxFixed) }

// FixedToFixedU16Proportion is fixed_to_fixed_u16_proportion: x.safe_div(65535).
func FixedToFixedU16Proportion(x I32F32) I32F32 { return x.SafeDiv(u16MaxFixed) }

// FixedProportionToU16 is fixed_proportion_to_u16: floor(x × 65535) saturated to [0, 65535].
func FixedProportionToU16(x I32F32) uint16 { return x.SaturatingMul(u16MaxFixed).SaturatingToU16() }

// IsZero reports whether a == 0.
func (a I32F32) IsZero() bool { return a == 0 }

// SaturatingAdd returns a + b clamped to [I32F32Min, I32F32Max].
func (a I32F32) SaturatingAdd(b I32F32) I32F32 {
	s := a + b
	if (s > a) != (b > 0) {
		if b > 0 {
			return I32F32Max
		}
		return I32F32Min
	}
	return s
}

// SaturatingSub returns a − b clamped to [I32F32Min, I32F32Max].
func (a I32F32) SaturatingSub(b I32F32) I32F32 {
	s := a - b
	if (s < a) != (b > 0) {
		if b > 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return s
}

// CheckedAdd returns a + b and false on overflow.
func (a I32F32) CheckedAdd(b I32F32) (I32F32, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, false
	}
	return s, true
}

// SaturatingNeg returns −a, with −I32F32Min saturating to I32F32Max.
func (a I32F32) SaturatingNeg() I32F32 {
	if a == I32F32Min {
		return I32F32Max
	}
	return -a
}

// Min returns the smaller of a and b.
func (a I32F32) Min(b I32F32) I32F32 {
	if b < a {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I32F32) Max(b I32F32) I32F32 {
	if b > a {
		return b
	}
	return a
}

func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // -MinInt64 wraps to MinInt64, whose uint64 is 2^63: correct.
	}
	return uint64(x)
}

// mulShift computes floor(a*b / 2^shift) for shift in [0, 64), reporting overflow of int64.
func mulShift(a, b int64, shift uint) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	// magnitude >> shift must fit in 64 bits.
	if shift == 0 {
		if hi != 0 {
			return 0, false
		}
		if !neg {
			if lo > maxInt64 {
				return 0, false
			}
			return int64(lo), true
		}
		if lo > 1<<63 {
			return 0, false
		}
		return -int64(lo), true
	}
	if hi>>shift != 0 {
		return 0, false
	}
	mag := hi<<(64-shift) | lo>>shift
	if !neg {
		if mag > maxInt64 {
			return 0, false
		}
		return int64(mag), true
	}
	// floor of a negative quotient: round the magnitude up when bits were shifted out.
	if lo&(1<<shift-1) != 0 {
		mag++
		if mag == 0 {
			return 0, false
		}
	}
	if mag > 1<<63 {
		return 0, false
	}
	return -int64(mag), true
}

// CheckedMul returns a × b (floored) and false on overflow.
func (a I32F32) CheckedMul(b I32F32) (I32F32, bool) {
	r, ok := mulShift(int64(a), int64(b), 32)
	return I32F32(r), ok
}

// SaturatingMul returns a × b (floored) clamped to [I32F32Min, I32F32Max].
func (a I32F32) SaturatingMul(b I32F32) I32F32 {
	r, ok := mulShift(int64(a), int64(b), 32)
	if !ok {
		if (a < 0) != (b < 0) {
			return I32F32Min
		}
		return I32F32Max
	}
	return I32F32(r)
}

// divShift computes trunc((a << shift) / b) for shift in [0, 64), reporting a zero divisor or an
// int64 overflow of the quotient.
func divShift(a, b int64, shift uint) (int64, bool) {
	if b == 0 {
		return 0, false
	}
	if shift == 32 && b&fracMask == 0 {
		// Fast path for an integer divisor m = b / 2^32: (a·2^32)/(m·2^32) = a/m exactly, and Go's
		// integer division truncates towards zero like the reference.
		m := b >> 32
		if a == -1<<63 && m == -1 {
			return 0, false
		}
		return a / m, true
	}
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	var hi, lo uint64
	if shift == 0 {
		hi, lo = 0, ua
	} else {
		hi, lo = ua>>(64-shift), ua<<shift
	}
	if hi >= ub {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if !neg {
		if q > maxInt64 {
			return 0, false
		}
		return int64(q), true
	}
	if q > 1<<63 {
		return 0, false
	}
	return -int64(q), true
}

// CheckedDiv returns a / b truncated towards zero, and false if b = 0 or the quotient overflows.
func (a I32F32) CheckedDiv(b I32F32) (I32F32, bool) {
	r, ok := divShift(int64(a), int64(b), 32)
	return I32F32(r), ok
}

// SafeDiv is safe_div: CheckedDiv or 0 (on a zero divisor and also on overflow).
func (a I32F32) SafeDiv(b I32F32) I32F32 {
	r, ok := divShift(int64(a), int64(b), 32)
	if !ok {
		return 0
	}
	return I32F32(r)
}

// SaturatingDiv returns a / b truncated, clamped to the range on overflow. The reference panics
// on b = 0; here a zero divisor gives I32F32Max, I32F32Min or 0 by the sign of a.
func (a I32F32) SaturatingDiv(b I32F32) I32F32 {
	r, ok := divShift(int64(a), int64(b), 32)
	if ok {
		return I32F32(r)
	}
	if b == 0 {
		switch {
		case a > 0:
			return I32F32Max
		case a < 0:
			return I32F32Min
		default:
			return 0
		}
	}
	if (a < 0) != (b < 0) {
		return I32F32Min
	}
	return I32F32Max
}

// Floor returns the integer part of a, rounded towards −∞, as an int64 (a >> 32).
func (a I32F32) Floor() int64 { return int64(a) >> 32 }

// SaturatingToU16 is saturating_to_num::<u16>(): floor, then clamp to [0, 65535].
func (a I32F32) SaturatingToU16() uint16 {
	if a < 0 {
		return 0
	}
	f := int64(a) >> 32
	if f > 65535 {
		return 65535
	}
	return uint16(f)
}

// SaturatingToU64 is saturating_to_num::<u64>(): floor, then clamp to [0, 2^64).
func (a I32F32) SaturatingToU64() uint64 {
	if a < 0 {
		return 0
	}
	return uint64(int64(a) >> 32)
}

// Round rounds to the nearest integer with ties away from zero (fixed's round()). A result that
// does not fit saturates.
func (a I32F32) Round() I32F32 {
	f := int64(a) >> 32
	frac := uint64(a) & fracMask
	var up bool
	if a >= 0 {
		up = frac >= 1<<31
	} else {
		up = frac > 1<<31
	}
	if up {
		f++
	}
	if f > 1<<31-1 {
		return I32F32Max
	}
	return I32F32(f << 32)
}

// String returns the exact decimal value of a (at most 32 fractional digits, trailing zeros
// removed).
func (a I32F32) String() string { return formatFixed(int64(a), 32, -1) }

// Format returns the decimal value of a truncated (towards zero) to digits fractional digits.
func (a I32F32) Format(digits int) string { return formatFixed(int64(a), 32, digits) }

// formatFixed prints bits/2^frac exactly (digits < 0) or truncated to digits fractional digits.
func formatFixed(b int64, frac uint, digits int) string {
	neg := b < 0
	m := abs64(b)
	ip := m >> frac
	fp := m & (1<<frac - 1)
	out := make([]byte, 0, 48)
	if neg {
		out = append(out, '-')
	}
	out = strconv.AppendUint(out, ip, 10)
	if digits == 0 {
		return string(out)
	}
	out = append(out, '.')
	start := len(out)
	n := 0
	for (digits < 0 && (fp != 0 || n == 0)) || (digits >= 0 && n < digits) {
		// fp < 2^frac <= 2^32, so fp*10 fits in uint64.
		fp *= 10
		out = append(out, byte('0'+fp>>frac))
		fp &= 1<<frac - 1
		n++
	}
	if digits < 0 {
		end := len(out)
		for end > start+1 && out[end-1] == '0' {
			end--
		}
		out = out[:end]
	}
	return string(out)
}
