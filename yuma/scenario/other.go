package scenario

import (
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
)

// otherVector runs a scheduler or emission-split vector:
//
//	blocks_until_next_auto_epoch        {netuid, LastEpochBlock, tempo, block_number | blocks: "a..=b"}
//	blocks_until_next_epoch (legacy)    {netuid, tempo, block_number | blocks}
//	split_emissions                     {alpha, mechanism_count, MechanismEmissionSplit: null | [u16…]}
//
// A "blocks" range comes with expected {"relation": "f(i) == f(i-1) - 1 for i in 1..N"}.
func (r *runner) otherVector(v any, path string) {
	c := &checker{id: path}
	defer r.finish(c, "other")
	o, err := asObj(v, path)
	if err != nil {
		c.fail(err)
		return
	}
	c.id = vectorID(o, path)
	o.ignore("source", "note")
	if err := r.runOther(c, o); err != nil {
		c.fail(err)
		return
	}
	if err := o.checkUnknown(); err != nil {
		c.fail(err)
	}
}

func (r *runner) runOther(c *checker, o *obj) error {
	fn, err := o.str("function")
	if err != nil {
		return err
	}
	iv, err := o.req("inputs")
	if err != nil {
		return err
	}
	in, err := asObj(iv, c.id+".inputs")
	if err != nil {
		return err
	}
	expected, _ := o.get("expected")
	if cv, ok := o.get("compare"); ok {
		co, err := asObj(cv, c.id+".compare")
		if err != nil {
			return err
		}
		mode, err := co.str("mode")
		if err != nil {
			return err
		}
		// Point values compare exactly; a "blocks" range is checked as a relation (property).
		_, isRange := in.m["blocks"]
		if (mode == "exact" && isRange) || (mode == "property" && !isRange) || (mode != "exact" && mode != "property") {
			return fmt.Errorf("%s.compare: mode %q does not fit this vector", c.id, mode)
		}
		if err := co.checkUnknown(); err != nil {
			return err
		}
	}
	switch fn {
	case "blocks_until_next_auto_epoch", "blocks_until_next_epoch (legacy)":
		netuid, err := in.u64("netuid")
		if err != nil {
			return err
		}
		tempo, err := in.u64("tempo")
		if err != nil {
			return err
		}
		if netuid > 65535 || tempo > 65535 {
			return fmt.Errorf("netuid and tempo are u16")
		}
		var last uint64
		if fn == "blocks_until_next_auto_epoch" {
			if last, err = in.u64("LastEpochBlock"); err != nil {
				return err
			}
		}
		f := func(block uint64) uint64 {
			if fn == "blocks_until_next_auto_epoch" {
				return yuma.BlocksUntilNextEpoch(last, uint16(tempo), block)
			}
			return yuma.LegacyBlocksUntilNextEpoch(uint16(netuid), uint16(tempo), block)
		}
		if rv, ok := in.get("blocks"); ok {
			return checkConsecutive(c, rv, expected, f)
		}
		block, err := in.u64("block_number")
		if err != nil {
			return err
		}
		want, err := uintOf(expected, 64)
		if err != nil {
			return fmt.Errorf("expected: %w", err)
		}
		got := f(block)
		c.check(got == want, "%s(block %d) = %d, want %d", fn, block, got, want)
	case "split_emissions":
		alpha, err := in.u64("alpha")
		if err != nil {
			return err
		}
		count, err := in.u64("mechanism_count")
		if err != nil {
			return err
		}
		if count > 255 {
			return fmt.Errorf("mechanism_count is a u8")
		}
		var split []uint16
		sv, err := in.req("MechanismEmissionSplit")
		if err != nil {
			return err
		}
		if sv != nil {
			l, err := u64List(sv, "MechanismEmissionSplit", 16)
			if err != nil {
				return err
			}
			split = make([]uint16, len(l))
			for i, x := range l {
				split[i] = uint16(x)
			}
		}
		want, err := u64List(expected, "expected", 64)
		if err != nil {
			return err
		}
		got := yuma.SplitEmissions(alpha, int(count), split)
		ok := len(got) == len(want)
		for i := 0; ok && i < len(got); i++ {
			ok = got[i] == want[i]
		}
		c.check(ok, "split_emissions = %v, want %v", got, want)
	default:
		return fmt.Errorf("unknown function %q", fn)
	}
	return in.checkUnknown()
}

// checkConsecutive checks "f(i) == f(i-1) - 1 for i in 1..N" over blocks "a..=b".
func checkConsecutive(c *checker, rv, expected any, f func(uint64) uint64) error {
	s, _ := rv.(string)
	var lo, hi uint64
	if _, err := fmt.Sscanf(s, "%d..=%d", &lo, &hi); err != nil || hi < lo {
		return fmt.Errorf("blocks: want \"a..=b\", got %v", rv)
	}
	e, err := asObj(expected, "expected")
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
	var from, to uint64
	head, _, _ := strings.Cut(rel, " for i in ")
	if head != "f(i) == f(i-1) - 1" {
		return fmt.Errorf("unknown relation %q", rel)
	}
	if _, err := fmt.Sscanf(rel[len(head):], " for i in %d..%d", &from, &to); err != nil || from < 1 {
		return fmt.Errorf("unknown relation %q", rel)
	}
	if to > from && to-from > 1_000_000 {
		return fmt.Errorf("relation range %d..%d is too long", from, to)
	}
	for i := from; i < to; i++ {
		b := lo + i
		if b > hi {
			return fmt.Errorf("relation range %d..%d exceeds blocks %s", from, to, s)
		}
		prev, cur := f(b-1), f(b)
		c.check(cur == prev-1, "f(%d) = %d, f(%d) = %d: want a decrease of 1", b, cur, b-1, prev)
	}
	return nil
}
