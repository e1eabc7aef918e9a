package yuma

// Matrix is a dense row-major I32F32 matrix (a slice of rows). Rows may have different lengths;
// every function treats mismatched shapes the way the reference does (documented per function).
type Matrix [][]I32F32

// NewMatrix returns a rows × cols zero matrix backed by one allocation.
func NewMatrix(rows, cols int) Matrix {
	backing := make([]I32F32, rows*cols)
	m := make(Matrix, rows)
	for i := range m {
		m[i] = backing[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return m
}

// Clone returns a deep copy of m.
func (m Matrix) Clone() Matrix {
	if m == nil {
		return nil
	}
	out := make(Matrix, len(m))
	for i, r := range m {
		out[i] = append([]I32F32(nil), r...)
	}
	return out
}

// emptyMatrix is the reference's `vec![vec![]]`.
func emptyMatrix() Matrix { return Matrix{{}} }

// InplaceRowNormalize divides each row by its sum when that sum is > 0.
func InplaceRowNormalize(x Matrix) {
	for _, row := range x {
		s := Sum(row)
		if s > 0 {
			for j, v := range row {
				row[j] = v.SafeDiv(s)
			}
		}
	}
}

// InplaceColNormalize divides each column by its (saturating) sum when the sum is non-zero.
// Missing cells of short rows count as 0.
func InplaceColNormalize(x Matrix) {
	var sums []I32F32
	for _, row := range x {
		for len(sums) < len(row) {
			sums = append(sums, 0)
		}
		for j, v := range row {
			sums[j] = sums[j].SaturatingAdd(v)
		}
	}
	for _, row := range x {
		for j, v := range row {
			if sums[j] != 0 {
				row[j] = v.SafeDiv(sums[j])
			}
		}
	}
}

// InplaceColMaxUpscale divides each column by its maximum (starting from 0) when it is non-zero.
func InplaceColMaxUpscale(x Matrix) {
	cols := 0
	for _, row := range x {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return
	}
	maxes := make([]I32F32, cols)
	for _, row := range x {
		for j, v := range row {
			if maxes[j] < v {
				maxes[j] = v
			}
		}
	}
	for _, row := range x {
		for j, v := range row {
			if maxes[j] != 0 {
				row[j] = v.SafeDiv(maxes[j])
			}
		}
	}
}

// InplaceMaskMatrix zeroes cells where mask is true. An empty mask (or an empty first mask row)
// changes nothing; otherwise a missing mask cell counts as true.
func InplaceMaskMatrix(mask [][]bool, m Matrix) {
	if len(mask) == 0 || len(mask[0]) == 0 {
		return
	}
	for r, row := range m {
		for c := range row {
			if r >= len(mask) || c >= len(mask[r]) || mask[r][c] {
				row[c] = 0
			}
		}
	}
}

// InplaceMaskRows replaces masked rows by a zero row as wide as the first row; a missing mask entry
// counts as true.
func InplaceMaskRows(mask []bool, m Matrix) {
	if len(m) == 0 {
		return
	}
	cols := len(m[0])
	for r := range m {
		if r >= len(mask) || mask[r] {
			m[r] = make([]I32F32, cols)
		}
	}
}

// InplaceMaskCols zeroes masked columns; a missing mask entry counts as true.
func InplaceMaskCols(mask []bool, m Matrix) {
	for _, row := range m {
		for c := range row {
			if c >= len(mask) || mask[c] {
				row[c] = 0
			}
		}
	}
}

// InplaceMaskDiag zeroes the diagonal of a square matrix (non-square input is left unchanged).
func InplaceMaskDiag(m Matrix) {
	if len(m) == 0 || len(m[0]) == 0 || len(m) != len(m[0]) {
		return
	}
	for i, row := range m {
		if i < len(row) {
			row[i] = 0
		}
	}
}

// InplaceMaskDiagExceptIndex zeroes the diagonal except the cell (except, except).
func InplaceMaskDiagExceptIndex(m Matrix, except int) {
	if len(m) == 0 || len(m[0]) == 0 || len(m) != len(m[0]) {
		return
	}
	var keep I32F32
	has := except >= 0 && except < len(m) && except < len(m[except])
	if has {
		keep = m[except][except]
	}
	InplaceMaskDiag(m)
	if has {
		m[except][except] = keep
	}
}

// RowHadamard returns m_ij × v_i (saturating); rows beyond len(v) are dropped.
func RowHadamard(m Matrix, v []I32F32) Matrix {
	if len(m) == 0 || len(m[0]) == 0 {
		return emptyMatrix()
	}
	out := make(Matrix, 0, len(m))
	for i, row := range m {
		if i >= len(v) {
			break
		}
		r := make([]I32F32, len(row))
		for j, x := range row {
			r[j] = v[i].SaturatingMul(x)
		}
		out = append(out, r)
	}
	return out
}

// RowSum returns the (plain) sum of each row; if the first row is empty the result is empty.
func RowSum(m Matrix) []I32F32 {
	if len(m) > 0 && len(m[0]) == 0 {
		return []I32F32{}
	}
	out := make([]I32F32, len(m))
	for i, row := range m {
		out[i] = Sum(row)
	}
	return out
}

// MatMul returns result_j = Σ_i v_i × m_ij (saturating), as wide as the first row; rows beyond
// len(v) count with weight 0.
func MatMul(m Matrix, v []I32F32) []I32F32 {
	if len(m) == 0 || len(m[0]) == 0 {
		return []I32F32{}
	}
	acc := make([]I32F32, len(m[0]))
	for i, row := range m {
		var scale I32F32
		if i < len(v) {
			scale = v[i]
		}
		for j, x := range row {
			if j >= len(acc) {
				break
			}
			acc[j] = acc[j].SaturatingAdd(scale.SaturatingMul(x))
		}
	}
	return acc
}

// MatMulTranspose returns result_i = Σ_j v_j × m_ij (saturating) over the common length.
func MatMulTranspose(m Matrix, v []I32F32) []I32F32 {
	if len(m) == 0 || len(m[0]) == 0 {
		return []I32F32{}
	}
	out := make([]I32F32, len(m))
	for i, row := range m {
		var s I32F32
		for j, x := range row {
			if j >= len(v) {
				break
			}
			s = s.SaturatingAdd(x.SaturatingMul(v[j]))
		}
		out[i] = s
	}
	return out
}

// MatVecMul returns m_ij × v_j per row (VecMul of each row with v).
func MatVecMul(m Matrix, v []I32F32) Matrix {
	if len(m) == 0 || len(m[0]) == 0 {
		return emptyMatrix()
	}
	out := make(Matrix, len(m))
	for i, row := range m {
		out[i] = VecMul(row, v)
	}
	return out
}

// InplaceColClip sets each cell to min(value, threshold[col]).
func InplaceColClip(x Matrix, threshold []I32F32) {
	for _, row := range x {
		for j, v := range row {
			if j >= len(threshold) {
				break
			}
			row[j] = threshold[j].Min(v)
		}
	}
}

// WeightedMedianCol is the dense column-wise stake-weighted median. For each column it keeps the
// rows with stake > 0 (a row whose length differs from the first row's contributes (0, 0)),
// normalises that stake and calls WeightedMedian with minority = stake_sum − majority.
func WeightedMedianCol(stake []I32F32, score Matrix, majority I32F32) []I32F32 {
	cols := 0
	if len(score) > 0 {
		cols = len(score[0])
	}
	median := make([]I32F32, cols)
	var s medianScratch
	useStake := make([]I32F32, 0, len(stake))
	useScore := make([]I32F32, 0, len(stake))
	var idx []int
	for c := range median {
		useStake, useScore = useStake[:0], useScore[:0]
		for r, st := range stake {
			if st <= 0 {
				continue
			}
			if r < len(score) && len(score[r]) == cols {
				useStake = append(useStake, st)
				useScore = append(useScore, score[r][c])
			} else {
				useStake = append(useStake, 0)
				useScore = append(useScore, 0)
			}
		}
		if len(useStake) == 0 {
			continue
		}
		InplaceNormalize(useStake)
		sum := Sum(useStake)
		idx = idx[:0]
		for i := range useStake {
			idx = append(idx, i)
		}
		median[c] = s.weightedMedian(useStake, useScore, idx, sum.SaturatingSub(majority), 0, sum)
	}
	return median
}

// Interpolate returns m1 + ratio × (m2 − m1) (saturating). ratio = 0 returns a copy of m1 and
// ratio = 1 a copy of m2; otherwise the result has m1's shape (rows × len(m1[0])), cells beyond
// the shorter of the two rows stay 0.
func Interpolate(m1, m2 Matrix, ratio I32F32) Matrix {
	if ratio == 0 {
		return m1.Clone()
	}
	if ratio == I32F32One {
		return m2.Clone()
	}
	if len(m1) == 0 || len(m1[0]) == 0 {
		return emptyMatrix()
	}
	out := NewMatrix(len(m1), len(m1[0]))
	for i, r1 := range m1 {
		if i >= len(m2) {
			break
		}
		r2 := m2[i]
		for j := 0; j < len(r1) && j < len(r2) && j < len(out[i]); j++ {
			out[i][j] = r1[j].SaturatingAdd(ratio.SaturatingMul(r2[j].SaturatingSub(r1[j])))
		}
	}
	return out
}

// MatEma returns alpha × new + (1 − alpha) × old per cell (saturating), over the common shape.
func MatEma(newM, oldM Matrix, alpha I32F32) Matrix {
	if len(newM) == 0 || len(newM[0]) == 0 {
		return emptyMatrix()
	}
	oneMinus := I32F32One.SaturatingSub(alpha)
	out := make(Matrix, 0, len(newM))
	for i, nr := range newM {
		if i >= len(oldM) {
			break
		}
		or := oldM[i]
		r := make([]I32F32, min(len(nr), len(or)))
		for j := range r {
			r[j] = alpha.SaturatingMul(nr[j]).SaturatingAdd(oneMinus.SaturatingMul(or[j]))
		}
		out = append(out, r)
	}
	return out
}

// MatEmaAlpha is the dense per-cell EMA of liquid alpha:
// result = min((1 − a) × old + max(a × new, 0), 1). An empty input gives [[]]; mismatched row
// counts return a copy of old; any mismatched row length returns a copy of new.
func MatEmaAlpha(newM, oldM, alpha Matrix) Matrix {
	if len(newM) == 0 || len(newM[0]) == 0 {
		return emptyMatrix()
	}
	if len(newM) != len(oldM) || len(newM) != len(alpha) {
		return oldM.Clone()
	}
	for i, nr := range newM {
		if len(nr) != len(oldM[i]) || len(nr) != len(alpha[i]) {
			return newM.Clone()
		}
	}
	out := make(Matrix, len(newM))
	for i, nr := range newM {
		r := make([]I32F32, len(nr))
		for j := range nr {
			r[j] = emaAlphaCell(nr[j], oldM[i][j], alpha[i][j])
		}
		out[i] = r
	}
	return out
}

// emaAlphaCell is min((1 − a) × old + max(a × new, 0), 1) with saturating operations.
func emaAlphaCell(newV, oldV, a I32F32) I32F32 {
	decayed := I32F32One.SaturatingSub(a).SaturatingMul(oldV)
	inc := a.SaturatingMul(newV).Max(0)
	return decayed.SaturatingAdd(inc).Min(I32F32One)
}
