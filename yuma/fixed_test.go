package yuma

import (
	"math"
	"math/big"
	"testing"
)

var (
	bigMinI64 = big.NewInt(math.MinInt64)
	bigMaxI64 = big.NewInt(math.MaxInt64)
)

func fitsI64(b *big.Int) bool { return b.Cmp(bigMinI64) >= 0 && b.Cmp(bigMaxI64) <= 0 }

// refMul is floor(a*b / 2^32) with overflow detection, by big.Int.
func refMul(a, b int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	p.Rsh(p, 32) // arithmetic shift: floor
	return p.Int64(), fitsI64(p)
}

// refDiv is trunc((a << 32) / b) with zero/overflow detection, by big.Int.
func refDiv(a, b int64) (int64, bool) {
	if b == 0 {
		return 0, false
	}
	n := new(big.Int).Lsh(big.NewInt(a), 32)
	q := n.Quo(n, big.NewInt(b)) // truncates towards zero
	return q.Int64(), fitsI64(q)
}

func checkArith(t *testing.T, a, b int64) {
	t.Helper()
	x, y := I32F32(a), I32F32(b)
	if want, ok := refMul(a, b); true {
		got, gok := x.CheckedMul(y)
		if gok != ok || (ok && int64(got) != want) {
			t.Fatalf("CheckedMul(%d, %d) = %d, %v; want %d, %v", a, b, got, gok, want, ok)
		}
		sat := x.SaturatingMul(y)
		switch {
		case ok && int64(sat) != want:
			t.Fatalf("SaturatingMul(%d, %d) = %d, want %d", a, b, sat, want)
		case !ok && (a < 0) != (b < 0) && sat != I32F32Min:
			t.Fatalf("SaturatingMul(%d, %d) = %d, want MIN", a, b, sat)
		case !ok && (a < 0) == (b < 0) && sat != I32F32Max:
			t.Fatalf("SaturatingMul(%d, %d) = %d, want MAX", a, b, sat)
		}
	}
	want, ok := refDiv(a, b)
	got, gok := x.CheckedDiv(y)
	if gok != ok || (ok && int64(got) != want) {
		t.Fatalf("CheckedDiv(%d, %d) = %d, %v; want %d, %v", a, b, got, gok, want, ok)
	}
	if s := x.SafeDiv(y); (ok && int64(s) != want) || (!ok && s != 0) {
		t.Fatalf("SafeDiv(%d, %d) = %d", a, b, s)
	}
	sum := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
	if s := x.SaturatingAdd(y); fitsI64(sum) && int64(s) != sum.Int64() || !fitsI64(sum) && s != I32F32Max && s != I32F32Min {
		t.Fatalf("SaturatingAdd(%d, %d) = %d", a, b, s)
	}
	diff := new(big.Int).Sub(big.NewInt(a), big.NewInt(b))
	if s := x.SaturatingSub(y); fitsI64(diff) && int64(s) != diff.Int64() || !fitsI64(diff) && s != I32F32Max && s != I32F32Min {
		t.Fatalf("SaturatingSub(%d, %d) = %d", a, b, s)
	}
}

// FuzzFixedArithmetic compares I32F32 multiplication, division and saturating addition with an
// exact big.Int model of the reference's rules (floor for ×, truncation for ÷).
func FuzzFixedArithmetic(f *testing.F) {
	for _, s := range [][2]int64{
		{0, 0},
		{1 << 32, 1 << 32},
		{-3, 5},
		{-(1 << 32) - 1, 3},
		{math.MinInt64, -1},
		{math.MinInt64, 1 << 32},
		{math.MaxInt64, math.MaxInt64},
		{-5, -(1 << 40)},
		{7, 0},
		{-1, 1},
		{math.MinInt64, math.MinInt64},
		{1 << 62, -(1 << 33)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b int64) { checkArith(t, a, b) })
}

func TestFixedConversions(t *testing.T) {
	cases := []struct {
		x    I32F32
		u16  uint16
		u64  uint64
		rnd  I32F32
		repr string
	}{
		{0, 0, 0, 0, "0.0"},
		{I32F32One / 2, 0, 0, I32F32One, "0.5"},
		{-I32F32One / 2, 0, 0, -I32F32One, "-0.5"},
		{I32F32One*5/2 + 1, 2, 2, 3 * I32F32One, "2.50000000023283064365386962890625"},
		{-(I32F32One*5/2 - 1), 0, 0, -2 * I32F32One, "-2.49999999976716935634613037109375"},
		{I32F32FromInt(70000), 65535, 70000, I32F32FromInt(70000), "70000.0"},
		{I32F32Max, 65535, 1<<31 - 1, I32F32Max, "2147483647.99999999976716935634613037109375"},
	}
	for _, c := range cases {
		if got := c.x.SaturatingToU16(); got != c.u16 {
			t.Errorf("%s.SaturatingToU16() = %d, want %d", c.x, got, c.u16)
		}
		if got := c.x.SaturatingToU64(); got != c.u64 {
			t.Errorf("%s.SaturatingToU64() = %d, want %d", c.x, got, c.u64)
		}
		if got := c.x.Round(); got != c.rnd {
			t.Errorf("%s.Round() = %s, want %s", c.x, got, c.rnd)
		}
		if got := c.x.String(); got != c.repr {
			t.Errorf("String() = %s, want %s", got, c.repr)
		}
	}
	if got := FixedProportionToU16(I32F32One); got != 65535 {
		t.Errorf("FixedProportionToU16(1) = %d", got)
	}
	if got := U16ProportionToFixed(65535); got != I32F32One {
		t.Errorf("U16ProportionToFixed(65535) = %s", got)
	}
	// 1/65535 truncated: (1 << 32) / 65535 = 65537.00001… → 65537
	if got := U16ProportionToFixed(1); got != 65537 {
		t.Errorf("U16ProportionToFixed(1) = %d bits", got)
	}
	if got := I32F32FromInt(1 << 40); got != I32F32Max {
		t.Errorf("I32F32FromInt saturation = %s", got)
	}
}

// Exp follows the reference's truncated Taylor series (terms up to x^31/31!, about 1% short of
// e^20 at x = 20), and exp(1) is the 23-bit constant.
func TestExpApproximation(t *testing.T) {
	if e, _ := Exp(I32F32One); e.String() != "2.71828174591064453125" {
		t.Fatalf("exp(1) = %s", e)
	}
	for x := int64(-20 << 32); x <= 20<<32; x += 1 << 28 {
		got, ok := Exp(I32F32(x))
		if !ok {
			t.Fatalf("exp(%s) failed", I32F32(x))
		}
		// The model: the Taylor series up to the x^31/31! term (i = 2..31), inverted for x < 0.
		ax := math.Abs(float64(x) / (1 << 32))
		want, term := 1.0, 1.0
		for i := 1; i < 32; i++ {
			term *= ax / float64(i)
			want += term
		}
		if x < 0 {
			want = 1 / want
		}
		gotF := float64(got) / (1 << 32)
		tol := 1e-7*want + 64.0/(1<<32)
		if math.Abs(gotF-want) > tol {
			t.Errorf("exp(%g) = %g, want %g", float64(x)/(1<<32), gotF, want)
		}
	}
	if got := ExpSafe(I32F32Min); got != ExpSafe(I32F32FromInt(-20)) {
		t.Errorf("exp_safe does not clamp")
	}
}

func refI64F64(x I64F64) *big.Int { return x.big() }

// FuzzI64F64 checks the I64F64 operations against big.Int.
func FuzzI64F64(f *testing.F) {
	f.Add(int64(1), uint64(0), int64(3), uint64(0))
	f.Add(int64(-1), uint64(5), int64(0), uint64(7))
	f.Add(int64(1<<62), uint64(0), int64(-1<<62), uint64(1))
	f.Add(int64(0), uint64(0), int64(0), uint64(0))
	f.Add(int64(1<<31), uint64(1<<63), int64(-1), uint64(1<<40))
	f.Fuzz(func(t *testing.T, ah int64, al uint64, bh int64, bl uint64) {
		a, b := I64F64{ah, al}, I64F64{bh, bl}
		ra, rb := refI64F64(a), refI64F64(b)
		if b.Sign() != 0 {
			n := new(big.Int).Lsh(ra, 64)
			q := n.Quo(n, rb)
			got, ok := a.CheckedDiv(b)
			fits := q.Cmp(bigI128Max) <= 0 && q.Cmp(bigI128Min) >= 0
			if ok != fits || (ok && refI64F64(got).Cmp(q) != 0) {
				t.Fatalf("CheckedDiv(%v, %v) = %v, %v; want %v", a, b, got, ok, q)
			}
		}
		p := new(big.Int).Mul(ra, rb)
		p.Rsh(p, 64)
		if p.Cmp(bigI128Max) > 0 {
			p.Set(bigI128Max)
		} else if p.Cmp(bigI128Min) < 0 {
			p.Set(bigI128Min)
		}
		if got := a.SaturatingMul(b); refI64F64(got).Cmp(p) != 0 {
			t.Fatalf("SaturatingMul = %v, want %v", refI64F64(got), p)
		}
		s := new(big.Int).Add(ra, rb)
		if s.Cmp(bigI128Max) > 0 {
			s.Set(bigI128Max)
		} else if s.Cmp(bigI128Min) < 0 {
			s.Set(bigI128Min)
		}
		if got := a.SaturatingAdd(b); refI64F64(got).Cmp(s) != 0 {
			t.Fatalf("SaturatingAdd = %v, want %v", refI64F64(got), s)
		}
		r := new(big.Int).Rsh(ra, 32)
		want := r.Int64()
		if r.Cmp(bigMaxI64) > 0 {
			want = math.MaxInt64
		} else if r.Cmp(bigMinI64) < 0 {
			want = math.MinInt64
		}
		if got := a.SaturatingToI32F32(); int64(got) != want {
			t.Fatalf("SaturatingToI32F32(%v) = %d, want %d", a, got, want)
		}
	})
}

// FuzzConversions checks ProportionToAmount, TaoWeightFixed and the U64F64 helpers against
// big.Int.
func FuzzConversions(f *testing.F) {
	f.Add(int64(1<<32), uint64(1_000_000_000), uint64(0), uint64(5), uint64(7))
	f.Add(int64(-5), uint64(1<<63), ^uint64(0), uint64(0), uint64(0))
	f.Add(int64(math.MaxInt64), ^uint64(0), uint64(971718665099567868), uint64(1<<63), uint64(3))
	f.Fuzz(func(t *testing.T, p int64, amount, taoWeight, num, den uint64) {
		want := new(big.Int).Mul(big.NewInt(p), new(big.Int).SetUint64(amount))
		want.Rsh(want, 32)
		if want.Sign() < 0 {
			want.SetInt64(0)
		}
		if want.BitLen() > 64 {
			want.SetUint64(^uint64(0))
		}
		if got := ProportionToAmount(I32F32(p), amount); got != want.Uint64() {
			t.Fatalf("ProportionToAmount(%d, %d) = %d, want %d", p, amount, got, want)
		}
		tw := new(big.Int).Lsh(new(big.Int).SetUint64(taoWeight), 32)
		tw.Quo(tw, new(big.Int).SetUint64(^uint64(0)))
		tw.Lsh(tw, 32)
		if got := TaoWeightFixed(taoWeight).big(); got.Cmp(tw) != 0 {
			t.Fatalf("TaoWeightFixed(%d) = %v, want %v", taoWeight, got, tw)
		}
		r := U64F64Ratio(num, den, U64F64{Hi: 9})
		var wantR *big.Int
		if den == 0 {
			wantR = new(big.Int).Lsh(big.NewInt(9), 64)
		} else {
			wantR = new(big.Int).Lsh(new(big.Int).SetUint64(num), 64)
			wantR.Quo(wantR, new(big.Int).SetUint64(den))
		}
		gotR := new(big.Int).Lsh(new(big.Int).SetUint64(r.Hi), 64)
		gotR.Or(gotR, new(big.Int).SetUint64(r.Lo))
		if gotR.Cmp(wantR) != 0 {
			t.Fatalf("U64F64Ratio(%d, %d) = %v, want %v", num, den, gotR, wantR)
		}
		m := new(big.Int).Mul(gotR, new(big.Int).SetUint64(amount))
		m.Rsh(m, 64)
		if m.BitLen() > 64 {
			m.SetUint64(^uint64(0))
		}
		if got := mulU64F64Int(r, amount); got != m.Uint64() {
			t.Fatalf("mulU64F64Int = %d, want %d", got, m)
		}
	})
}
