package literal

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// floatBits is SPEC §1's rule computed with Go floats (allowed in tests):
// RoundToEven(float64(literal) × 2^32), with the literal first narrowed to float32 for f32.
func floatBits(s string, f32 bool) (int64, bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if f32 {
		x = float64(float32(x))
	}
	y := math.RoundToEven(x * 4294967296)
	if y >= 9.2e18 || y <= -9.2e18 {
		return 0, false
	}
	return int64(y), true
}

// The float-free literal conversion must agree with the float rule for any decimal literal.
func TestLiteralConversionMatchesFloats(t *testing.T) {
	lits := []string{
		"0.1", "0.51", "0.49", "1e-09", "1.9e-09", "0.9999998808", "0.9999999", "0.0243902437",
		"3.057e-07", "0.3333333333", "65535.0", "-0.0256410255", "2.3283066664e-10", "0.95", "123456.789",
		"1e-7", "0.9999999981", "0.5", "-1", "4.76e-17", "0.000001", "7.5e-10",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		x := r.Float64() * math.Pow(10, float64(r.IntN(14)-10))
		if r.IntN(2) == 0 {
			x = -x
		}
		lits = append(lits, strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(x, 'g', 1+r.IntN(12), 64),
			strconv.FormatFloat(float64(float32(x)), 'g', -1, 32))
	}
	for _, s := range lits {
		for _, f32 := range []bool{false, true} {
			want, ok := floatBits(s, f32)
			if !ok {
				continue
			}
			enc := EncF64
			if f32 {
				enc = EncF32
			}
			got, err := Fixed(json.Number(s), enc)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			if got.Bits() != want {
				t.Fatalf("%s (%s): bits %d, want %d", s, enc, got.Bits(), want)
			}
		}
	}
}
