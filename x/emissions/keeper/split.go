package keeper

import (
	"sort"

	"cosmossdk.io/math"
)

// SplitLargestRemainder splits total in proportion to weights so that the parts sum to exactly total: each part
// is floor(total·w/W), and the leftover units go one each to the largest remainders, ties to the lower index.
// When every weight is zero, it returns all zeros (the caller decides where the total goes).
func SplitLargestRemainder(total math.Int, weights []math.Int) []math.Int {
	out := make([]math.Int, len(weights))
	sum := math.ZeroInt()
	for i, w := range weights {
		out[i] = math.ZeroInt()
		sum = sum.Add(w)
	}
	if sum.IsZero() || !total.IsPositive() {
		return out
	}
	rems := make([]math.Int, len(weights))
	given := math.ZeroInt()
	for i, w := range weights {
		p := total.Mul(w)
		out[i] = p.Quo(sum)
		rems[i] = p.Mod(sum)
		given = given.Add(out[i])
	}
	left := total.Sub(given) // < len(weights)
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].GT(rems[order[b]]) })
	for _, i := range order {
		if !left.IsPositive() {
			break
		}
		out[i] = out[i].AddRaw(1)
		left = left.SubRaw(1)
	}
	return out
}

// bps returns floor(a·bps/10000).
func bps(a math.Int, b uint32) math.Int { return a.MulRaw(int64(b)).QuoRaw(10_000) }
