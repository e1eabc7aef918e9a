package yuma

import "sort"

// SparseEntry is one (column, value) cell of a sparse row.
type SparseEntry struct {
	Col uint16
	Val I32F32
}

// SparseMatrix is a list of sparse rows. Entries keep the order they were given in (the
// reference's weight rows are stored in the order set_weights received them); functions that
// densify a row emit it in ascending column order, exactly as the reference does.
type SparseMatrix [][]SparseEntry

// NNZ returns the number of stored entries.
func (m SparseMatrix) NNZ() int {
	n := 0
	for _, r := range m {
		n += len(r)
	}
	return n
}

// Clone returns a deep copy of m backed by a single allocation.
func (m SparseMatrix) Clone() SparseMatrix {
	if m == nil {
		return nil
	}
	backing := make([]SparseEntry, 0, m.NNZ())
	out := make(SparseMatrix, len(m))
	for i, r := range m {
		start := len(backing)
		backing = append(backing, r...)
		out[i] = backing[start:len(backing):len(backing)]
	}
	return out
}

// newSparseLike returns a matrix with len(rows) empty rows whose capacities are the given row
// lengths, backed by one allocation.
func newSparseLike(m SparseMatrix) SparseMatrix {
	backing := make([]SparseEntry, m.NNZ())
	out := make(SparseMatrix, len(m))
	off := 0
	for i, r := range m {
		out[i] = backing[off : off : off+len(r)]
		off += len(r)
	}
	return out
}

// filterInPlace keeps, in each row, the entries for which keep returns true (order preserved).
func filterInPlace(m SparseMatrix, keep func(i int, e SparseEntry) bool) {
	for i, row := range m {
		k := 0
		for _, e := range row {
			if keep(i, e) {
				row[k] = e
				k++
			}
		}
		m[i] = row[:k]
	}
}

// InplaceRowNormalizeSparse divides each row by its (plain) sum when that sum is > 0. Explicit
// zero entries stay.
func InplaceRowNormalizeSparse(m SparseMatrix) {
	for _, row := range m {
		var s I32F32
		for _, e := range row {
			s += e.Val
		}
		if s > 0 {
			for k := range row {
				row[k].Val = row[k].Val.SafeDiv(s)
			}
		}
	}
}

// InplaceColNormalizeSparse divides each entry by its column's (saturating) sum when the sum is
// non-zero; entries with a column >= columns are left unchanged.
func InplaceColNormalizeSparse(m SparseMatrix, columns int) {
	sums := make([]I32F32, columns)
	for _, row := range m {
		for _, e := range row {
			if int(e.Col) < columns {
				sums[e.Col] = sums[e.Col].SaturatingAdd(e.Val)
			}
		}
	}
	for _, row := range m {
		for k, e := range row {
			if int(e.Col) < columns && sums[e.Col] != 0 {
				row[k].Val = e.Val.SafeDiv(sums[e.Col])
			}
		}
	}
}

// InplaceColMaxUpscaleSparse divides each entry by its column's maximum (starting from 0) when the
// maximum is non-zero.
func InplaceColMaxUpscaleSparse(m SparseMatrix, columns int) {
	maxes := make([]I32F32, columns)
	for _, row := range m {
		for _, e := range row {
			if int(e.Col) < columns && maxes[e.Col] < e.Val {
				maxes[e.Col] = e.Val
			}
		}
	}
	for _, row := range m {
		for k, e := range row {
			if int(e.Col) < columns && maxes[e.Col] != 0 {
				row[k].Val = e.Val.SafeDiv(maxes[e.Col])
			}
		}
	}
}

// MaskRowsSparse returns a copy of m in which the rows whose mask entry is true (or missing)
// are empty.
func MaskRowsSparse(mask []bool, m SparseMatrix) SparseMatrix {
	out := m.Clone()
	maskRowsInPlace(mask, out)
	return out
}

func maskRowsInPlace(mask []bool, m SparseMatrix) {
	for i := range m {
		if i >= len(mask) || mask[i] {
			m[i] = m[i][:0]
		}
	}
}

// MaskDiagSparse returns a copy of m without its diagonal entries.
func MaskDiagSparse(m SparseMatrix) SparseMatrix {
	out := m.Clone()
	maskDiagInPlace(out, -1)
	return out
}

// MaskDiagSparseExceptIndex returns a copy of m without its diagonal entries, except (idx, idx).
func MaskDiagSparseExceptIndex(m SparseMatrix, idx int) SparseMatrix {
	out := m.Clone()
	maskDiagInPlace(out, idx)
	return out
}

func maskDiagInPlace(m SparseMatrix, except int) {
	filterInPlace(m, func(i int, e SparseEntry) bool {
		return int(e.Col) != i || i == except
	})
}

// VecMaskSparseMatrix returns a copy of m without the cells (i, j) for which
// maskFn(first[i], second[j]) is true; missing vector entries read as 0.
func VecMaskSparseMatrix(m SparseMatrix, first, second []uint64, maskFn func(a, b uint64) bool) SparseMatrix {
	out := m.Clone()
	vecMaskInPlace(out, first, second, maskFn)
	return out
}

func vecMaskInPlace(m SparseMatrix, first, second []uint64, maskFn func(a, b uint64) bool) {
	filterInPlace(m, func(i int, e SparseEntry) bool {
		return !maskFn(getU64(first, i), getU64(second, int(e.Col)))
	})
}

// ScalarVecMaskSparseMatrix returns a copy of m without the cells (i, j) for which
// maskFn(scalar, vector[j]) is true; missing vector entries read as 0.
func ScalarVecMaskSparseMatrix(m SparseMatrix, scalar uint64, vector []uint64, maskFn func(a, b uint64) bool) SparseMatrix {
	out := m.Clone()
	filterInPlace(out, func(_ int, e SparseEntry) bool {
		return !maskFn(scalar, getU64(vector, int(e.Col)))
	})
	return out
}

func getU64(v []uint64, i int) uint64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func getFixed(v []I32F32, i int) I32F32 {
	if i >= 0 && i < len(v) {
		return v[i]
	}
	return 0
}

// RowHadamardSparse returns m_ij × v_i (saturating); rows beyond len(v) are dropped.
func RowHadamardSparse(m SparseMatrix, v []I32F32) SparseMatrix {
	rows := min(len(m), len(v))
	out := newSparseLike(m[:rows])
	for i := 0; i < rows; i++ {
		for _, e := range m[i] {
			out[i] = append(out[i], SparseEntry{e.Col, e.Val.SaturatingMul(v[i])})
		}
	}
	return out
}

// RowSumSparse returns the (plain) sum of each row.
func RowSumSparse(m SparseMatrix) []I32F32 {
	out := make([]I32F32, len(m))
	for i, row := range m {
		var s I32F32
		for _, e := range row {
			s += e.Val
		}
		out[i] = s
	}
	return out
}

// MatMulSparse returns result_j = Σ_i v_i × m_ij (saturating) for j < columns.
func MatMulSparse(m SparseMatrix, v []I32F32, columns int) []I32F32 {
	out := make([]I32F32, columns)
	for i, row := range m {
		scale := getFixed(v, i)
		for _, e := range row {
			if int(e.Col) < columns {
				out[e.Col] = out[e.Col].SaturatingAdd(scale.SaturatingMul(e.Val))
			}
		}
	}
	return out
}

// MatMulTransposeSparse returns result_i = Σ_j v_j × m_ij (saturating); missing v_j read as 0.
func MatMulTransposeSparse(m SparseMatrix, v []I32F32) []I32F32 {
	out := make([]I32F32, len(m))
	for i, row := range m {
		var s I32F32
		for _, e := range row {
			s = s.SaturatingAdd(getFixed(v, int(e.Col)).SaturatingMul(e.Val))
		}
		out[i] = s
	}
	return out
}

// MatVecMulSparse returns m_ij × v_j (saturating) for j < len(v), dropping zero products.
func MatVecMulSparse(m SparseMatrix, v []I32F32) SparseMatrix {
	out := newSparseLike(m)
	for i, row := range m {
		for _, e := range row {
			if int(e.Col) < len(v) {
				if p := e.Val.SaturatingMul(v[e.Col]); p != 0 {
					out[i] = append(out[i], SparseEntry{e.Col, p})
				}
			}
		}
	}
	return out
}

// ColClipSparse clips each entry to its column threshold: an entry above a positive threshold
// becomes the threshold, an entry above a threshold <= 0 is dropped, other entries (including
// explicit zeros) are kept. A missing threshold reads as 0.
func ColClipSparse(m SparseMatrix, threshold []I32F32) SparseMatrix {
	out := newSparseLike(m)
	for i, row := range m {
		for _, e := range row {
			th := getFixed(threshold, int(e.Col))
			if th < e.Val {
				if th > 0 {
					out[i] = append(out[i], SparseEntry{e.Col, th})
				}
			} else {
				out[i] = append(out[i], e)
			}
		}
	}
	return out
}

// WeightedMedianColSparse is the sparse column-wise stake-weighted median (the consensus). The
// rows with stake > 0 are kept in uid order, their stake is normalised, and for every column the
// score vector over those rows (a missing entry is a score of 0) goes through WeightedMedian with
// minority = stake_sum − majority.
//
// The work is O(nnz + columns × k) for k staked rows, and the memory O(nnz + k): the columns are
// filled one at a time from a transposed copy of the entries, and a column without entries is 0
// (all of its scores are 0, for which WeightedMedian returns 0).
func WeightedMedianColSparse(stake []I32F32, score SparseMatrix, columns int, majority I32F32) []I32F32 {
	useStake := make([]I32F32, 0, len(stake))
	for _, s := range stake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	InplaceNormalize(useStake)
	sum := Sum(useStake)
	minority := sum.SaturatingSub(majority)
	k := len(useStake)
	median := make([]I32F32, columns)
	if columns == 0 {
		return median
	}

	// Transpose the entries of staked rows (rows beyond len(score) have no entries): the k-index
	// (< n <= 65535, so a uint16) and the value of each cell, grouped by column in row order.
	counts := make([]int, columns+1)
	for r := 0; r < len(stake) && r < len(score); r++ {
		if stake[r] <= 0 {
			continue
		}
		for _, e := range score[r] {
			if int(e.Col) < columns {
				counts[int(e.Col)+1]++
			}
		}
	}
	for c := 1; c <= columns; c++ {
		counts[c] += counts[c-1]
	}
	cellK := make([]uint16, counts[columns])
	cellV := make([]I32F32, counts[columns])
	next := append([]int(nil), counts[:columns]...)
	kIdx := 0
	for r := 0; r < len(stake) && r < len(score); r++ {
		if stake[r] <= 0 {
			continue
		}
		for _, e := range score[r] {
			if int(e.Col) < columns {
				cellK[next[e.Col]], cellV[next[e.Col]] = uint16(kIdx), e.Val
				next[e.Col]++
			}
		}
		kIdx++
	}

	buf := make([]I32F32, k)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	var s medianScratch
	for c := 0; c < columns; c++ {
		lo, hi := counts[c], counts[c+1]
		if lo == hi {
			continue // every score is 0 → the median is 0
		}
		for x := lo; x < hi; x++ {
			buf[cellK[x]] = cellV[x] // in row order, so a duplicate column keeps the last value
		}
		median[c] = s.weightedMedian(useStake, buf, idx, minority, 0, sum)
		for x := lo; x < hi; x++ {
			buf[cellK[x]] = 0
		}
	}
	return median
}

// strictlyIncreasing reports whether the row's columns are strictly increasing.
func strictlyIncreasing(row []SparseEntry) bool {
	for k := 1; k < len(row); k++ {
		if row[k].Col <= row[k-1].Col {
			return false
		}
	}
	return true
}

// rowPairScratch densifies two sparse rows over a column range; reused across rows.
type rowPairScratch struct {
	a, b    []I32F32
	seen    []bool
	touched []int
}

func newRowPairScratch(columns int) *rowPairScratch {
	return &rowPairScratch{a: make([]I32F32, columns), b: make([]I32F32, columns), seen: make([]bool, columns)}
}

// forUnion calls f(j, a_j, b_j) in ascending column order for every column j < len(scratch) that
// appears in rowA or rowB, where a_j and b_j are the densified values (a later duplicate column
// overwrites an earlier one, as the reference's densification does; absent cells are 0).
// Strictly increasing rows are merged directly without the dense scratch.
func (s *rowPairScratch) forUnion(rowA, rowB []SparseEntry, f func(j int, a, b I32F32)) {
	columns := len(s.a)
	if strictlyIncreasing(rowA) && strictlyIncreasing(rowB) {
		p, q := 0, 0
		for p < len(rowA) || q < len(rowB) {
			var j int
			var a, b I32F32
			switch {
			case q >= len(rowB) || (p < len(rowA) && rowA[p].Col < rowB[q].Col):
				j, a = int(rowA[p].Col), rowA[p].Val
				p++
			case p >= len(rowA) || rowB[q].Col < rowA[p].Col:
				j, b = int(rowB[q].Col), rowB[q].Val
				q++
			default:
				j, a, b = int(rowA[p].Col), rowA[p].Val, rowB[q].Val
				p++
				q++
			}
			if j >= columns {
				continue
			}
			f(j, a, b)
		}
		return
	}
	s.touched = s.touched[:0]
	put := func(dst []I32F32, row []SparseEntry) {
		for _, e := range row {
			j := int(e.Col)
			if j >= columns {
				continue
			}
			dst[j] = e.Val
			if !s.seen[j] {
				s.seen[j] = true
				s.touched = append(s.touched, j)
			}
		}
	}
	put(s.a, rowA)
	put(s.b, rowB)
	sort.Ints(s.touched)
	for _, j := range s.touched {
		f(j, s.a[j], s.b[j])
		s.a[j], s.b[j], s.seen[j] = 0, 0, false
	}
}

// InterpolateSparse returns m1 + ratio × (m2 − m1). ratio = 0 returns a copy of m1 unchanged
// (explicit zeros included) and ratio = 1 a copy of m2; mismatched row counts return a copy of m2.
// Otherwise each row is densified over columns and only entries > 0 are kept, in column order.
func InterpolateSparse(m1, m2 SparseMatrix, columns int, ratio I32F32) SparseMatrix {
	return interpolateSparse(m1, m2, columns, ratio, true)
}

func interpolateSparse(m1, m2 SparseMatrix, columns int, ratio I32F32, copyShared bool) SparseMatrix {
	pick := func(m SparseMatrix) SparseMatrix {
		if copyShared {
			return m.Clone()
		}
		return m
	}
	if ratio == 0 {
		return pick(m1)
	}
	if ratio == I32F32One {
		return pick(m2)
	}
	if len(m1) != len(m2) {
		return pick(m2)
	}
	s := newRowPairScratch(columns)
	backing := make([]SparseEntry, 0, m1.NNZ()+m2.NNZ())
	out := make(SparseMatrix, len(m1))
	for i := range m1 {
		start := len(backing)
		s.forUnion(m1[i], m2[i], func(j int, v1, v2 I32F32) {
			if v := v1.SaturatingAdd(ratio.SaturatingMul(v2.SaturatingSub(v1))); v > 0 {
				backing = append(backing, SparseEntry{uint16(j), v})
			}
		})
		out[i] = backing[start:len(backing):len(backing)]
	}
	return out
}

// MatEmaSparse returns alpha × new + (1 − alpha) × old, densified per row over n = len(new)
// columns (the reference assumes a square matrix), keeping entries > 0 in column order. Every
// cell of the union decays, including bonds whose column is absent from the new row.
func MatEmaSparse(newM, oldM SparseMatrix, alpha I32F32) SparseMatrix {
	n := len(newM)
	if n == 0 {
		return SparseMatrix{}
	}
	oneMinus := I32F32One.SaturatingSub(alpha)
	s := newRowPairScratch(n)
	oldRow := func(i int) []SparseEntry {
		if i < len(oldM) {
			return oldM[i]
		}
		return nil
	}
	// Each row is built in a reused scratch buffer and then copied into an exactly sized slice.
	var buf []SparseEntry
	out := make(SparseMatrix, n)
	for i := range newM {
		buf = buf[:0]
		s.forUnionScaled(newM[i], oldRow(i), alpha, oneMinus, func(j int, v I32F32) {
			if v > 0 {
				buf = append(buf, SparseEntry{uint16(j), v})
			}
		})
		if len(buf) > 0 {
			out[i] = append(make([]SparseEntry, 0, len(buf)), buf...)
		}
	}
	return out
}

// forUnionScaled emits, in column order, Σ alpha×new_j + Σ oneMinus×old_j with the reference's
// saturating accumulation (all new terms first, then all old terms).
func (s *rowPairScratch) forUnionScaled(newRow, oldRow []SparseEntry, alpha, oneMinus I32F32, f func(j int, v I32F32)) {
	columns := len(s.a)
	if strictlyIncreasing(newRow) && strictlyIncreasing(oldRow) {
		p, q := 0, 0
		for p < len(newRow) || q < len(oldRow) {
			var j int
			var acc I32F32
			switch {
			case q >= len(oldRow) || (p < len(newRow) && newRow[p].Col < oldRow[q].Col):
				j, acc = int(newRow[p].Col), alpha.SaturatingMul(newRow[p].Val)
				p++
			case p >= len(newRow) || oldRow[q].Col < newRow[p].Col:
				j, acc = int(oldRow[q].Col), oneMinus.SaturatingMul(oldRow[q].Val)
				q++
			default:
				j = int(newRow[p].Col)
				acc = alpha.SaturatingMul(newRow[p].Val).SaturatingAdd(oneMinus.SaturatingMul(oldRow[q].Val))
				p++
				q++
			}
			if j < columns {
				f(j, acc)
			}
		}
		return
	}
	s.touched = s.touched[:0]
	put := func(row []SparseEntry, scale I32F32) {
		for _, e := range row {
			j := int(e.Col)
			if j >= columns {
				continue
			}
			s.a[j] = s.a[j].SaturatingAdd(scale.SaturatingMul(e.Val))
			if !s.seen[j] {
				s.seen[j] = true
				s.touched = append(s.touched, j)
			}
		}
	}
	put(newRow, alpha)
	put(oldRow, oneMinus)
	sort.Ints(s.touched)
	for _, j := range s.touched {
		f(j, s.a[j])
		s.a[j], s.seen[j] = 0, false
	}
}

// alphaSource supplies the per-cell EMA coefficients of MatEmaAlphaSparse.
type alphaSource interface {
	// rowLen is the length of alpha row i: columns at or beyond it are ignored.
	rowLen(i int) int
	// beginRow is called before alpha(i, ·) is asked for any column of row i.
	beginRow(i int)
	alpha(i, j int) I32F32
}

type denseAlpha Matrix

func (d denseAlpha) rowLen(i int) int      { return len(d[i]) }
func (d denseAlpha) beginRow(int)          {}
func (d denseAlpha) alpha(i, j int) I32F32 { return d[i][j] }

// MatEmaAlphaSparse is the liquid-alpha bond EMA. For each row, the old entries decay to
// (1 − a_ij) × old_ij, and then only the columns present in the new row are emitted, in the new
// row's order: min(decayed_j + max(a_ij × new_ij, 0), 1) when > 0. An old bond whose column is
// absent from the new row is dropped. Mismatched row counts return a copy of new.
func MatEmaAlphaSparse(newM, oldM SparseMatrix, alpha Matrix) SparseMatrix {
	if len(newM) != len(oldM) || len(newM) != len(alpha) {
		return newM.Clone()
	}
	cols := 0
	for _, r := range alpha {
		cols = max(cols, len(r))
	}
	return matEmaAlphaSparse(newM, oldM, cols, denseAlpha(alpha))
}

// matEmaAlphaSparse assumes len(newM) == len(oldM) and every alpha row no longer than cols.
func matEmaAlphaSparse(newM, oldM SparseMatrix, cols int, src alphaSource) SparseMatrix {
	oldVal := make([]I32F32, cols)
	oldSet := make([]bool, cols)
	out := newSparseLike(newM)
	for i, newRow := range newM {
		rl := src.rowLen(i)
		src.beginRow(i)
		for _, e := range oldM[i] {
			if int(e.Col) < rl {
				oldVal[e.Col], oldSet[e.Col] = e.Val, true
			}
		}
		for _, e := range newRow {
			j := int(e.Col)
			if j >= rl {
				continue
			}
			a := src.alpha(i, j)
			var decayed I32F32
			if oldSet[j] {
				decayed = I32F32One.SaturatingSub(a).SaturatingMul(oldVal[j])
			}
			v := decayed.SaturatingAdd(a.SaturatingMul(e.Val).Max(0)).Min(I32F32One)
			if v > 0 {
				out[i] = append(out[i], SparseEntry{e.Col, v})
			}
		}
		for _, e := range oldM[i] {
			if int(e.Col) < rl {
				oldVal[e.Col], oldSet[e.Col] = 0, false
			}
		}
	}
	return out
}
