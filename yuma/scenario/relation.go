package scenario

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
)

// Relations are small boolean expressions over one epoch's outputs, evaluated exactly with
// rational numbers:
//
//	relation   := condition { "and" condition }
//	condition  := sum "within" sum "of" sum          (|a − c| <= b)
//	            | sum cmp sum { cmp sum }            (chained: a == b > c means a == b and b > c)
//	cmp        := "==" | "!=" | "<" | "<=" | ">" | ">="
//	sum        := value { ("+" | "-") value }
//	value      := number | name | name "[" sum "]" | func "(" sum ")" | "(" sum ")"
//	func       := sum | min | max | len
//
// Vector names: server_emission, validator_emission, emission (= combined_emission), stake,
// active_stake, total_stake, consensus, incentive, dividends, validator_trust and the stored u16
// vectors Consensus_u16, Incentive_u16, Dividends_u16, ValidatorTrust_u16, StakeWeight_u16.
// Scalars: rao_emission, n, block. Proportions are their exact I32F32 values.
//
// Examples (from vectors.json): "server_emission[0] == server_emission[1] > 0" and
// "sum(server_emission)+sum(validator_emission) within 1000 of rao_emission".

type relValue struct {
	scalar *big.Rat
	vec    []*big.Rat
}

type relParser struct {
	toks []string
	pos  int
	out  *yuma.EpochOutput
	st   *state
}

func evalRelation(s string, out *yuma.EpochOutput, st *state) (bool, error) {
	toks, err := tokenize(s)
	if err != nil {
		return false, err
	}
	p := &relParser{toks: toks, out: out, st: st}
	ok, err := p.relation()
	if err != nil {
		return false, err
	}
	if p.pos != len(p.toks) {
		return false, fmt.Errorf("unexpected %q in relation", p.toks[p.pos])
	}
	return ok, nil
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t':
			i++
		case isIdentStart(ch):
			j := i
			for j < len(s) && (isIdentStart(s[j]) || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case ch >= '0' && ch <= '9' || ch == '.':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
				((s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case strings.ContainsRune("=!<>", rune(ch)) && i+1 < len(s) && s[i+1] == '=':
			toks = append(toks, s[i:i+2])
			i += 2
		case strings.ContainsRune("<>+-()[]", rune(ch)):
			toks = append(toks, s[i:i+1])
			i++
		default:
			return nil, fmt.Errorf("unexpected character %q in relation", ch)
		}
	}
	return toks, nil
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (p *relParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *relParser) expect(t string) error {
	if p.peek() != t {
		return fmt.Errorf("expected %q, got %q", t, p.peek())
	}
	p.pos++
	return nil
}

func (p *relParser) relation() (bool, error) {
	all := true
	for {
		ok, err := p.condition()
		if err != nil {
			return false, err
		}
		all = all && ok
		if p.peek() != "and" {
			return all, nil
		}
		p.pos++
	}
}

func isCmp(t string) bool {
	switch t {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (p *relParser) condition() (bool, error) {
	a, err := p.scalarSum()
	if err != nil {
		return false, err
	}
	if p.peek() == "within" {
		p.pos++
		tol, err := p.scalarSum()
		if err != nil {
			return false, err
		}
		if err := p.expect("of"); err != nil {
			return false, err
		}
		b, err := p.scalarSum()
		if err != nil {
			return false, err
		}
		d := new(big.Rat).Sub(a, b)
		return d.Abs(d).Cmp(tol) <= 0, nil
	}
	if !isCmp(p.peek()) {
		return false, fmt.Errorf("expected a comparison, got %q", p.peek())
	}
	holds := true
	for isCmp(p.peek()) {
		op := p.toks[p.pos]
		p.pos++
		b, err := p.scalarSum()
		if err != nil {
			return false, err
		}
		c := a.Cmp(b)
		var ok bool
		switch op {
		case "==":
			ok = c == 0
		case "!=":
			ok = c != 0
		case "<":
			ok = c < 0
		case "<=":
			ok = c <= 0
		case ">":
			ok = c > 0
		case ">=":
			ok = c >= 0
		}
		holds = holds && ok
		a = b
	}
	return holds, nil
}

func (p *relParser) scalarSum() (*big.Rat, error) {
	v, err := p.sum()
	if err != nil {
		return nil, err
	}
	if v.scalar == nil {
		return nil, fmt.Errorf("a vector is used where a number is expected")
	}
	return v.scalar, nil
}

func (p *relParser) sum() (relValue, error) {
	v, err := p.value()
	if err != nil {
		return v, err
	}
	for p.peek() == "+" || p.peek() == "-" {
		op := p.toks[p.pos]
		p.pos++
		w, err := p.value()
		if err != nil {
			return v, err
		}
		if v.scalar == nil || w.scalar == nil {
			return v, fmt.Errorf("%q needs numbers, not vectors", op)
		}
		r := new(big.Rat)
		if op == "+" {
			r.Add(v.scalar, w.scalar)
		} else {
			r.Sub(v.scalar, w.scalar)
		}
		v = relValue{scalar: r}
	}
	return v, nil
}

func (p *relParser) value() (relValue, error) {
	t := p.peek()
	switch {
	case t == "":
		return relValue{}, fmt.Errorf("unexpected end of relation")
	case t == "(":
		p.pos++
		v, err := p.sum()
		if err != nil {
			return v, err
		}
		return v, p.expect(")")
	case t == "-":
		p.pos++
		v, err := p.value()
		if err != nil || v.scalar == nil {
			return relValue{}, fmt.Errorf("bad negation")
		}
		return relValue{scalar: new(big.Rat).Neg(v.scalar)}, nil
	case t[0] >= '0' && t[0] <= '9' || t[0] == '.':
		p.pos++
		r, err := literal.Rat(t)
		if err != nil {
			return relValue{}, err
		}
		return relValue{scalar: r}, nil
	}
	p.pos++
	switch t {
	case "sum", "min", "max", "len":
		if err := p.expect("("); err != nil {
			return relValue{}, err
		}
		v, err := p.sum()
		if err != nil {
			return v, err
		}
		if err := p.expect(")"); err != nil {
			return v, err
		}
		if v.vec == nil {
			return v, fmt.Errorf("%s() needs a vector", t)
		}
		return relValue{scalar: reduce(t, v.vec)}, nil
	}
	v, err := p.name(t)
	if err != nil {
		return v, err
	}
	if p.peek() == "[" {
		p.pos++
		idx, err := p.scalarSum()
		if err != nil {
			return v, err
		}
		if err := p.expect("]"); err != nil {
			return v, err
		}
		if v.vec == nil {
			return v, fmt.Errorf("%s is not a vector", t)
		}
		if !idx.IsInt() || idx.Sign() < 0 || idx.Num().Cmp(big.NewInt(int64(len(v.vec)))) >= 0 {
			return v, fmt.Errorf("%s[%s] is out of range", t, idx.RatString())
		}
		return relValue{scalar: v.vec[idx.Num().Int64()]}, nil
	}
	return v, nil
}

func reduce(fn string, vec []*big.Rat) *big.Rat {
	if fn == "len" {
		return new(big.Rat).SetInt64(int64(len(vec)))
	}
	r := new(big.Rat)
	for i, x := range vec {
		switch {
		case fn == "sum":
			r.Add(r, x)
		case i == 0:
			r.Set(x)
		case fn == "min" && x.Cmp(r) < 0, fn == "max" && x.Cmp(r) > 0:
			r.Set(x)
		}
	}
	return r
}

func ratsU64(v []uint64) []*big.Rat {
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = new(big.Rat).SetInt(new(big.Int).SetUint64(x))
	}
	return out
}

func ratsU16(v []uint16) []*big.Rat {
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = new(big.Rat).SetInt64(int64(x))
	}
	return out
}

func ratsFixed(v []yuma.I32F32) []*big.Rat {
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = literal.FixedRat(x)
	}
	return out
}

func (p *relParser) name(t string) (relValue, error) {
	o := p.out
	if v, ok := u16Vector(o, t); ok {
		return relValue{vec: ratsU16(v)}, nil
	}
	switch t {
	case "server_emission":
		return relValue{vec: ratsU64(o.ServerEmission)}, nil
	case "validator_emission":
		return relValue{vec: ratsU64(o.ValidatorEmission)}, nil
	case "emission", "combined_emission":
		return relValue{vec: ratsU64(o.Emission)}, nil
	case "total_stake":
		return relValue{vec: ratsU64(o.TotalStake)}, nil
	case "rao_emission":
		return relValue{scalar: new(big.Rat).SetInt(new(big.Int).SetUint64(p.st.lastRao))}, nil
	case "block":
		return relValue{scalar: new(big.Rat).SetInt(new(big.Int).SetUint64(p.st.block))}, nil
	case "n":
		return relValue{scalar: new(big.Rat).SetInt64(int64(o.N))}, nil
	}
	if v, ok := fixedTrace(o, t); ok {
		return relValue{vec: ratsFixed(v)}, nil
	}
	return relValue{}, fmt.Errorf("unknown name %q in relation", t)
}
