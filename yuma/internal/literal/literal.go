// Package literal converts the number literals of Yuma scenario and vector files (decimal text,
// decoded as json.Number) to the fixed-point types of package yuma, exactly and without floating
// point. It is shared by yuma/scenario (epoch scenarios) and yuma/internal/vectortest (the test
// replay of math and scheduler vectors).
package literal

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
)

// Number literals in scenario files are decimal text (decoded with json.Number). They are turned
// into fixed-point bits with exact rational arithmetic, following SPEC §1 and the file's
// meta.number_encoding, without any floating point type:
//
//	f64:  bits = RoundToEven(nearest_float64(x) × 2^32)
//	f32:  bits = RoundToEven(nearest_float32(nearest_float64(x)) × 2^32)
//	int:  bits = n << 32 (the literal must be an integer)
//
// nearest_floatN is the correctly rounded (ties-to-even) binary floating point value with a
// 53-bit (f64) or 24-bit (f32) significand, which is what Rust's literal parsing (and Go's
// strconv) produce for the literals these files contain.

// Encoding names returned by Classify.
const (
	EncF32      = "f32"
	EncF64      = "f64"
	EncInt      = "int"
	EncUint     = "uint"
	EncF64I64   = "f64->I64F64"
	EncIntI64   = "int->I64F64"
	specialMax  = "I32F32::MAX"
	specialMin  = "I32F32::MIN"
	fracBits32  = 32
	fracBits64  = 64
	mantBitsF64 = 53
	mantBitsF32 = 24
)

// Classify maps the free-text encodings of the vectors file to an encoding name.
func Classify(s string) (string, error) {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "f64 -> I64F64"), strings.HasPrefix(t, "f64 -> I64F64::from_num"):
		return EncF64I64, nil
	case strings.HasPrefix(t, "int as I64F64"):
		return EncIntI64, nil
	case strings.HasPrefix(t, "f32"):
		return EncF32, nil
	case strings.HasPrefix(t, "f64"):
		return EncF64, nil
	case strings.HasPrefix(t, "int"):
		return EncInt, nil
	case t == "u16", t == "u64":
		return EncUint, nil
	}
	return "", fmt.Errorf("unknown number encoding %q", s)
}

// Rat parses a JSON number (or a decimal string) exactly.
func Rat(v any) (*big.Rat, error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		return nil, fmt.Errorf("expected a number, got %T (%v)", v, v)
	}
	if err := checkLiteralSize(s); err != nil {
		return nil, err
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("bad number %q", s)
	}
	return r, nil
}

// maxLiteralExponent bounds decimal exponents so that a hostile literal such as 1e999999999 cannot
// make the exact conversion take unbounded time and memory.
const maxLiteralExponent = 400

func checkLiteralSize(s string) error {
	if len(s) > 400 {
		return fmt.Errorf("number literal too long (%d characters)", len(s))
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var exp int
		if _, err := fmt.Sscanf(s[i+1:], "%d", &exp); err != nil || exp > maxLiteralExponent || exp < -maxLiteralExponent {
			return fmt.Errorf("number literal %q: exponent out of range", s)
		}
	}
	return nil
}

// roundBinary rounds x to the nearest value with a mant-bit binary significand (ties to even).
// Exponent limits are ignored; the values in scenario files are far from them.
func roundBinary(x *big.Rat, mant int) *big.Rat {
	if x.Sign() == 0 {
		return new(big.Rat)
	}
	num := new(big.Int).Abs(x.Num())
	den := x.Denom()
	e := num.BitLen() - den.BitLen() - mant
	var q, r, n2, d2 big.Int
	for {
		n2.Set(num)
		d2.Set(den)
		if e < 0 {
			n2.Lsh(&n2, uint(-e))
		} else {
			d2.Lsh(&d2, uint(e))
		}
		q.QuoRem(&n2, &d2, &r)
		switch {
		case q.BitLen() > mant:
			e++
			continue
		case q.BitLen() < mant:
			e--
			continue
		}
		break
	}
	r.Lsh(&r, 1)
	if c := r.Cmp(&d2); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(&q, big.NewInt(1))
	}
	out := new(big.Rat).SetInt(&q)
	scale := new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(abs(e))))
	if e >= 0 {
		out.Mul(out, scale)
	} else {
		out.Quo(out, scale)
	}
	if x.Sign() < 0 {
		out.Neg(out)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// scaledRoundEven returns RoundToEven(x × 2^frac) as an integer.
func scaledRoundEven(x *big.Rat, frac uint) *big.Int {
	a := new(big.Int).Abs(x.Num())
	a.Lsh(a, frac)
	var q, r big.Int
	q.QuoRem(a, x.Denom(), &r)
	r.Lsh(&r, 1)
	if c := r.Cmp(x.Denom()); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(&q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(&q)
	}
	return &q
}

var (
	bigMaxInt64 = big.NewInt(1<<63 - 1)
	bigMinInt64 = big.NewInt(-1 << 63)
)

// literalValue applies the f32/f64 rounding of enc to x (int and uint must be integers).
func literalValue(x *big.Rat, enc string) (*big.Rat, error) {
	switch enc {
	case EncF64, EncF64I64:
		return roundBinary(x, mantBitsF64), nil
	case EncF32:
		return roundBinary(roundBinary(x, mantBitsF64), mantBitsF32), nil
	case EncInt, EncUint, EncIntI64:
		if !x.IsInt() {
			return nil, fmt.Errorf("%s is not an integer", x.RatString())
		}
		return x, nil
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}

// Fixed converts a literal to I32F32 bits under enc, saturating like from_num; the strings
// "I32F32::MAX" and "I32F32::MIN" are the extreme values.
func Fixed(v any, enc string) (yuma.I32F32, error) {
	if s, ok := v.(string); ok {
		switch s {
		case specialMax:
			return yuma.I32F32Max, nil
		case specialMin:
			return yuma.I32F32Min, nil
		}
	}
	r, err := Rat(v)
	if err != nil {
		return 0, err
	}
	x, err := literalValue(r, enc)
	if err != nil {
		return 0, err
	}
	b := scaledRoundEven(x, fracBits32)
	switch {
	case b.Cmp(bigMaxInt64) > 0:
		return yuma.I32F32Max, nil
	case b.Cmp(bigMinInt64) < 0:
		return yuma.I32F32Min, nil
	}
	return yuma.FromBits(b.Int64()), nil
}

// I64F64 converts a literal to I64F64 (f64 rounding, or an integer shifted by 64).
func I64F64(v any, enc string) (yuma.I64F64, error) {
	r, err := Rat(v)
	if err != nil {
		return yuma.I64F64{}, err
	}
	if enc == EncF64 {
		enc = EncF64I64
	}
	if enc == EncInt {
		enc = EncIntI64
	}
	x, err := literalValue(r, enc)
	if err != nil {
		return yuma.I64F64{}, err
	}
	b := scaledRoundEven(x, fracBits64)
	return i64f64FromBig(b), nil
}

var (
	bigI128Max = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	bigI128Min = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
)

func i64f64FromBig(b *big.Int) yuma.I64F64 {
	if b.Cmp(bigI128Max) > 0 {
		return yuma.I64F64Max
	}
	if b.Cmp(bigI128Min) < 0 {
		return yuma.I64F64Min
	}
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(b, 64).Int64()
	return yuma.I64F64{Hi: hi, Lo: lo}
}

func BigOfI64F64(x yuma.I64F64) *big.Int {
	b := big.NewInt(x.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(x.Lo))
}

// Uint parses a non-negative integer literal that fits in bits.
func Uint(v any, bitSize int) (uint64, error) {
	r, err := Rat(v)
	if err != nil {
		return 0, err
	}
	if !r.IsInt() || r.Sign() < 0 || r.Num().BitLen() > bitSize {
		return 0, fmt.Errorf("%s is not a u%d", r.RatString(), bitSize)
	}
	return r.Num().Uint64(), nil
}

// Int parses an integer literal that fits in int64.
func Int(v any) (int64, error) {
	r, err := Rat(v)
	if err != nil {
		return 0, err
	}
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("%s is not an int64", r.RatString())
	}
	return r.Num().Int64(), nil
}

// WithinFixed reports whether |got − x| <= tol (in units of 2^-32) with x an exact rational.
func WithinFixed(got yuma.I32F32, x *big.Rat, tolBits int64) bool {
	d := new(big.Rat).SetFrac(big.NewInt(got.Bits()), new(big.Int).Lsh(big.NewInt(1), fracBits32))
	d.Sub(d, x)
	d.Abs(d)
	lim := new(big.Rat).SetFrac(big.NewInt(tolBits), new(big.Int).Lsh(big.NewInt(1), fracBits32))
	return d.Cmp(lim) <= 0
}

// FixedRat returns the exact value of an I32F32.
func FixedRat(x yuma.I32F32) *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(x.Bits()), new(big.Int).Lsh(big.NewInt(1), fracBits32))
}
