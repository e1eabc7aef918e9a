// Package amount parses and prints amounts of MIND as users type and read them: umind (the base denom) or MIND
// with up to six decimals. It depends on nothing but cosmossdk.io/math, so its fuzz target builds quickly.
package amount

import (
	"fmt"
	"math/big"
	"strings"

	"cosmossdk.io/math"
)

const (
	// Denom is the base denomination; amounts without a denom are in it.
	Denom = "umind"
	// DisplayDenom is the display denomination: 1 MIND = 10^6 umind.
	DisplayDenom = "MIND"
	// DisplayDecimals is the number of decimals of MIND.
	DisplayDecimals = 6
	// Forms is what every amount error ends with, so the user sees the accepted forms.
	Forms = "write umind as 1500000 or 1500000umind, or MIND with at most 6 decimals as 1.5MIND"
)

var umindPerMIND = big.NewInt(1_000_000)

// Parse parses an amount of umind as a user types it: "1500000", "1500000umind" or "1.5MIND" (the denom in any
// letter case, with or without a space before it). Negative amounts, other denoms, fractions of umind, more than six
// decimals of MIND and anything that is not a number are refused with an error that says why; zero is refused unless
// allowZero (for limits where 0 means "no limit").
func Parse(s string, allowZero bool) (math.Int, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return math.Int{}, fmt.Errorf("empty amount: %s", Forms)
	}
	if strings.HasPrefix(in, "-") {
		return math.Int{}, fmt.Errorf("amount %q is negative: amounts are more than 0; %s", s, Forms)
	}
	num, denom := splitDenom(in)
	var v *big.Int
	switch strings.ToLower(denom) {
	case "", Denom:
		if strings.Contains(num, ".") {
			return math.Int{}, fmt.Errorf("amount %q has decimals, but umind (the unit when no denom is given) is the "+
				"smallest unit; for MIND say so: %sMIND", s, num)
		}
		if !IsDigits(num) {
			return math.Int{}, fmt.Errorf("amount %q is not a number: %s", s, Forms)
		}
		v, _ = new(big.Int).SetString(num, 10)
	case "mind":
		whole, frac, hasDot := strings.Cut(num, ".")
		if !IsDigits(whole) || hasDot && !IsDigits(frac) {
			return math.Int{}, fmt.Errorf("amount %q is not a number: %s", s, Forms)
		}
		if len(frac) > DisplayDecimals {
			return math.Int{}, fmt.Errorf("amount %q has %d decimals; MIND has %d (1 umind = 0.000001MIND)", s, len(frac), DisplayDecimals)
		}
		w, _ := new(big.Int).SetString(whole, 10)
		f, _ := new(big.Int).SetString(frac+strings.Repeat("0", DisplayDecimals-len(frac)), 10)
		v = w.Mul(w, umindPerMIND)
		v.Add(v, f)
	default:
		return math.Int{}, fmt.Errorf("amount %q is in %q: only umind and MIND are accepted; %s", s, denom, Forms)
	}
	if v.BitLen() > math.MaxBitLen {
		return math.Int{}, fmt.Errorf("amount %q is too large (more than 2^%d umind)", s, math.MaxBitLen)
	}
	if v.Sign() == 0 && !allowZero {
		return math.Int{}, fmt.Errorf("amount %q is zero: give more than 0; %s", s, Forms)
	}
	return math.NewIntFromBigInt(v), nil
}

// splitDenom splits "1.5 MIND" into "1.5" and "MIND": the denom is the trailing run of letters.
func splitDenom(s string) (num, denom string) {
	i := len(s)
	for i > 0 && isLetter(s[i-1]) {
		i--
	}
	return strings.TrimSpace(s[:i]), s[i:]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// IsDigits reports whether s is one or more ASCII digits (no sign, no base prefix, no separators).
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatMIND renders umind as MIND with up to six decimals and no trailing zeros: 1500000 → "1.5", 1 → "0.000001".
func FormatMIND(umind math.Int) string {
	if umind.IsNil() {
		return "0"
	}
	b := umind.BigInt()
	neg := b.Sign() < 0
	b.Abs(b)
	q, r := new(big.Int).QuoRem(b, umindPerMIND, new(big.Int))
	out := q.String()
	if r.Sign() != 0 {
		out += "." + strings.TrimRight(fmt.Sprintf("%06s", r.String()), "0")
	}
	if neg {
		out = "-" + out
	}
	return out
}
