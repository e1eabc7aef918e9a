package vectortest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
)

// Typed inputs of the math functions. A field without ",omitempty" is required.
type (
	vectorIn struct {
		Vector []lit `json:"vector"`
	}
	xIn struct {
		X []lit `json:"x"`
	}
	xyIn struct {
		X []lit `json:"x"`
		Y []lit `json:"y"`
	}
	abIn struct {
		A []lit `json:"a"`
		B []lit `json:"b"`
	}
	topKIn struct {
		Vector []lit `json:"vector"`
		K      lit   `json:"k"`
	}
	maxLimitedIn struct {
		Vector   []lit `json:"vector"`
		MaxLimit lit   `json:"max_limit"`
	}
	bondsMovingAverageIn struct {
		BondsMovingAverage lit `json:"bonds_moving_average"`
	}
	fractionIn struct {
		Numerator   lit `json:"numerator"`
		Denominator lit `json:"denominator"`
	}
	sigmoidIn struct {
		Input []lit `json:"input"`
		Rho   lit   `json:"rho"`
		Kappa lit   `json:"kappa"`
	}
	matrixIn struct {
		Matrix [][]lit `json:"matrix"`
	}
	matrixIndexIn struct {
		Matrix      [][]lit `json:"matrix"`
		ExceptIndex lit     `json:"except_index"`
	}
	matrixVectorIn struct {
		Matrix [][]lit `json:"matrix"`
		Vector []lit   `json:"vector"`
	}
	colClipIn struct {
		Matrix       [][]lit `json:"matrix"`
		ColThreshold []lit   `json:"col_threshold"`
	}
	sparseIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
	}
	sparseColumnsIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
		Columns      lit       `json:"columns"`
	}
	sparseIndexIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
		ExceptIndex  lit       `json:"except_index"`
	}
	sparseVectorIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
		Vector       []lit     `json:"vector"`
	}
	sparseVectorColumnsIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
		Vector       []lit     `json:"vector"`
		Columns      lit       `json:"columns"`
	}
	colClipSparseIn struct {
		SparseMatrix [][][]lit `json:"sparse_matrix"`
		ColThreshold []lit     `json:"col_threshold"`
	}
	maskVectorIn struct {
		Mask   []bool `json:"mask"`
		Vector []lit  `json:"vector"`
	}
	maskMatrixIn struct {
		Mask   [][]bool `json:"mask"`
		Matrix [][]lit  `json:"matrix"`
	}
	maskRowsIn struct {
		Mask   []bool  `json:"mask"`
		Matrix [][]lit `json:"matrix"`
	}
	maskRowsSparseIn struct {
		Mask         []bool    `json:"mask"`
		SparseMatrix [][][]lit `json:"sparse_matrix"`
	}
	medianColIn struct {
		Stake    []lit   `json:"stake"`
		Score    [][]lit `json:"score"`
		Majority lit     `json:"majority"`
	}
	medianColSparseIn struct {
		Stake    []lit     `json:"stake"`
		Score    [][][]lit `json:"score"`
		Columns  lit       `json:"columns"`
		Majority lit       `json:"majority"`
	}
	medianIn struct {
		Stake                  []lit `json:"stake"`
		Score                  []lit `json:"score"`
		Majority               lit   `json:"majority"`
		StakeIsNormalizedFirst *bool `json:"stake_is_normalized_first,omitempty"`
		PartitionIdx           lit   `json:"partition_idx"`
		Minority               lit   `json:"minority"`
		PartitionLo            lit   `json:"partition_lo"`
		PartitionHi            lit   `json:"partition_hi"`
	}
	descriptionIn struct {
		Description string `json:"description"`
	}
	interpolateIn struct {
		Mat1  [][]lit `json:"mat1"`
		Mat2  [][]lit `json:"mat2"`
		Ratio lit     `json:"ratio"`
	}
	interpolateSparseIn struct {
		Mat1    [][][]lit `json:"mat1"`
		Mat2    [][][]lit `json:"mat2"`
		Ratio   lit       `json:"ratio"`
		Columns lit       `json:"columns"`
	}
	emaIn struct {
		New   [][]lit `json:"new"`
		Old   [][]lit `json:"old"`
		Alpha [][]lit `json:"alpha"`
	}
	emaSparseIn struct {
		New   [][][]lit `json:"new"`
		Old   [][][]lit `json:"old"`
		Alpha [][]lit   `json:"alpha"`
	}
	computeBondsIn struct {
		Weights            [][]lit `json:"weights"`
		Bonds              [][]lit `json:"bonds"`
		Consensus          []lit   `json:"consensus"`
		AlphaValuesU16     []lit   `json:"alpha_values_u16"`
		BondsMovingAverage lit     `json:"bonds_moving_average"`
	}
	relationsIn struct {
		Relations []string `json:"relations"`
	}
	checkedSumIn struct {
		Cases [][]lit `json:"cases"`
	}
)

// vecMaskFnKey is the (comma-holding, so not a struct tag) key of the mask function.
const vecMaskFnKey = "mask_fn(a=first[i], b=second[j])"

// vecMaskIn is the input of vec_mask_sparse_matrix.
type vecMaskIn struct {
	SparseMatrix [][][]lit `json:"sparse_matrix"`
	FirstVector  []lit     `json:"first_vector"`
	SecondVector []lit     `json:"second_vector"`
	MaskFn       string    `json:"-"` // under vecMaskFnKey
}

// UnmarshalJSON takes the mask function out of its key and decodes the rest strictly.
func (v *vecMaskIn) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	fn, ok := all[vecMaskFnKey]
	if !ok {
		return fmt.Errorf("missing %q", vecMaskFnKey)
	}
	if err := json.Unmarshal(fn, &v.MaskFn); err != nil {
		return fmt.Errorf("%s: %w", vecMaskFnKey, err)
	}
	delete(all, vecMaskFnKey)
	rest, err := json.Marshal(all)
	if err != nil {
		return err
	}
	type plain vecMaskIn // without the method
	p := (*plain)(v)
	return strict(rest, p, "inputs")
}

// mathOps dispatches a math vector on its function name. A name missing here fails the vector.
var mathOps = map[string]mathOp{
	"vec_max_upscale_to_u16": op(func(m *mathCase, in *vectorIn) error {
		v, err := m.vec("vector", in.Vector)
		if err != nil {
			return err
		}
		return m.checkU16(yuma.VecMaxUpscaleToU16(v))
	}),
	"vec_u16_max_upscale_to_u16": op(func(m *mathCase, in *vectorIn) error {
		v, err := u16s("vector", in.Vector)
		if err != nil {
			return err
		}
		return m.checkU16(yuma.VecU16MaxUpscaleToU16(v))
	}),
	"check_vec_max_limited": op(func(m *mathCase, in *maxLimitedIn) error {
		v, err := u16s("vector", in.Vector)
		if err != nil {
			return err
		}
		lim, err := literal.Uint(in.MaxLimit.v, 16)
		if err != nil {
			return fmt.Errorf("max_limit: %w", err)
		}
		var want bool
		if err := m.decodeExpected(&want); err != nil {
			return err
		}
		got := yuma.CheckVecMaxLimited(v, uint16(lim))
		m.c.check(got == want, "got %v, want %v", got, want)
		return nil
	}),
	"bonds_moving_average_to_alpha": op(func(m *mathCase, in *bondsMovingAverageIn) error {
		bma, err := u64("bonds_moving_average", in.BondsMovingAverage)
		if err != nil {
			return err
		}
		return m.checkScalar(yuma.BondsMovingAverageAlpha(bma))
	}),
	"u64_fraction_I64F64_then_I32F32": op(u64Fraction),
	"sigmoid_safe":                    op(sigmoid),
	"exp_safe":                        op(expSafeRelations),
	"is_topk": op(func(m *mathCase, in *topKIn) error {
		v, err := m.vec("vector", in.Vector)
		if err != nil {
			return err
		}
		k, err := count("k", in.K)
		if err != nil {
			return err
		}
		return m.checkBools(yuma.IsTopK(v, k))
	}),
	"normalize": op(func(m *mathCase, in *xIn) error {
		x, err := m.vec("x", in.X)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.Normalize(x))
	}),
	"inplace_normalize": op(func(m *mathCase, in *xIn) error {
		x, err := m.vec("x", in.X)
		if err != nil {
			return err
		}
		yuma.InplaceNormalize(x)
		return m.checkVec(x)
	}),
	"inplace_normalize_64":    op(normalize64),
	"vecdiv":                  op(vecdiv),
	"inplace_row_normalize":   matrixInPlace(yuma.InplaceRowNormalize),
	"inplace_col_normalize":   matrixInPlace(yuma.InplaceColNormalize),
	"inplace_col_max_upscale": matrixInPlace(yuma.InplaceColMaxUpscale),
	"inplace_mask_diag":       matrixInPlace(yuma.InplaceMaskDiag),
	"inplace_mask_diag_except_index": op(func(m *mathCase, in *matrixIndexIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		idx, err := count("except_index", in.ExceptIndex)
		if err != nil {
			return err
		}
		yuma.InplaceMaskDiagExceptIndex(x, idx)
		return m.checkMatrix(x)
	}),
	"inplace_row_normalize_sparse": op(func(m *mathCase, in *sparseIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		yuma.InplaceRowNormalizeSparse(x)
		return m.checkSparse(x)
	}),
	"mask_diag_sparse": op(func(m *mathCase, in *sparseIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MaskDiagSparse(x))
	}),
	"row_sum_sparse": op(func(m *mathCase, in *sparseIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.RowSumSparse(x))
	}),
	"inplace_col_normalize_sparse":   sparseColumnsInPlace(yuma.InplaceColNormalizeSparse),
	"inplace_col_max_upscale_sparse": sparseColumnsInPlace(yuma.InplaceColMaxUpscaleSparse),
	"mask_diag_sparse_except_index": op(func(m *mathCase, in *sparseIndexIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		idx, err := count("except_index", in.ExceptIndex)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MaskDiagSparseExceptIndex(x, idx))
	}),
	"inplace_mask_vector": op(func(m *mathCase, in *maskVectorIn) error {
		v, err := m.vec("vector", in.Vector)
		if err != nil {
			return err
		}
		yuma.InplaceMaskVector(in.Mask, v)
		return m.checkVec(v)
	}),
	"inplace_mask_matrix": op(func(m *mathCase, in *maskMatrixIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		yuma.InplaceMaskMatrix(in.Mask, x)
		return m.checkMatrix(x)
	}),
	"inplace_mask_rows": op(func(m *mathCase, in *maskRowsIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		yuma.InplaceMaskRows(in.Mask, x)
		return m.checkMatrix(x)
	}),
	"mask_rows_sparse": op(func(m *mathCase, in *maskRowsSparseIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MaskRowsSparse(in.Mask, x))
	}),
	"vec_mask_sparse_matrix": op(vecMask),
	"vec_mul": op(func(m *mathCase, in *abIn) error {
		a, err := m.vec("a", in.A)
		if err != nil {
			return err
		}
		b, err := m.vec("b", in.B)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.VecMul(a, b))
	}),
	"mat_vec_mul":      matrixVectorToMatrix(yuma.MatVecMul),
	"row_hadamard":     matrixVectorToMatrix(yuma.RowHadamard),
	"matmul":           matrixVectorToVector(yuma.MatMul),
	"matmul_transpose": matrixVectorToVector(yuma.MatMulTranspose),
	"row_sum": op(func(m *mathCase, in *matrixIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.RowSum(x))
	}),
	"mat_vec_mul_sparse":  sparseVectorToSparse(yuma.MatVecMulSparse),
	"row_hadamard_sparse": sparseVectorToSparse(yuma.RowHadamardSparse),
	"matmul_transpose_sparse": op(func(m *mathCase, in *sparseVectorIn) error {
		x, v, err := m.sparseAndVector(in.SparseMatrix, in.Vector)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.MatMulTransposeSparse(x, v))
	}),
	"matmul_sparse": op(func(m *mathCase, in *sparseVectorColumnsIn) error {
		x, v, err := m.sparseAndVector(in.SparseMatrix, in.Vector)
		if err != nil {
			return err
		}
		cols, err := count("columns", in.Columns)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.MatMulSparse(x, v, cols))
	}),
	"inplace_col_clip": op(func(m *mathCase, in *colClipIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		th, err := m.vec("col_threshold", in.ColThreshold)
		if err != nil {
			return err
		}
		yuma.InplaceColClip(x, th)
		return m.checkMatrix(x)
	}),
	"col_clip_sparse": op(func(m *mathCase, in *colClipSparseIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		th, err := m.vec("col_threshold", in.ColThreshold)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.ColClipSparse(x, th))
	}),
	"weighted_median":          op(weightedMedian),
	"weighted_median_property": op(weightedMedianProperty),
	"weighted_median_col": op(func(m *mathCase, in *medianColIn) error {
		stake, maj, err := m.stakeAndMajority(in.Stake, in.Majority)
		if err != nil {
			return err
		}
		score, err := m.matrix("score", in.Score)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.WeightedMedianCol(stake, score, maj))
	}),
	"weighted_median_col_sparse": op(func(m *mathCase, in *medianColSparseIn) error {
		stake, maj, err := m.stakeAndMajority(in.Stake, in.Majority)
		if err != nil {
			return err
		}
		score, err := m.sparse("score", in.Score)
		if err != nil {
			return err
		}
		cols, err := count("columns", in.Columns)
		if err != nil {
			return err
		}
		return m.checkVec(yuma.WeightedMedianColSparse(stake, score, cols, maj))
	}),
	"interpolate": op(func(m *mathCase, in *interpolateIn) error {
		a, err := m.matrix("mat1", in.Mat1)
		if err != nil {
			return err
		}
		b, err := m.matrix("mat2", in.Mat2)
		if err != nil {
			return err
		}
		ratio, err := m.fixed("ratio", in.Ratio)
		if err != nil {
			return err
		}
		return m.checkMatrix(yuma.Interpolate(a, b, ratio))
	}),
	"interpolate_sparse": op(func(m *mathCase, in *interpolateSparseIn) error {
		a, err := m.sparse("mat1", in.Mat1)
		if err != nil {
			return err
		}
		b, err := m.sparse("mat2", in.Mat2)
		if err != nil {
			return err
		}
		ratio, err := m.fixed("ratio", in.Ratio)
		if err != nil {
			return err
		}
		cols, err := count("columns", in.Columns)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.InterpolateSparse(a, b, cols, ratio))
	}),
	"mat_ema_alpha": op(matEmaAlpha),
	"mat_ema_alpha_sparse": op(func(m *mathCase, in *emaSparseIn) error {
		nw, err := m.sparse("new", in.New)
		if err != nil {
			return err
		}
		old, err := m.sparse("old", in.Old)
		if err != nil {
			return err
		}
		alpha, err := m.matrix("alpha", in.Alpha)
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MatEmaAlphaSparse(nw, old, alpha))
	}),
	"compute_bonds": op(computeBonds),
	"fixed_to_u16":  fixedToUint(func(v yuma.I32F32) uint64 { return uint64(v.SaturatingToU16()) }),
	"fixed_to_u64":  fixedToUint(yuma.I32F32.SaturatingToU64),
	"fixed_proportion_to_u16": fixedToUint(func(v yuma.I32F32) uint64 {
		return uint64(yuma.FixedProportionToU16(v))
	}),
	"fixed64_to_fixed32": op(func(m *mathCase, in *xIn) error {
		enc, err := m.encFor("x")
		if err != nil {
			return err
		}
		got := make([]yuma.I32F32, len(in.X))
		for i, x := range in.X {
			f, err := literal.I64F64(x.v, enc)
			if err != nil {
				return fmt.Errorf("x[%d]: %w", i, err)
			}
			got[i] = f.SaturatingToI32F32()
		}
		return m.checkVec(got)
	}),
	"checked_sum": op(checkedSum),
}

// matrixInPlace runs an in-place dense matrix primitive on "matrix".
func matrixInPlace(f func(yuma.Matrix)) mathOp {
	return op(func(m *mathCase, in *matrixIn) error {
		x, err := m.matrix("matrix", in.Matrix)
		if err != nil {
			return err
		}
		f(x)
		return m.checkMatrix(x)
	})
}

// sparseColumnsInPlace runs an in-place sparse primitive that takes the column count.
func sparseColumnsInPlace(f func(yuma.SparseMatrix, int)) mathOp {
	return op(func(m *mathCase, in *sparseColumnsIn) error {
		x, err := m.sparse("sparse_matrix", in.SparseMatrix)
		if err != nil {
			return err
		}
		cols, err := count("columns", in.Columns)
		if err != nil {
			return err
		}
		f(x, cols)
		return m.checkSparse(x)
	})
}

func (m *mathCase) matrixAndVector(x [][]lit, v []lit) (yuma.Matrix, []yuma.I32F32, error) {
	mat, err := m.matrix("matrix", x)
	if err != nil {
		return nil, nil, err
	}
	vec, err := m.vec("vector", v)
	return mat, vec, err
}

func matrixVectorToMatrix(f func(yuma.Matrix, []yuma.I32F32) yuma.Matrix) mathOp {
	return op(func(m *mathCase, in *matrixVectorIn) error {
		x, v, err := m.matrixAndVector(in.Matrix, in.Vector)
		if err != nil {
			return err
		}
		return m.checkMatrix(f(x, v))
	})
}

func matrixVectorToVector(f func(yuma.Matrix, []yuma.I32F32) []yuma.I32F32) mathOp {
	return op(func(m *mathCase, in *matrixVectorIn) error {
		x, v, err := m.matrixAndVector(in.Matrix, in.Vector)
		if err != nil {
			return err
		}
		return m.checkVec(f(x, v))
	})
}

func (m *mathCase) sparseAndVector(x [][][]lit, v []lit) (yuma.SparseMatrix, []yuma.I32F32, error) {
	mat, err := m.sparse("sparse_matrix", x)
	if err != nil {
		return nil, nil, err
	}
	vec, err := m.vec("vector", v)
	return mat, vec, err
}

func sparseVectorToSparse(f func(yuma.SparseMatrix, []yuma.I32F32) yuma.SparseMatrix) mathOp {
	return op(func(m *mathCase, in *sparseVectorIn) error {
		x, v, err := m.sparseAndVector(in.SparseMatrix, in.Vector)
		if err != nil {
			return err
		}
		return m.checkSparse(f(x, v))
	})
}

func (m *mathCase) stakeAndMajority(stake []lit, majority lit) ([]yuma.I32F32, yuma.I32F32, error) {
	s, err := m.vec("stake", stake)
	if err != nil {
		return nil, 0, err
	}
	maj, err := m.fixed("majority", majority)
	return s, maj, err
}

// fixedToUint checks a per-element conversion of "x" to integers against the expected list.
func fixedToUint(f func(yuma.I32F32) uint64) mathOp {
	return op(func(m *mathCase, in *xIn) error {
		x, err := m.vec("x", in.X)
		if err != nil {
			return err
		}
		got := make([]uint64, len(x))
		for i, v := range x {
			got[i] = f(v)
		}
		return m.checkUints(got, 64)
	})
}

func u64Fraction(m *mathCase, in *fractionIn) error {
	num, err := u64("numerator", in.Numerator)
	if err != nil {
		return err
	}
	den, err := u64("denominator", in.Denominator)
	if err != nil {
		return err
	}
	q64, ok := yuma.I64F64FromUint64(num).CheckedDiv(yuma.I64F64FromUint64(den))
	if !ok {
		return fmt.Errorf("division failed")
	}
	q32 := q64.SaturatingToI32F32()
	var want struct {
		I64F64 *lit `json:"I64F64,omitempty"`
		I32F32 *lit `json:"I32F32,omitempty"`
	}
	if err := m.decodeExpected(&want); err != nil {
		return err
	}
	encOf := func(key string) (string, error) {
		s := m.enc["expected."+key]
		if s == "" {
			s = "f64"
		}
		return literal.Classify(s)
	}
	if want.I32F32 != nil {
		enc, err := encOf("I32F32")
		if err != nil {
			return err
		}
		w, err := literal.Fixed(want.I32F32.v, enc)
		if err != nil {
			return err
		}
		m.c.check(m.fixedEq(q32, w), "I32F32: got %s, want %s", q32, w)
	}
	if want.I64F64 != nil {
		enc, err := encOf("I64F64")
		if err != nil {
			return err
		}
		w, err := literal.I64F64(want.I64F64.v, enc)
		if err != nil {
			return err
		}
		m.c.check(q64 == w, "I64F64: got %v, want %v", q64, w)
	}
	return nil
}

func sigmoid(m *mathCase, in *sigmoidIn) error {
	x, err := m.vec("input", in.Input)
	if err != nil {
		return err
	}
	rho, err := m.fixed("rho", in.Rho)
	if err != nil {
		return err
	}
	kappa, err := m.fixed("kappa", in.Kappa)
	if err != nil {
		return err
	}
	got := make([]yuma.I32F32, len(x))
	for i, v := range x {
		got[i] = yuma.SigmoidSafe(v, rho, kappa)
	}
	return m.checkVec(got)
}

// expSafeRelations checks the relation-only exp_safe vector.
func expSafeRelations(m *mathCase, in *relationsIn) error {
	if err := m.noExpected(); err != nil {
		return err
	}
	exp := func(x yuma.I32F32) yuma.I32F32 {
		r, ok := yuma.Exp(x)
		if !ok {
			return -1 // never a valid exp result
		}
		return r
	}
	i := yuma.I32F32FromInt
	for _, s := range in.Relations {
		head, _, _ := strings.Cut(s, " (")
		switch head {
		case "exp_safe(0) == exp(0) == 1":
			m.c.check(yuma.ExpSafe(0) == exp(0) && exp(0) == yuma.I32F32One, "%s", head)
		case "exp_safe(1) == exp(1) == I32F32::from(consts::E as I9F23)":
			// 0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103 = 22802600 (I9F23) = 2.71828174591064453125
			e := yuma.FromBits(22802600 << 9)
			m.c.check(yuma.ExpSafe(i(1)) == exp(i(1)) && exp(i(1)) == e && e.String() == "2.71828174591064453125", "%s: got %s", head, yuma.ExpSafe(i(1)))
		case "exp_safe(-20) == exp_safe(-21) == exp_safe(I32F32::MIN) == exp(-20)":
			a := yuma.ExpSafe(i(-20))
			m.c.check(a == yuma.ExpSafe(i(-21)) && a == yuma.ExpSafe(yuma.I32F32Min) && a == exp(i(-20)) && a > 0, "%s", head)
		case "exp_safe(20) == exp_safe(21) == exp_safe(I32F32::MAX) == exp(20)":
			a := yuma.ExpSafe(i(20))
			m.c.check(a == yuma.ExpSafe(i(21)) && a == yuma.ExpSafe(yuma.I32F32Max) && a == exp(i(20)) && a > 0, "%s", head)
		default:
			return fmt.Errorf("unknown exp_safe relation %q", s)
		}
	}
	return nil
}

func normalize64(m *mathCase, in *xIn) error {
	enc, err := m.encFor("x")
	if err != nil {
		return err
	}
	conv := func(l []lit, path string) ([]yuma.I64F64, error) {
		out := make([]yuma.I64F64, len(l))
		for i, x := range l {
			var err error
			if out[i], err = literal.I64F64(x.v, enc); err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", path, i, err)
			}
		}
		return out, nil
	}
	x, err := conv(in.X, "x")
	if err != nil {
		return err
	}
	var wl []lit
	if err := m.decodeExpected(&wl); err != nil {
		return err
	}
	want, err := conv(wl, "expected")
	if err != nil {
		return err
	}
	yuma.InplaceNormalize64(x)
	ok := len(x) == len(want)
	for i := 0; ok && i < len(x); i++ {
		d := literal.BigOfI64F64(x[i])
		d.Sub(d, literal.BigOfI64F64(want[i]))
		d.Abs(d)
		if m.mode == "exact" {
			ok = d.Sign() == 0
		} else {
			ok = d.Cmp(literal.BigOfI64F64(m.eps64)) <= 0
		}
	}
	m.c.check(ok, "got %v, want %v", x, want)
	return nil
}

// vecdiv: expected is a vector, or {"bits": [I32F32 bits…], "expr": […]} for exact quotients.
func vecdiv(m *mathCase, in *xyIn) error {
	x, err := m.vec("x", in.X)
	if err != nil {
		return err
	}
	y, err := m.vec("y", in.Y)
	if err != nil {
		return err
	}
	got := yuma.VecDiv(x, y)
	if !isObject(m.expected) {
		return m.checkVec(got)
	}
	var e struct {
		Bits []lit    `json:"bits"`
		Expr []string `json:"expr,omitempty"` // informational
	}
	if err := m.decodeExpected(&e); err != nil {
		return err
	}
	want := make([]yuma.I32F32, len(e.Bits))
	for i, b := range e.Bits {
		v, err := literal.Int(b.v)
		if err != nil {
			return fmt.Errorf("expected.bits[%d]: %w", i, err)
		}
		want[i] = yuma.FromBits(v)
	}
	m.checkVecValues(got, want, "")
	return nil
}

func parseMaskFn(s string) (func(a, b uint64) bool, error) {
	t := strings.Fields(s)
	if len(t) != 3 || t[0] != "a" || t[2] != "b" {
		return nil, fmt.Errorf("unknown mask function %q", s)
	}
	switch t[1] {
	case "==":
		return func(a, b uint64) bool { return a == b }, nil
	case "!=":
		return func(a, b uint64) bool { return a != b }, nil
	case "<":
		return func(a, b uint64) bool { return a < b }, nil
	case "<=":
		return func(a, b uint64) bool { return a <= b }, nil
	case ">":
		return func(a, b uint64) bool { return a > b }, nil
	case ">=":
		return func(a, b uint64) bool { return a >= b }, nil
	}
	return nil, fmt.Errorf("unknown mask function %q", s)
}

func vecMask(m *mathCase, in *vecMaskIn) error {
	x, err := m.sparse("sparse_matrix", in.SparseMatrix)
	if err != nil {
		return err
	}
	first, err := uints("first_vector", in.FirstVector, 64)
	if err != nil {
		return err
	}
	second, err := uints("second_vector", in.SecondVector, 64)
	if err != nil {
		return err
	}
	f, err := parseMaskFn(in.MaskFn)
	if err != nil {
		return err
	}
	return m.checkSparse(yuma.VecMaskSparseMatrix(x, first, second, f))
}

// describes checks that a descriptive input field has one of the expected texts.
func describes(field string, v lit, texts ...string) error {
	for _, t := range texts {
		if s, ok := v.v.(string); ok && s == t {
			return nil
		}
		if t == "0" {
			if x, err := literal.Uint(v.v, 64); err == nil && x == 0 {
				return nil
			}
		}
	}
	return fmt.Errorf("%s = %v: want one of %q", field, v.v, texts)
}

func weightedMedian(m *mathCase, in *medianIn) error {
	stake, maj, err := m.stakeAndMajority(in.Stake, in.Majority)
	if err != nil {
		return err
	}
	score, err := m.vec("score", in.Score)
	if err != nil {
		return err
	}
	if in.StakeIsNormalizedFirst != nil && *in.StakeIsNormalizedFirst {
		yuma.InplaceNormalize(stake)
	}
	if err := describes("partition_idx", in.PartitionIdx, "0..len"); err != nil {
		return err
	}
	if err := describes("minority", in.Minority, "1 - majority", "1 - majority (I32F32)"); err != nil {
		return err
	}
	if err := describes("partition_lo", in.PartitionLo, "0"); err != nil {
		return err
	}
	if err := describes("partition_hi", in.PartitionHi, "sum(stake)", "sum(stake) (I32F32 sum)"); err != nil {
		return err
	}
	idx := make([]int, len(stake))
	for i := range idx {
		idx[i] = i
	}
	got := yuma.WeightedMedian(stake, score, idx, yuma.I32F32One-maj, 0, yuma.Sum(stake))
	return m.checkScalar(got)
}

// matEmaAlpha: expected is a matrix, or {"assert": "result[i][j] == old[i][j] (…)"}.
func matEmaAlpha(m *mathCase, in *emaIn) error {
	nw, err := m.matrix("new", in.New)
	if err != nil {
		return err
	}
	old, err := m.matrix("old", in.Old)
	if err != nil {
		return err
	}
	alpha, err := m.matrix("alpha", in.Alpha)
	if err != nil {
		return err
	}
	got := yuma.MatEmaAlpha(nw, old, alpha)
	if !isObject(m.expected) {
		return m.checkMatrix(got)
	}
	var e struct {
		Assert string `json:"assert"`
	}
	if err := m.decodeExpected(&e); err != nil {
		return err
	}
	head, _, _ := strings.Cut(e.Assert, " (")
	lhs, rhs, ok := strings.Cut(head, " == ")
	if !ok {
		return fmt.Errorf("unknown assertion %q", e.Assert)
	}
	cell := func(t string) (yuma.I32F32, error) {
		name, rest, _ := strings.Cut(strings.TrimSpace(t), "[")
		var i, j int
		if _, err := fmt.Sscanf("["+rest, "[%d][%d]", &i, &j); err != nil {
			return 0, fmt.Errorf("bad cell %q", t)
		}
		var mat yuma.Matrix
		switch name {
		case "result":
			mat = got
		case "new":
			mat = nw
		case "old":
			mat = old
		case "alpha":
			mat = alpha
		}
		if mat == nil || i < 0 || i >= len(mat) || j < 0 || j >= len(mat[i]) {
			return 0, fmt.Errorf("bad cell %q", t)
		}
		return mat[i][j], nil
	}
	a, err := cell(lhs)
	if err != nil {
		return err
	}
	b, err := cell(rhs)
	if err != nil {
		return err
	}
	m.c.check(a == b, "%s: %s != %s", head, a, b)
	return nil
}

// computeBonds checks the relation: liquid alpha with alpha_low == alpha_high equals the plain
// moving average.
func computeBonds(m *mathCase, in *computeBondsIn) error {
	w, err := m.matrix("weights", in.Weights)
	if err != nil {
		return err
	}
	b, err := m.matrix("bonds", in.Bonds)
	if err != nil {
		return err
	}
	cons, err := m.vec("consensus", in.Consensus)
	if err != nil {
		return err
	}
	alphas, err := uints("alpha_values_u16", in.AlphaValuesU16, 16)
	if err != nil || len(alphas) != 2 {
		return fmt.Errorf("alpha_values_u16: want [low, high]")
	}
	bma, err := u64("bonds_moving_average", in.BondsMovingAverage)
	if err != nil {
		return err
	}
	var e struct {
		Relation string `json:"relation"`
	}
	if err := m.decodeExpected(&e); err != nil {
		return err
	}
	const known = "compute_bonds with LiquidAlphaOn=true and alpha_low==alpha_high"
	if !strings.HasPrefix(e.Relation, known) || !strings.Contains(e.Relation, "equals compute_bonds with LiquidAlphaOn=false") {
		return fmt.Errorf("unknown relation %q", e.Relation)
	}
	par := yuma.DefaultParams()
	par.Yuma3 = true
	par.BondsMovingAverage = bma
	par.AlphaLow, par.AlphaHigh = uint16(alphas[0]), uint16(alphas[1])
	par.LiquidAlpha = true
	liquid := yuma.ComputeBonds(par, w, b, cons)
	par.LiquidAlpha = false
	plain := yuma.ComputeBonds(par, w, b, cons)
	m.c.check(len(liquid) == len(plain), "shapes differ")
	for i := 0; i < len(liquid) && i < len(plain); i++ {
		m.checkVecValues(liquid[i], plain[i], fmt.Sprintf("row %d", i))
	}
	return nil
}

// checkedSum: expected holds each case's sum, or null where the sum overflows u64.
func checkedSum(m *mathCase, in *checkedSumIn) error {
	var want []lit
	if err := m.decodeExpected(&want); err != nil {
		return err
	}
	if len(want) != len(in.Cases) {
		return fmt.Errorf("%d cases but %d expected values", len(in.Cases), len(want))
	}
	for i, cs := range in.Cases {
		l, err := uints(fmt.Sprintf("cases[%d]", i), cs, 64)
		if err != nil {
			return err
		}
		got, ok := yuma.CheckedSumU64(l)
		if want[i].v == nil {
			m.c.check(!ok, "case %d: got %d, want overflow", i, got)
			continue
		}
		w, err := literal.Uint(want[i].v, 64)
		if err != nil {
			return err
		}
		m.c.check(ok && got == w, "case %d: got %d (ok=%v), want %d", i, got, ok, w)
	}
	return nil
}
