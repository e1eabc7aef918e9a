package vectortest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
	"github.com/tokenmind/tokenmind/yuma/scenario"
)

// mathCase is one math vector being checked: a single primitive call compared with its expected
// value under the vector's compare mode.
type mathCase struct {
	c        *checker
	id       string
	enc      map[string]string
	expected json.RawMessage
	mode     string      // exact, abs_le or property
	epsBits  int64       // abs_le tolerance in I32F32 bits
	eps64    yuma.I64F64 // abs_le tolerance of I64F64 results
}

// Math replays one math vector (a scenario.VectorFunc for scenario.SectionMath).
func Math(raw json.RawMessage, path string) scenario.VectorResult {
	c := &checker{}
	e, id, err := decodeEnvelope(raw, path)
	if err != nil {
		c.fail(err)
		return c.result(id, "math")
	}
	if err := runMath(c, e, id); err != nil {
		c.fail(fmt.Errorf("%s: %w", e.Function, err))
	}
	return c.result(id, "math")
}

func runMath(c *checker, e *envelope, id string) error {
	m := &mathCase{c: c, id: id, enc: e.Encoding, expected: e.Expected}
	if e.Compare == nil {
		return fmt.Errorf("%s: missing \"compare\"", id)
	}
	if err := m.parseCompare(e.Compare); err != nil {
		return err
	}
	op, ok := mathOps[e.Function]
	if !ok {
		return fmt.Errorf("unknown function %q", e.Function)
	}
	if m.mode == "property" && e.Function != "weighted_median_property" {
		return fmt.Errorf("compare mode property is only defined for weighted_median_property")
	}
	before := c.checks
	if err := op(m, e.Inputs); err != nil {
		return err
	}
	if c.checks == before {
		return fmt.Errorf("nothing was checked")
	}
	return nil
}

func (m *mathCase) parseCompare(cmp *compare) error {
	m.mode = cmp.Mode
	switch m.mode {
	case "exact", "property":
		if cmp.Epsilon != nil || cmp.EpsilonEncoding != "" {
			return fmt.Errorf("%s.compare: an epsilon needs mode abs_le", m.id)
		}
	case "abs_le":
		if cmp.Epsilon == nil {
			return fmt.Errorf("%s.compare: mode abs_le needs an epsilon", m.id)
		}
		encName := "f64"
		if cmp.EpsilonEncoding != "" {
			encName = cmp.EpsilonEncoding
		}
		enc, err := literal.Classify(encName)
		if err != nil {
			return err
		}
		if enc == literal.EncF64I64 {
			if m.eps64, err = literal.I64F64(cmp.Epsilon.v, enc); err != nil {
				return err
			}
			return nil
		}
		f, err := literal.Fixed(cmp.Epsilon.v, enc)
		if err != nil {
			return err
		}
		m.epsBits = f.Bits()
	default:
		return fmt.Errorf("%s.compare: unknown mode %q", m.id, m.mode)
	}
	return nil
}

// mathOp runs one function's vector given its raw inputs.
type mathOp func(m *mathCase, inputs json.RawMessage) error

// op decodes the inputs into T (unknown fields refused, required fields checked) and runs f.
func op[T any](f func(m *mathCase, in *T) error) mathOp {
	return func(m *mathCase, raw json.RawMessage) error {
		in := new(T)
		if err := strict(raw, in, m.id+".inputs"); err != nil {
			return err
		}
		return f(m, in)
	}
}

// primaryFields are consulted (in order) for the encoding of "expected" when none is given.
var primaryFields = []string{"matrix", "sparse_matrix", "vector", "x", "mat1", "mat", "new", "score", "stake", "input", "a"}

// encFor returns the number encoding of an input field (or "expected").
func (m *mathCase) encFor(field string) (string, error) {
	if s, ok := m.enc[field]; ok {
		return literal.Classify(s)
	}
	if field == "mat1" || field == "mat2" {
		if s, ok := m.enc["mat"]; ok {
			return literal.Classify(s)
		}
	}
	if all, ok := m.enc["all"]; ok {
		if field == "alpha" && (strings.Contains(all, "f64 for alpha") || strings.Contains(all, "f64 alpha")) {
			return literal.EncF64, nil
		}
		if all == "f32/f64" {
			return literal.EncF32, nil
		}
		return literal.Classify(all)
	}
	if field == "expected" {
		for _, f := range primaryFields {
			if s, ok := m.enc[f]; ok {
				return literal.Classify(s)
			}
		}
	}
	return literal.EncF32, nil
}

// fixed converts the scalar input field under its encoding.
func (m *mathCase) fixed(field string, l lit) (yuma.I32F32, error) {
	enc, err := m.encFor(field)
	if err != nil {
		return 0, err
	}
	x, err := literal.Fixed(l.v, enc)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return x, nil
}

func fixedVecOf(l []lit, enc, path string) ([]yuma.I32F32, error) {
	out := make([]yuma.I32F32, len(l))
	for i, x := range l {
		var err error
		if out[i], err = literal.Fixed(x.v, enc); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", path, i, err)
		}
	}
	return out, nil
}

// vec converts the vector input field under its encoding.
func (m *mathCase) vec(field string, l []lit) ([]yuma.I32F32, error) {
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return fixedVecOf(l, enc, field)
}

func matrixOf(l [][]lit, enc, path string) (yuma.Matrix, error) {
	out := make(yuma.Matrix, len(l))
	for i, row := range l {
		var err error
		if out[i], err = fixedVecOf(row, enc, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matrix converts the dense matrix input field under its encoding.
func (m *mathCase) matrix(field string, l [][]lit) (yuma.Matrix, error) {
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return matrixOf(l, enc, field)
}

func sparseOf(l [][][]lit, enc, path string) (yuma.SparseMatrix, error) {
	out := make(yuma.SparseMatrix, len(l))
	for i, row := range l {
		out[i] = make([]yuma.SparseEntry, len(row))
		for k, cell := range row {
			cp := fmt.Sprintf("%s[%d][%d]", path, i, k)
			if len(cell) != 2 {
				return nil, fmt.Errorf("%s: want [column, value]", cp)
			}
			col, err := literal.Uint(cell[0].v, 16)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cp, err)
			}
			val, err := literal.Fixed(cell[1].v, enc)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cp, err)
			}
			out[i][k] = yuma.SparseEntry{Col: uint16(col), Val: val}
		}
	}
	return out, nil
}

// sparse converts the sparse matrix input field ([[column, value], …] per row) under its encoding.
func (m *mathCase) sparse(field string, l [][][]lit) (yuma.SparseMatrix, error) {
	enc, err := m.encFor(field)
	if err != nil {
		return nil, err
	}
	return sparseOf(l, enc, field)
}

// uints converts a list of unsigned integers that fit in bits.
func uints(field string, l []lit, bits int) ([]uint64, error) {
	out := make([]uint64, len(l))
	for i, x := range l {
		var err error
		if out[i], err = literal.Uint(x.v, bits); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
	}
	return out, nil
}

func u16s(field string, l []lit) ([]uint16, error) {
	v, err := uints(field, l, 16)
	if err != nil {
		return nil, err
	}
	out := make([]uint16, len(v))
	for i, x := range v {
		out[i] = uint16(x)
	}
	return out, nil
}

// count converts a non-negative int argument (index, column count, k).
func count(field string, l lit) (int, error) {
	x, err := literal.Uint(l.v, 31)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return int(x), nil
}

func u64(field string, l lit) (uint64, error) {
	x, err := literal.Uint(l.v, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return x, nil
}

// isNull reports whether a raw value is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// isObject reports whether a raw value is a JSON object.
func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// decodeExpected decodes the vector's expected value into dst (unknown fields refused).
func (m *mathCase) decodeExpected(dst any) error { return strict(m.expected, dst, "expected") }

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

func (m *mathCase) checkScalar(got yuma.I32F32) error {
	enc, err := m.encFor("expected")
	if err != nil {
		return err
	}
	var l lit
	if err := m.decodeExpected(&l); err != nil {
		return err
	}
	want, err := literal.Fixed(l.v, enc)
	if err != nil {
		return fmt.Errorf("expected: %w", err)
	}
	m.c.check(m.fixedEq(got, want), "got %s (bits %d), want %s (bits %d)", got, got.Bits(), want, want.Bits())
	return nil
}

func (m *mathCase) checkVec(got []yuma.I32F32) error {
	enc, err := m.encFor("expected")
	if err != nil {
		return err
	}
	var l []lit
	if err := m.decodeExpected(&l); err != nil {
		return err
	}
	want, err := fixedVecOf(l, enc, "expected")
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
	enc, err := m.encFor("expected")
	if err != nil {
		return err
	}
	var l [][]lit
	if err := m.decodeExpected(&l); err != nil {
		return err
	}
	want, err := matrixOf(l, enc, "expected")
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
	enc, err := m.encFor("expected")
	if err != nil {
		return err
	}
	var l [][][]lit
	if err := m.decodeExpected(&l); err != nil {
		return err
	}
	want, err := sparseOf(l, enc, "expected")
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

// checkUints compares integer results with the expected list (of values that fit in bits).
func (m *mathCase) checkUints(got []uint64, bits int) error {
	var l []lit
	if err := m.decodeExpected(&l); err != nil {
		return err
	}
	want, err := uints("expected", l, bits)
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

func (m *mathCase) checkU16(got []uint16) error {
	g := make([]uint64, len(got))
	for i, x := range got {
		g[i] = uint64(x)
	}
	return m.checkUints(g, 16)
}

func (m *mathCase) checkBools(got []bool) error {
	var want []bool
	if err := m.decodeExpected(&want); err != nil {
		return err
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = got[i] == want[i]
	}
	m.c.check(ok, "got %v, want %v", got, want)
	return nil
}

// noExpected fails for relation-only and property vectors that carry an expected value.
func (m *mathCase) noExpected() error {
	if !isNull(m.expected) {
		return fmt.Errorf("a relation-only or property vector has an expected value")
	}
	return nil
}
