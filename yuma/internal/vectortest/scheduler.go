package vectortest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
	"github.com/tokenmind/tokenmind/yuma/scenario"
)

// Typed inputs of the scheduler and emission-split functions. A "blocks" range ("a..=b") replaces
// block_number and comes with expected {"relation": "f(i) == f(i-1) - 1 for i in 1..N"}.
type (
	autoEpochIn struct {
		Netuid         lit     `json:"netuid"`
		LastEpochBlock lit     `json:"LastEpochBlock"`
		Tempo          lit     `json:"tempo"`
		BlockNumber    *lit    `json:"block_number,omitempty"`
		Blocks         *string `json:"blocks,omitempty"`
	}
	legacyEpochIn struct {
		Netuid      lit     `json:"netuid"`
		Tempo       lit     `json:"tempo"`
		BlockNumber *lit    `json:"block_number,omitempty"`
		Blocks      *string `json:"blocks,omitempty"`
	}
	splitEmissionsIn struct {
		Alpha                  lit   `json:"alpha"`
		MechanismCount         lit   `json:"mechanism_count"`
		MechanismEmissionSplit []lit `json:"MechanismEmissionSplit"` // null: the even split
	}
)

// schedulerCase is one other vector being checked.
type schedulerCase struct {
	c        *checker
	id       string
	expected json.RawMessage
	rangeIn  bool // set by the op: its input is a "blocks" range
}

type schedulerOp func(s *schedulerCase, inputs json.RawMessage) error

func schedOp[T any](f func(s *schedulerCase, in *T) error) schedulerOp {
	return func(s *schedulerCase, raw json.RawMessage) error {
		in := new(T)
		if err := strict(raw, in, s.id+".inputs"); err != nil {
			return err
		}
		return f(s, in)
	}
}

// schedulerOps dispatches an other vector on its function name.
var schedulerOps = map[string]schedulerOp{
	"blocks_until_next_auto_epoch": schedOp(func(s *schedulerCase, in *autoEpochIn) error {
		_, tempo, err := netuidTempo(in.Netuid, in.Tempo)
		if err != nil {
			return err
		}
		last, err := u64("LastEpochBlock", in.LastEpochBlock)
		if err != nil {
			return err
		}
		return s.blocks("blocks_until_next_auto_epoch", in.BlockNumber, in.Blocks, func(block uint64) uint64 {
			return yuma.BlocksUntilNextEpoch(last, tempo, block)
		})
	}),
	"blocks_until_next_epoch (legacy)": schedOp(func(s *schedulerCase, in *legacyEpochIn) error {
		netuid, tempo, err := netuidTempo(in.Netuid, in.Tempo)
		if err != nil {
			return err
		}
		return s.blocks("blocks_until_next_epoch (legacy)", in.BlockNumber, in.Blocks, func(block uint64) uint64 {
			return yuma.LegacyBlocksUntilNextEpoch(netuid, tempo, block)
		})
	}),
	"split_emissions": schedOp(func(s *schedulerCase, in *splitEmissionsIn) error {
		alpha, err := u64("alpha", in.Alpha)
		if err != nil {
			return err
		}
		count, err := literal.Uint(in.MechanismCount.v, 8)
		if err != nil {
			return fmt.Errorf("mechanism_count is a u8: %w", err)
		}
		var split []uint16
		if in.MechanismEmissionSplit != nil {
			if split, err = u16s("MechanismEmissionSplit", in.MechanismEmissionSplit); err != nil {
				return err
			}
		}
		var wl []lit
		if err := strict(s.expected, &wl, "expected"); err != nil {
			return err
		}
		want, err := uints("expected", wl, 64)
		if err != nil {
			return err
		}
		got := yuma.SplitEmissions(alpha, int(count), split)
		ok := len(got) == len(want)
		for i := 0; ok && i < len(got); i++ {
			ok = got[i] == want[i]
		}
		s.c.check(ok, "split_emissions = %v, want %v", got, want)
		return nil
	}),
}

// Scheduler replays one scheduler or emission-split vector (a scenario.VectorFunc for
// scenario.SectionOther).
func Scheduler(raw json.RawMessage, path string) scenario.VectorResult {
	c := &checker{}
	e, id, err := decodeEnvelope(raw, path)
	if err == nil {
		err = runScheduler(c, e, id)
	}
	if err != nil {
		c.fail(err)
	}
	return c.result(id, "other")
}

func runScheduler(c *checker, e *envelope, id string) error {
	if len(e.Encoding) > 0 {
		return fmt.Errorf("%s: a scheduler vector has no encoding", id)
	}
	op, ok := schedulerOps[e.Function]
	if !ok {
		return fmt.Errorf("unknown function %q", e.Function)
	}
	s := &schedulerCase{c: c, id: id, expected: e.Expected}
	if err := op(s, e.Inputs); err != nil {
		return err
	}
	if e.Compare != nil {
		// Point values compare exactly; a "blocks" range is checked as a relation (property).
		mode := e.Compare.Mode
		if (mode == "exact" && s.rangeIn) || (mode == "property" && !s.rangeIn) || (mode != "exact" && mode != "property") ||
			e.Compare.Epsilon != nil || e.Compare.EpsilonEncoding != "" {
			return fmt.Errorf("%s.compare: mode %q does not fit this vector", id, mode)
		}
	}
	return nil
}

func netuidTempo(netuid, tempo lit) (uint16, uint16, error) {
	n, err := literal.Uint(netuid.v, 16)
	if err != nil {
		return 0, 0, fmt.Errorf("netuid is a u16: %w", err)
	}
	t, err := literal.Uint(tempo.v, 16)
	if err != nil {
		return 0, 0, fmt.Errorf("tempo is a u16: %w", err)
	}
	return uint16(n), uint16(t), nil
}

// blocks checks f at one block (expected: the value) or over a range (expected: the relation).
func (s *schedulerCase) blocks(fn string, block *lit, blocks *string, f func(uint64) uint64) error {
	switch {
	case blocks != nil && block != nil:
		return fmt.Errorf("give block_number or blocks, not both")
	case blocks != nil:
		s.rangeIn = true
		return s.checkConsecutive(*blocks, f)
	case block == nil:
		return fmt.Errorf("missing \"block_number\" (or \"blocks\")")
	}
	b, err := u64("block_number", *block)
	if err != nil {
		return err
	}
	var wl lit
	if err := strict(s.expected, &wl, "expected"); err != nil {
		return err
	}
	want, err := literal.Uint(wl.v, 64)
	if err != nil {
		return fmt.Errorf("expected: %w", err)
	}
	got := f(b)
	s.c.check(got == want, "%s(block %d) = %d, want %d", fn, b, got, want)
	return nil
}

// checkConsecutive checks "f(i) == f(i-1) - 1 for i in 1..N" over blocks "a..=b".
func (s *schedulerCase) checkConsecutive(blocks string, f func(uint64) uint64) error {
	var lo, hi uint64
	if _, err := fmt.Sscanf(blocks, "%d..=%d", &lo, &hi); err != nil || hi < lo {
		return fmt.Errorf("blocks: want \"a..=b\", got %q", blocks)
	}
	var e struct {
		Relation string `json:"relation"`
	}
	if err := strict(s.expected, &e, "expected"); err != nil {
		return err
	}
	rel := e.Relation
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
			return fmt.Errorf("relation range %d..%d exceeds blocks %s", from, to, blocks)
		}
		prev, cur := f(b-1), f(b)
		s.c.check(cur == prev-1, "f(%d) = %d, f(%d) = %d: want a decrease of 1", b, cur, b-1, prev)
	}
	return nil
}
