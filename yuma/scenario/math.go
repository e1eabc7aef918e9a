package scenario

import (
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
)

// mathCase is one math vector: a single primitive call compared with its expected value.
type mathCase struct {
	c        *checker
	id       string
	in       *obj
	enc      *obj
	expected any
	mode     string // exact, abs_le or property
	epsBits  int64  // abs_le tolerance in I32F32 bits
	eps64    yuma.I64F64
}

func (r *runner) mathVector(v any, path string) {
	c := &checker{id: path}
	defer r.finish(c, "math")
	o, err := asObj(v, path)
	if err != nil {
		c.fail(err)
		return
	}
	c.id = vectorID(o, path)
	o.ignore("source", "note")
	m := &mathCase{c: c, id: c.id}
	fn, err := o.str("function")
	if err != nil {
		c.fail(err)
		return
	}
	iv, err := o.req("inputs")
	if err != nil {
		c.fail(err)
		return
	}
	if m.in, err = asObj(iv, c.id+".inputs"); err != nil {
		c.fail(err)
		return
	}
	m.expected, _ = o.get("expected")
	ev, _ := o.get("encoding")
	if ev == nil {
		ev = map[string]any{}
	}
	if m.enc, err = asObj(ev, c.id+".encoding"); err != nil {
		c.fail(err)
		return
	}
	cv, err := o.req("compare")
	if err != nil {
		c.fail(err)
		return
	}
	if err := m.parseCompare(cv); err != nil {
		c.fail(err)
		return
	}
	if err := o.checkUnknown(); err != nil {
		c.fail(err)
		return
	}
	before := c.checks
	if err := m.run(fn); err != nil {
		c.fail(fmt.Errorf("%s: %w", fn, err))
		return
	}
	if err := m.in.checkUnknown(); err != nil {
		c.fail(err)
		return
	}
	if c.checks == before {
		c.fail(fmt.Errorf("%s: nothing was checked", fn))
	}
}

func (m *mathCase) parseCompare(v any) error {
	o, err := asObj(v, m.id+".compare")
	if err != nil {
		return err
	}
	if m.mode, err = o.str("mode"); err != nil {
		return err
	}
	switch m.mode {
	case "exact", "property":
	case "abs_le":
		e, err := o.req("epsilon")
		if err != nil {
			return err
		}
		encName := "f64"
		if s := o.optStr("epsilon_encoding"); s != "" {
			encName = s
		}
		enc, err := classifyEncoding(encName)
		if err != nil {
			return err
		}
		if enc == encF64I64 {
			if m.eps64, err = i64f64Of(e, enc); err != nil {
				return err
			}
		} else {
			f, err := fixedOf(e, enc)
			if err != nil {
				return err
			}
			m.epsBits = f.Bits()
		}
	default:
		return fmt.Errorf("%s.compare: unknown mode %q", m.id, m.mode)
	}
	return o.checkUnknown()
}

// primaryFields are consulted (in order) for the encoding of "expected" when none is given.
var primaryFields = []string{"matrix", "sparse_matrix", "vector", "x", "mat1", "mat", "new", "score", "stake", "input", "a"}

// encFor returns the number encoding of an input field (or "expected").
func (m *mathCase) encFor(field string) (string, error) {
	if s, ok := m.enc.m[field].(string); ok {
		return classifyEncoding(s)
	}
	if field == "mat1" || field == "mat2" {
		if s, ok := m.enc.m["mat"].(string); ok {
			return classifyEncoding(s)
		}
	}
	if all, ok := m.enc.m["all"].(string); ok {
		if field == "alpha" && (strings.Contains(all, "f64 for alpha") || strings.Contains(all, "f64 alpha")) {
			return encF64, nil
		}
		if all == "f32/f64" {
			return encF32, nil
		}
		return classifyEncoding(all)
	}
	if field == "expected" {
		for _, f := range primaryFields {
			if s, ok := m.enc.m[f].(string); ok {
				return classifyEncoding(s)
			}
		}
	}
	return encF32, nil
}

func (m *mathCase) fixedScalar(field string) (yuma.I32F32, error) {
	v, err := m.in.req(field)
	if err != nil {
		return 0, err
	}
	enc, err := m.encFor(field)
	if err != nil {
		return 0, err
	}
	return fixedOf(v, enc)
}

func (m *mathCase) fixedVecOf(v any, enc, path string) ([]yuma.I32F32, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]yuma.I32F32, len(l))
	for i, x := range l {
		if out[i], err = fixedOf(x, enc); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", path, i, err)
		}
	}
	return out, nil
}

func (m *mathCase) fixedVec(field string) ([]yuma.I32F32, error) {
	v, err := m.in.req(field)
	if err != nil {
		return nil, err
	}
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return m.fixedVecOf(v, enc, m.in.path+"."+field)
}

func (m *mathCase) matrixOf(v any, enc, path string) (yuma.Matrix, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	out := make(yuma.Matrix, len(l))
	for i, row := range l {
		if out[i], err = m.fixedVecOf(row, enc, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (m *mathCase) matrix(field string) (yuma.Matrix, error) {
	v, err := m.in.req(field)
	if err != nil {
		return nil, err
	}
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return m.matrixOf(v, enc, m.in.path+"."+field)
}

func (m *mathCase) sparseOf(v any, enc, path string) (yuma.SparseMatrix, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	out := make(yuma.SparseMatrix, len(l))
	for i, rv := range l {
		row, err := asList(rv, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out[i] = make([]yuma.SparseEntry, len(row))
		for k, cell := range row {
			cp := fmt.Sprintf("%s[%d][%d]", path, i, k)
			pair, err := asList(cell, cp)
			if err != nil || len(pair) != 2 {
				return nil, fmt.Errorf("%s: want [column, value]", cp)
			}
			col, err := uintOf(pair[0], 16)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cp, err)
			}
			val, err := fixedOf(pair[1], enc)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cp, err)
			}
			out[i][k] = yuma.SparseEntry{Col: uint16(col), Val: val}
		}
	}
	return out, nil
}

func (m *mathCase) sparse(field string) (yuma.SparseMatrix, error) {
	v, err := m.in.req(field)
	if err != nil {
		return nil, err
	}
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return m.sparseOf(v, enc, m.in.path+"."+field)
}

func (m *mathCase) intArg(field string) (int, error) {
	v, err := m.in.req(field)
	if err != nil {
		return 0, err
	}
	x, err := uintOf(v, 31)
	if err != nil {
		return 0, fmt.Errorf("%s.%s: %w", m.in.path, field, err)
	}
	return int(x), nil
}

func (m *mathCase) u64Arg(field string) (uint64, error) { return m.in.u64(field) }

func (m *mathCase) u16Vec(field string) ([]uint16, error) {
	v, err := m.in.req(field)
	if err != nil {
		return nil, err
	}
	l, err := u64List(v, m.in.path+"."+field, 16)
	if err != nil {
		return nil, err
	}
	out := make([]uint16, len(l))
	for i, x := range l {
		out[i] = uint16(x)
	}
	return out, nil
}

func (m *mathCase) boolVec(field string) ([]bool, error) {
	v, err := m.in.req(field)
	if err != nil {
		return nil, err
	}
	return boolList(v, m.in.path+"."+field)
}

// fixedEq compares one value under the vector's compare mode.
func (m *mathCase) fixedEq(got, want yuma.I32F32) bool {
	if m.mode != "abs_le" {
		return got == want
	}
	d := got.SaturatingSub(want)
	if d < 0 {
		d = d.SaturatingNeg()
	}
	return d.Bits() <= m.epsBits
}

func (m *mathCase) expEnc() (string, error) { return m.encFor("expected") }

func (m *mathCase) checkScalar(got yuma.I32F32) error {
	enc, err := m.expEnc()
	if err != nil {
		return err
	}
	want, err := fixedOf(m.expected, enc)
	if err != nil {
		return fmt.Errorf("expected: %w", err)
	}
	m.c.check(m.fixedEq(got, want), "got %s (bits %d), want %s (bits %d)", got, got.Bits(), want, want.Bits())
	return nil
}

func (m *mathCase) checkVec(got []yuma.I32F32) error {
	enc, err := m.expEnc()
	if err != nil {
		return err
	}
	want, err := m.fixedVecOf(m.expected, enc, "expected")
	if err != nil {
		return err
	}
	m.checkVecValues(got, want, "")
	return nil
}

func (m *mathCase) checkVecValues(got, want []yuma.I32F32, what string) {
	if len(got) != len(want) {
		m.c.check(false, "%sgot %d values, want %d", what, len(got), len(want))
		return
	}
	ok := true
	for i := range got {
		if !m.fixedEq(got[i], want[i]) {
			ok = false
			m.c.check(false, "%s[%d]: got %s (bits %d), want %s (bits %d)", what, i, got[i], got[i].Bits(), want[i], want[i].Bits())
		}
	}
	if ok {
		m.c.check(true, "")
	}
}

func (m *mathCase) checkMatrix(got yuma.Matrix) error {
	enc, err := m.expEnc()
	if err != nil {
		return err
	}
	want, err := m.matrixOf(m.expected, enc, "expected")
	if err != nil {
		return err
	}
	if len(got) != len(want) {
		m.c.check(false, "got %d rows, want %d", len(got), len(want))
		return nil
	}
	before := m.c.failed
	for i := range got {
		if len(got[i]) != len(want[i]) {
			m.c.check(false, "row %d: got %d values, want %d", i, len(got[i]), len(want[i]))
			continue
		}
		for j := range got[i] {
			if !m.fixedEq(got[i][j], want[i][j]) {
				m.c.check(false, "[%d][%d]: got %s, want %s", i, j, got[i][j], want[i][j])
			}
		}
	}
	if m.c.failed == before {
		m.c.check(true, "")
	}
	return nil
}

func (m *mathCase) checkSparse(got yuma.SparseMatrix) error {
	enc, err := m.expEnc()
	if err != nil {
		return err
	}
	want, err := m.sparseOf(m.expected, enc, "expected")
	if err != nil {
		return err
	}
	if len(got) != len(want) {
		m.c.check(false, "got %d rows, want %d", len(got), len(want))
		return nil
	}
	before := m.c.failed
	for i := range got {
		if len(got[i]) != len(want[i]) {
			m.c.check(false, "row %d: got %v, want %v", i, got[i], want[i])
			continue
		}
		for k := range got[i] {
			g, w := got[i][k], want[i][k]
			if g.Col != w.Col || !m.fixedEq(g.Val, w.Val) {
				m.c.check(false, "[%d][%d]: got (%d, %s), want (%d, %s)", i, k, g.Col, g.Val, w.Col, w.Val)
			}
		}
	}
	if m.c.failed == before {
		m.c.check(true, "")
	}
	return nil
}

func (m *mathCase) checkU16(got []uint16) error {
	want, err := u64List(m.expected, "expected", 16)
	if err != nil {
		return err
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = uint64(got[i]) == want[i]
	}
	m.c.check(ok, "got %v, want %v", got, want)
	return nil
}

func (m *mathCase) checkBools(got []bool) error {
	want, err := boolList(m.expected, "expected")
	if err != nil {
		return err
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = got[i] == want[i]
	}
	m.c.check(ok, "got %v, want %v", got, want)
	return nil
}

// run dispatches on the function name. Unknown functions are failures.
func (m *mathCase) run(fn string) error {
	if m.mode == "property" && fn != "weighted_median_property" {
		return fmt.Errorf("compare mode property is only defined for weighted_median_property")
	}
	switch fn {
	case "vec_max_upscale_to_u16":
		v, err := m.fixedVec("vector")
		if err != nil {
			return err
		}
		return m.checkU16(yuma.VecMaxUpscaleToU16(v))
	case "vec_u16_max_upscale_to_u16":
		v, err := m.u16Vec("vector")
		if err != nil {
			return err
		}
		return m.checkU16(yuma.VecU16MaxUpscaleToU16(v))
	case "check_vec_max_limited":
		v, err := m.u16Vec("vector")
		if err != nil {
			return err
		}
		lim, err := m.intArg("max_limit")
		if err != nil || lim > 65535 {
			return fmt.Errorf("bad max_limit")
		}
		want, err := asBool(m.expected, "expected")
		if err != nil {
			return err
		}
		got := yuma.CheckVecMaxLimited(v, uint16(lim))
		m.c.check(got == want, "got %v, want %v", got, want)
		return nil
	case "bonds_moving_average_to_alpha":
		bma, err := m.u64Arg("bonds_moving_average")
		if err != nil {
			return err
		}
		return m.checkScalar(yuma.BondsMovingAverageAlpha(bma))
	case "u64_fraction_I64F64_then_I32F32":
		return m.u64Fraction()
	case "sigmoid_safe":
		return m.sigmoid()
	case "exp_safe":
		return m.expSafeRelations()
	case "is_topk":
		v, err := m.fixedVec("vector")
		if err != nil {
			return err
		}
		k, err := m.intArg("k")
		if err != nil {
			return err
		}
		return m.checkBools(yuma.IsTopK(v, k))
	case "normalize", "inplace_normalize":
		x, err := m.fixedVec("x")
		if err != nil {
			return err
		}
		if fn == "normalize" {
			return m.checkVec(yuma.Normalize(x))
		}
		yuma.InplaceNormalize(x)
		return m.checkVec(x)
	case "inplace_normalize_64":
		return m.normalize64()
	case "vecdiv":
		return m.vecdiv()
	case "inplace_row_normalize", "inplace_col_normalize", "inplace_col_max_upscale", "inplace_mask_diag":
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		switch fn {
		case "inplace_row_normalize":
			yuma.InplaceRowNormalize(x)
		case "inplace_col_normalize":
			yuma.InplaceColNormalize(x)
		case "inplace_col_max_upscale":
			yuma.InplaceColMaxUpscale(x)
		default:
			yuma.InplaceMaskDiag(x)
		}
		return m.checkMatrix(x)
	case "inplace_mask_diag_except_index":
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		idx, err := m.intArg("except_index")
		if err != nil {
			return err
		}
		yuma.InplaceMaskDiagExceptIndex(x, idx)
		return m.checkMatrix(x)
	case "inplace_row_normalize_sparse", "mask_diag_sparse", "row_sum_sparse":
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		switch fn {
		case "inplace_row_normalize_sparse":
			yuma.InplaceRowNormalizeSparse(x)
			return m.checkSparse(x)
		case "mask_diag_sparse":
			return m.checkSparse(yuma.MaskDiagSparse(x))
		default:
			return m.checkVec(yuma.RowSumSparse(x))
		}
	case "inplace_col_normalize_sparse", "inplace_col_max_upscale_sparse":
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		cols, err := m.intArg("columns")
		if err != nil {
			return err
		}
		if fn == "inplace_col_normalize_sparse" {
			yuma.InplaceColNormalizeSparse(x, cols)
		} else {
			yuma.InplaceColMaxUpscaleSparse(x, cols)
		}
		return m.checkSparse(x)
	case "mask_diag_sparse_except_index":
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		idx, err := m.intArg("except_index")
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MaskDiagSparseExceptIndex(x, idx))
	case "inplace_mask_vector":
		mask, err := m.boolVec("mask")
		if err != nil {
			return err
		}
		v, err := m.fixedVec("vector")
		if err != nil {
			return err
		}
		yuma.InplaceMaskVector(mask, v)
		return m.checkVec(v)
	case "inplace_mask_matrix":
		mv, err := m.in.req("mask")
		if err != nil {
			return err
		}
		rows, err := asList(mv, "mask")
		if err != nil {
			return err
		}
		mask := make([][]bool, len(rows))
		for i, r := range rows {
			if mask[i], err = boolList(r, fmt.Sprintf("mask[%d]", i)); err != nil {
				return err
			}
		}
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		yuma.InplaceMaskMatrix(mask, x)
		return m.checkMatrix(x)
	case "inplace_mask_rows":
		mask, err := m.boolVec("mask")
		if err != nil {
			return err
		}
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		yuma.InplaceMaskRows(mask, x)
		return m.checkMatrix(x)
	case "mask_rows_sparse":
		mask, err := m.boolVec("mask")
		if err != nil {
			return err
		}
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MaskRowsSparse(mask, x))
	case "vec_mask_sparse_matrix":
		return m.vecMask()
	case "vec_mul":
		a, err := m.fixedVec("a")
		if err != nil {
			return err
		}
		b, err := m.fixedVec("b")
		if err != nil {
			return err
		}
		return m.checkVec(yuma.VecMul(a, b))
	case "mat_vec_mul", "row_hadamard", "matmul", "matmul_transpose":
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		v, err := m.fixedVec("vector")
		if err != nil {
			return err
		}
		switch fn {
		case "mat_vec_mul":
			return m.checkMatrix(yuma.MatVecMul(x, v))
		case "row_hadamard":
			return m.checkMatrix(yuma.RowHadamard(x, v))
		case "matmul":
			return m.checkVec(yuma.MatMul(x, v))
		default:
			return m.checkVec(yuma.MatMulTranspose(x, v))
		}
	case "row_sum":
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		return m.checkVec(yuma.RowSum(x))
	case "mat_vec_mul_sparse", "row_hadamard_sparse", "matmul_transpose_sparse", "matmul_sparse":
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		v, err := m.fixedVec("vector")
		if err != nil {
			return err
		}
		switch fn {
		case "mat_vec_mul_sparse":
			return m.checkSparse(yuma.MatVecMulSparse(x, v))
		case "row_hadamard_sparse":
			return m.checkSparse(yuma.RowHadamardSparse(x, v))
		case "matmul_transpose_sparse":
			return m.checkVec(yuma.MatMulTransposeSparse(x, v))
		default:
			cols, err := m.intArg("columns")
			if err != nil {
				return err
			}
			return m.checkVec(yuma.MatMulSparse(x, v, cols))
		}
	case "inplace_col_clip":
		x, err := m.matrix("matrix")
		if err != nil {
			return err
		}
		th, err := m.fixedVec("col_threshold")
		if err != nil {
			return err
		}
		yuma.InplaceColClip(x, th)
		return m.checkMatrix(x)
	case "col_clip_sparse":
		x, err := m.sparse("sparse_matrix")
		if err != nil {
			return err
		}
		th, err := m.fixedVec("col_threshold")
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.ColClipSparse(x, th))
	case "weighted_median":
		return m.weightedMedian()
	case "weighted_median_property":
		return m.weightedMedianProperty()
	case "weighted_median_col", "weighted_median_col_sparse":
		stake, err := m.fixedVec("stake")
		if err != nil {
			return err
		}
		maj, err := m.fixedScalar("majority")
		if err != nil {
			return err
		}
		if fn == "weighted_median_col" {
			score, err := m.matrix("score")
			if err != nil {
				return err
			}
			return m.checkVec(yuma.WeightedMedianCol(stake, score, maj))
		}
		score, err := m.sparse("score")
		if err != nil {
			return err
		}
		cols, err := m.intArg("columns")
		if err != nil {
			return err
		}
		return m.checkVec(yuma.WeightedMedianColSparse(stake, score, cols, maj))
	case "interpolate":
		a, err := m.matrix("mat1")
		if err != nil {
			return err
		}
		b, err := m.matrix("mat2")
		if err != nil {
			return err
		}
		ratio, err := m.fixedScalar("ratio")
		if err != nil {
			return err
		}
		return m.checkMatrix(yuma.Interpolate(a, b, ratio))
	case "interpolate_sparse":
		a, err := m.sparse("mat1")
		if err != nil {
			return err
		}
		b, err := m.sparse("mat2")
		if err != nil {
			return err
		}
		ratio, err := m.fixedScalar("ratio")
		if err != nil {
			return err
		}
		cols, err := m.intArg("columns")
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.InterpolateSparse(a, b, cols, ratio))
	case "mat_ema_alpha":
		return m.matEmaAlpha()
	case "mat_ema_alpha_sparse":
		nw, err := m.sparse("new")
		if err != nil {
			return err
		}
		old, err := m.sparse("old")
		if err != nil {
			return err
		}
		alpha, err := m.matrix("alpha")
		if err != nil {
			return err
		}
		return m.checkSparse(yuma.MatEmaAlphaSparse(nw, old, alpha))
	case "compute_bonds":
		return m.computeBonds()
	case "fixed_to_u16", "fixed_to_u64", "fixed_proportion_to_u16":
		x, err := m.fixedVec("x")
		if err != nil {
			return err
		}
		want, err := u64List(m.expected, "expected", 64)
		if err != nil {
			return err
		}
		got := make([]uint64, len(x))
		for i, v := range x {
			switch fn {
			case "fixed_to_u16":
				got[i] = uint64(v.SaturatingToU16())
			case "fixed_to_u64":
				got[i] = v.SaturatingToU64()
			default:
				got[i] = uint64(yuma.FixedProportionToU16(v))
			}
		}
		ok := len(got) == len(want)
		for i := 0; ok && i < len(got); i++ {
			ok = got[i] == want[i]
		}
		m.c.check(ok, "got %v, want %v", got, want)
		return nil
	case "fixed64_to_fixed32":
		v, err := m.in.req("x")
		if err != nil {
			return err
		}
		enc, err := m.encFor("x")
		if err != nil {
			return err
		}
		l, err := asList(v, "x")
		if err != nil {
			return err
		}
		got := make([]yuma.I32F32, len(l))
		for i, x := range l {
			f, err := i64f64Of(x, enc)
			if err != nil {
				return err
			}
			got[i] = f.SaturatingToI32F32()
		}
		return m.checkVec(got)
	case "checked_sum":
		return m.checkedSum()
	}
	return fmt.Errorf("unknown function %q", fn)
}

func (m *mathCase) u64Fraction() error {
	num, err := m.u64Arg("numerator")
	if err != nil {
		return err
	}
	den, err := m.u64Arg("denominator")
	if err != nil {
		return err
	}
	q64, ok := yuma.I64F64FromUint64(num).CheckedDiv(yuma.I64F64FromUint64(den))
	if !ok {
		return fmt.Errorf("division failed")
	}
	q32 := q64.SaturatingToI32F32()
	e, err := asObj(m.expected, "expected")
	if err != nil {
		return err
	}
	for _, key := range e.keys() {
		encS, _ := m.enc.m["expected."+key].(string)
		if encS == "" {
			encS = "f64"
		}
		enc, err := classifyEncoding(encS)
		if err != nil {
			return err
		}
		switch key {
		case "I64F64":
			want, err := i64f64Of(e.m[key], enc)
			if err != nil {
				return err
			}
			m.c.check(q64 == want, "I64F64: got %v, want %v", q64, want)
		case "I32F32":
			want, err := fixedOf(e.m[key], enc)
			if err != nil {
				return err
			}
			m.c.check(m.fixedEq(q32, want), "I32F32: got %s, want %s", q32, want)
		default:
			return fmt.Errorf("unknown expected key %q", key)
		}
	}
	return nil
}

func (m *mathCase) sigmoid() error {
	x, err := m.fixedVec("input")
	if err != nil {
		return err
	}
	rho, err := m.fixedScalar("rho")
	if err != nil {
		return err
	}
	kappa, err := m.fixedScalar("kappa")
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
func (m *mathCase) expSafeRelations() error {
	v, err := m.in.req("relations")
	if err != nil {
		return err
	}
	rels, err := asList(v, "relations")
	if err != nil {
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
	for _, rv := range rels {
		s, _ := rv.(string)
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
	if m.expected != nil {
		return fmt.Errorf("relation-only vector has an expected value")
	}
	return nil
}

func (m *mathCase) normalize64() error {
	v, err := m.in.req("x")
	if err != nil {
		return err
	}
	enc, err := m.encFor("x")
	if err != nil {
		return err
	}
	conv := func(v any, path string) ([]yuma.I64F64, error) {
		l, err := asList(v, path)
		if err != nil {
			return nil, err
		}
		out := make([]yuma.I64F64, len(l))
		for i, x := range l {
			if out[i], err = i64f64Of(x, enc); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	x, err := conv(v, "x")
	if err != nil {
		return err
	}
	want, err := conv(m.expected, "expected")
	if err != nil {
		return err
	}
	yuma.InplaceNormalize64(x)
	ok := len(x) == len(want)
	for i := 0; ok && i < len(x); i++ {
		d := bigOfI64F64(x[i])
		d.Sub(d, bigOfI64F64(want[i]))
		d.Abs(d)
		if m.mode == "exact" {
			ok = d.Sign() == 0
		} else {
			ok = d.Cmp(bigOfI64F64(m.eps64)) <= 0
		}
	}
	m.c.check(ok, "got %v, want %v", x, want)
	return nil
}

func (m *mathCase) vecdiv() error {
	x, err := m.fixedVec("x")
	if err != nil {
		return err
	}
	y, err := m.fixedVec("y")
	if err != nil {
		return err
	}
	got := yuma.VecDiv(x, y)
	if e, ok := m.expected.(map[string]any); ok {
		o, _ := asObj(e, "expected")
		o.ignore("expr")
		bv, err := o.req("bits")
		if err != nil {
			return err
		}
		l, err := asList(bv, "expected.bits")
		if err != nil {
			return err
		}
		want := make([]yuma.I32F32, len(l))
		for i, b := range l {
			x, err := intOf(b)
			if err != nil {
				return err
			}
			want[i] = yuma.FromBits(x)
		}
		if err := o.checkUnknown(); err != nil {
			return err
		}
		m.checkVecValues(got, want, "")
		return nil
	}
	return m.checkVec(got)
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

func (m *mathCase) vecMask() error {
	x, err := m.sparse("sparse_matrix")
	if err != nil {
		return err
	}
	fv, err := m.in.req("first_vector")
	if err != nil {
		return err
	}
	first, err := u64List(fv, "first_vector", 64)
	if err != nil {
		return err
	}
	sv, err := m.in.req("second_vector")
	if err != nil {
		return err
	}
	second, err := u64List(sv, "second_vector", 64)
	if err != nil {
		return err
	}
	fnv, err := m.in.req("mask_fn(a=first[i], b=second[j])")
	if err != nil {
		return err
	}
	s, _ := fnv.(string)
	f, err := parseMaskFn(s)
	if err != nil {
		return err
	}
	return m.checkSparse(yuma.VecMaskSparseMatrix(x, first, second, f))
}

// describes checks that a descriptive input field has one of the expected texts.
func (m *mathCase) describes(field string, texts ...string) error {
	v, err := m.in.req(field)
	if err != nil {
		return err
	}
	for _, t := range texts {
		if s, ok := v.(string); ok && s == t {
			return nil
		}
		if t == "0" {
			if x, err := uintOf(v, 64); err == nil && x == 0 {
				return nil
			}
		}
	}
	return fmt.Errorf("%s = %v: want one of %q", field, v, texts)
}

func (m *mathCase) weightedMedian() error {
	stake, err := m.fixedVec("stake")
	if err != nil {
		return err
	}
	score, err := m.fixedVec("score")
	if err != nil {
		return err
	}
	maj, err := m.fixedScalar("majority")
	if err != nil {
		return err
	}
	if v, ok := m.in.get("stake_is_normalized_first"); ok {
		b, err := asBool(v, "stake_is_normalized_first")
		if err != nil {
			return err
		}
		if b {
			yuma.InplaceNormalize(stake)
		}
	}
	if err := m.describes("partition_idx", "0..len"); err != nil {
		return err
	}
	if err := m.describes("minority", "1 - majority", "1 - majority (I32F32)"); err != nil {
		return err
	}
	if err := m.describes("partition_lo", "0"); err != nil {
		return err
	}
	if err := m.describes("partition_hi", "sum(stake)", "sum(stake) (I32F32 sum)"); err != nil {
		return err
	}
	idx := make([]int, len(stake))
	for i := range idx {
		idx[i] = i
	}
	got := yuma.WeightedMedian(stake, score, idx, yuma.I32F32One-maj, 0, yuma.Sum(stake))
	return m.checkScalar(got)
}

func (m *mathCase) matEmaAlpha() error {
	nw, err := m.matrix("new")
	if err != nil {
		return err
	}
	old, err := m.matrix("old")
	if err != nil {
		return err
	}
	alpha, err := m.matrix("alpha")
	if err != nil {
		return err
	}
	got := yuma.MatEmaAlpha(nw, old, alpha)
	e, ok := m.expected.(map[string]any)
	if !ok {
		return m.checkMatrix(got)
	}
	o, _ := asObj(e, "expected")
	s, err := o.str("assert")
	if err != nil {
		return err
	}
	if err := o.checkUnknown(); err != nil {
		return err
	}
	head, _, _ := strings.Cut(s, " (")
	lhs, rhs, ok := strings.Cut(head, " == ")
	if !ok {
		return fmt.Errorf("unknown assertion %q", s)
	}
	mats := map[string]yuma.Matrix{"result": got, "new": nw, "old": old, "alpha": alpha}
	cell := func(t string) (yuma.I32F32, error) {
		name, rest, _ := strings.Cut(strings.TrimSpace(t), "[")
		var i, j int
		if _, err := fmt.Sscanf("["+rest, "[%d][%d]", &i, &j); err != nil {
			return 0, fmt.Errorf("bad cell %q", t)
		}
		mat, ok := mats[name]
		if !ok || i < 0 || i >= len(mat) || j < 0 || j >= len(mat[i]) {
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

func (m *mathCase) computeBonds() error {
	w, err := m.matrix("weights")
	if err != nil {
		return err
	}
	b, err := m.matrix("bonds")
	if err != nil {
		return err
	}
	cons, err := m.fixedVec("consensus")
	if err != nil {
		return err
	}
	av, err := m.in.req("alpha_values_u16")
	if err != nil {
		return err
	}
	alphas, err := u64List(av, "alpha_values_u16", 16)
	if err != nil || len(alphas) != 2 {
		return fmt.Errorf("alpha_values_u16: want [low, high]")
	}
	bma, err := m.u64Arg("bonds_moving_average")
	if err != nil {
		return err
	}
	e, err := asObj(m.expected, "expected")
	if err != nil {
		return err
	}
	rel, err := e.str("relation")
	if err != nil {
		return err
	}
	if err := e.checkUnknown(); err != nil {
		return err
	}
	const known = "compute_bonds with LiquidAlphaOn=true and alpha_low==alpha_high"
	if !strings.HasPrefix(rel, known) || !strings.Contains(rel, "equals compute_bonds with LiquidAlphaOn=false") {
		return fmt.Errorf("unknown relation %q", rel)
	}
	par, _, _ := mockDefaults()
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

func (m *mathCase) checkedSum() error {
	cv, err := m.in.req("cases")
	if err != nil {
		return err
	}
	cases, err := asList(cv, "cases")
	if err != nil {
		return err
	}
	want, err := asList(m.expected, "expected")
	if err != nil {
		return err
	}
	if len(want) != len(cases) {
		return fmt.Errorf("%d cases but %d expected values", len(cases), len(want))
	}
	for i, cs := range cases {
		l, err := u64List(cs, fmt.Sprintf("cases[%d]", i), 64)
		if err != nil {
			return err
		}
		got, ok := yuma.CheckedSumU64(l)
		if want[i] == nil {
			m.c.check(!ok, "case %d: got %d, want overflow", i, got)
			continue
		}
		w, err := uintOf(want[i], 64)
		if err != nil {
			return err
		}
		m.c.check(ok && got == w, "case %d: got %d (ok=%v), want %d", i, got, ok, w)
	}
	return nil
}
