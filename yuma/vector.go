package yuma

import "sort"

// Sum is `x.iter().sum()`: plain (wrapping) addition.
func Sum(x []I32F32) I32F32 {
	var s I32F32
	for _, v := range x {
		s += v
	}
	return s
}

// CheckedSumU64 is checked_sum over u64: the sum, or false on overflow (0 for an empty slice).
func CheckedSumU64(x []uint64) (uint64, bool) {
	var s uint64
	for _, v := range x {
		n := s + v
		if n < s {
			return 0, false
		}
		s = n
	}
	return s, true
}

// IsZeroVector is is_zero: whether the (wrapping) sum of the vector is 0.
func IsZeroVector(x []I32F32) bool { return Sum(x) == 0 }

// Normalize returns a copy of x divided by its sum (safe_div), or an unchanged copy if the sum is
// 0.
func Normalize(x []I32F32) []I32F32 {
	out := append([]I32F32(nil), x...)
	InplaceNormalize(out)
	return out
}

// InplaceNormalize divides every element by the sum (safe_div) unless the sum is 0.
func InplaceNormalize(x []I32F32) {
	InplaceNormalizeUsingSum(x, Sum(x))
}

// InplaceNormalizeUsingSum divides every element by sum (safe_div) unless sum is 0.
func InplaceNormalizeUsingSum(x []I32F32, sum I32F32) {
	if sum == 0 {
		return
	}
	for i, v := range x {
		x[i] = v.SafeDiv(sum)
	}
}

// InplaceNormalize64 is inplace_normalize_64 over I64F64 values.
func InplaceNormalize64(x []I64F64) {
	var sum I64F64
	for _, v := range x {
		sum = sum.WrappingAdd(v)
	}
	if sum.IsZero() {
		return
	}
	for i, v := range x {
		x[i] = v.SafeDiv(sum)
	}
}

// VecDiv returns x_i / y_i (safe_div: 0 when y_i = 0); a missing y_i counts as 0.
func VecDiv(x, y []I32F32) []I32F32 {
	out := make([]I32F32, len(x))
	for i, v := range x {
		var d I32F32
		if i < len(y) {
			d = y[i]
		}
		out[i] = v.SafeDiv(d)
	}
	return out
}

// VecMul returns a_i × b_i (checked_mul, 0 on overflow) over the common length.
func VecMul(a, b []I32F32) []I32F32 {
	n := min(len(a), len(b))
	out := make([]I32F32, n)
	for i := 0; i < n; i++ {
		if p, ok := a[i].CheckedMul(b[i]); ok {
			out[i] = p
		}
	}
	return out
}

// IsTopK returns true for the k largest entries: an ascending stable sort of the indices by value,
// with the first n−k set to false (so among equal values the lower indices lose first). If n < k
// every entry is true.
func IsTopK(v []I32F32, k int) []bool {
	out := make([]bool, len(v))
	for i := range out {
		out[i] = true
	}
	return topK(v, k, out)
}

// IsTopKNonzero is is_topk_nonzero: like IsTopK but starting from v_i != 0.
func IsTopKNonzero(v []I32F32, k int) []bool {
	out := make([]bool, len(v))
	for i, x := range v {
		out[i] = x != 0
	}
	return topK(v, k, out)
}

func topK(v []I32F32, k int, out []bool) []bool {
	n := len(v)
	if n < k {
		return out
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	for _, i := range idx[:n-k] {
		out[i] = false
	}
	return out
}

// InplaceMaskVector zeroes v_i where mask_i is true. As in the reference, an empty mask changes
// nothing, and when the mask is non-empty but shorter than v the missing entries count as true.
func InplaceMaskVector(mask []bool, v []I32F32) {
	if len(mask) == 0 {
		return
	}
	for i := range v {
		if i >= len(mask) || mask[i] {
			v[i] = 0
		}
	}
}

// VecMaxUpscaleToU16 is vec_max_upscale_to_u16: scale so that the maximum becomes 65535.
//
//   - max = 0: floor(e × 65535);
//   - max > 32768: round(e × (65535 / max));
//   - otherwise: round((e × 65535) / max).
//
// round() is to nearest with ties away from zero; all conversions saturate to [0, 65535].
func VecMaxUpscaleToU16(v []I32F32) []uint16 {
	out := make([]uint16, len(v))
	if len(v) == 0 {
		return out
	}
	m := v[0]
	for _, x := range v[1:] {
		if x > m {
			m = x
		}
	}
	threshold := I32F32FromInt(32768)
	for i, e := range v {
		switch {
		case m == 0:
			out[i] = e.SaturatingMul(u16MaxFixed).SaturatingToU16()
		case m > threshold:
			out[i] = e.SaturatingMul(u16MaxFixed.SafeDiv(m)).Round().SaturatingToU16()
		default:
			out[i] = e.SaturatingMul(u16MaxFixed).SafeDiv(m).Round().SaturatingToU16()
		}
	}
	return out
}

// VecU16MaxUpscaleToU16 is vec_u16_max_upscale_to_u16, used by set_weights to store a row.
func VecU16MaxUpscaleToU16(v []uint16) []uint16 {
	f := make([]I32F32, len(v))
	for i, x := range v {
		f[i] = U16ToFixed(x)
	}
	return VecMaxUpscaleToU16(f)
}

// CheckVecMaxLimited is check_vec_max_limited: whether max(normalize(v)) <= maxLimit/65535.
func CheckVecMaxLimited(v []uint16, maxLimit uint16) bool {
	limit := U16ProportionToFixed(maxLimit)
	f := make([]I32F32, len(v))
	for i, x := range v {
		f[i] = U16ToFixed(x)
	}
	InplaceNormalize(f)
	for _, x := range f {
		if x > limit {
			return false
		}
	}
	return true
}

// medianScratch holds the reusable partition buffers of WeightedMedian.
type medianScratch struct {
	cur, lower, upper []int
}

// WeightedMedian is weighted_median: a deterministic quick-select with a middle pivot that
// returns, roughly, the largest score w such that at least (stake_sum − minority) of the stake
// weights scores ≥ w. The comparisons are exactly the reference's:
//
//	loop:
//	  empty partition → 0; single index → its score
//	  pivot = score[partition[len/2]]
//	  lower = indices with score < pivot, upper = indices with score > pivot (equal: neither)
//	  if minority < lo + lo_stake and lower is non-empty: partition = lower; hi = lo + lo_stake
//	  elif hi − hi_stake <= minority and upper is non-empty: partition = upper; lo = hi − hi_stake
//	  else return pivot
//
// after len(partition) iterations the loop stops and returns 0. Additions are saturating.
func WeightedMedian(stake, score []I32F32, partition []int, minority, lo, hi I32F32) I32F32 {
	var s medianScratch
	return s.weightedMedian(stake, score, partition, minority, lo, hi)
}

func (s *medianScratch) weightedMedian(stake, score []I32F32, partition []int, minority, lo, hi I32F32) I32F32 {
	if len(stake) != len(score) {
		return 0
	}
	at := func(v []I32F32, i int) I32F32 {
		if i >= 0 && i < len(v) {
			return v[i]
		}
		return 0
	}
	s.cur = append(s.cur[:0], partition...)
	limit := len(partition)
	for iter := 0; ; {
		n := len(s.cur)
		if n == 0 {
			return 0
		}
		if n == 1 {
			return at(score, s.cur[0])
		}
		pivot := at(score, s.cur[n/2])
		var loStake, hiStake I32F32
		s.lower, s.upper = s.lower[:0], s.upper[:0]
		for _, idx := range s.cur {
			v := at(score, idx)
			if v == pivot {
				continue
			}
			if v < pivot {
				loStake = loStake.SaturatingAdd(at(stake, idx))
				s.lower = append(s.lower, idx)
			} else {
				hiStake = hiStake.SaturatingAdd(at(stake, idx))
				s.upper = append(s.upper, idx)
			}
		}
		switch {
		case minority < lo.SaturatingAdd(loStake) && len(s.lower) > 0:
			hi = lo.SaturatingAdd(loStake)
			s.cur, s.lower = s.lower, s.cur
		case hi.SaturatingSub(hiStake) <= minority && len(s.upper) > 0:
			lo = hi.SaturatingSub(hiStake)
			s.cur, s.upper = s.upper, s.cur
		default:
			return pivot
		}
		iter++
		if iter > limit {
			return 0
		}
	}
}
