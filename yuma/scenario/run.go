// Package scenario runs epoch scenarios in the format of ../shared/yuma/vectors.json: an initial
// subnet state, then steps of scripted actions, epochs and expectations. It backs the offline
// simulator (Simulate, exposed as `tokenmindd yuma simulate`) and the replay test of package yuma
// (yuma/vectors_test.go).
//
// The other sections of a vectors document, math_vectors (one primitive call each) and
// other_vectors (scheduler and emission-split vectors), are replayed only by tests: their
// interpreter lives in yuma/internal/vectortest and is passed in through Options.Sections. Without
// one, a section is reported as not run (Report.NotRun), never silently skipped.
// Anything the interpreter does not understand (an unknown function, action, expectation kind,
// key, encoding or relation) is a failure, never a silent skip.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tokenmind/tokenmind/yuma"
)

// Options controls a run.
type Options struct {
	// OnEpoch, if set, is called after every epoch (with its expectations checked).
	OnEpoch func(*EpochRecord)
	// OnVector, if set, is called after every vector.
	OnVector func(*VectorResult)
	// Sections replays the vectors of the sections of a vectors document other than
	// epoch_vectors, by section name (SectionMath, SectionOther). A section with no entry is
	// listed in Report.NotRun.
	Sections map[string]VectorFunc
}

// Sections of a vectors document.
const (
	SectionMath  = "math_vectors"
	SectionEpoch = "epoch_vectors"
	SectionOther = "other_vectors"
)

// VectorFunc replays one vector of a section, given its JSON text and its path in the document
// (e.g. "math_vectors[3]"), and reports the checks it made. Kind, ID and the counts are copied
// into the Report as they are.
type VectorFunc func(raw json.RawMessage, path string) VectorResult

// Report counts what a run did.
type Report struct {
	Vectors  int      // vectors run (math + epoch + other)
	Epochs   int      // epochs run
	Checks   int      // individual expectations checked
	Failed   int      // checks that failed (structural errors count as one failed check)
	Failures []string // one message per failed check, "vector id: message"
	// NotRun names the sections that were present but had no interpreter in Options.Sections,
	// with how many vectors they hold, e.g. "math_vectors: 234 vectors not run".
	NotRun []string
}

// Summary is the one-line summary: "yuma vectors: V vectors, E epochs, K expectations checked,
// F failed".
func (r *Report) Summary() string {
	return fmt.Sprintf("yuma vectors: %d vectors, %d epochs, %d expectations checked, %d failed",
		r.Vectors, r.Epochs, r.Checks, r.Failed)
}

// OK reports whether nothing failed.
func (r *Report) OK() bool { return r.Failed == 0 }

// VectorResult is the outcome of one vector.
type VectorResult struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"` // "math", "epoch" or "other"
	Checks   int      `json:"checks"`
	Failed   int      `json:"failed"`
	Failures []string `json:"failures,omitempty"`
}

// EpochRecord describes one epoch of an epoch vector: its inputs, per-uid outputs and the
// expectations checked after it.
type EpochRecord struct {
	Vector      string      `json:"vector"`
	Step        int         `json:"step"`
	Label       string      `json:"label,omitempty"`
	Fn          string      `json:"fn"`
	Block       uint64      `json:"block"`
	RaoEmission uint64      `json:"rao_emission"`
	UIDs        []UIDRecord `json:"uids"`
	Checks      int         `json:"checks"`
	Failed      int         `json:"failed"`
	Failures    []string    `json:"failures,omitempty"`
}

// UIDRecord is one uid's epoch outputs. Proportions are exact decimal strings of the I32F32
// values; the *_u16 fields are what the chain stores.
type UIDRecord struct {
	UID               int           `json:"uid"`
	TotalStake        uint64        `json:"total_stake"`
	Stake             string        `json:"stake"`
	Active            bool          `json:"active"`
	ValidatorPermit   bool          `json:"validator_permit"`
	Consensus         string        `json:"consensus"`
	Incentive         string        `json:"incentive"`
	Dividends         string        `json:"dividends"`
	ValidatorTrust    string        `json:"validator_trust"`
	ConsensusU16      uint16        `json:"consensus_u16"`
	IncentiveU16      uint16        `json:"incentive_u16"`
	DividendsU16      uint16        `json:"dividends_u16"`
	ValidatorTrustU16 uint16        `json:"validator_trust_u16"`
	Emission          uint64        `json:"emission"`
	ServerEmission    uint64        `json:"server_emission"`
	ValidatorEmission uint64        `json:"validator_emission"`
	Bonds             []yuma.Weight `json:"bonds"`
}

// RunFile runs the scenario file at path.
func RunFile(path string, opts Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Run(f, opts)
}

// Run reads one scenario document and runs it. Accepted shapes: a vectors document (an object
// with math_vectors / epoch_vectors / other_vectors and an optional meta), a single epoch vector
// (an object with steps), or an array of epoch vectors. The error is non-nil only if the input is
// not a scenario at all; everything else is reported in the Report.
func Run(r io.Reader, opts Options) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("scenario: read: %w", err)
	}
	if len(data) > maxDocumentBytes {
		return nil, fmt.Errorf("scenario: document larger than %d bytes", maxDocumentBytes)
	}
	v, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	run := &runner{opts: opts, rep: &Report{}}
	switch x := v.(type) {
	case []any:
		for i, ev := range x {
			run.epochVector(ev, fmt.Sprintf("[%d]", i))
		}
	case map[string]any:
		o, _ := asObj(x, "document")
		if o.has("steps") {
			run.epochVector(x, "document")
			break
		}
		if err := run.document(o, data); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("scenario: not a scenario: top-level %s", kind(v))
	}
	return run.rep, nil
}

// maxDocumentBytes bounds what Run reads (the shared vectors file is about 1 MB).
const maxDocumentBytes = 64 << 20

// document runs a vectors document: its epoch vectors here, the other sections through
// Options.Sections, in the order math, epoch, other.
func (r *runner) document(o *obj, data []byte) error {
	if !o.has(SectionMath) && !o.has(SectionEpoch) && !o.has(SectionOther) {
		return fmt.Errorf("scenario: not a scenario: want %s, %s, %s or steps", SectionMath, SectionEpoch, SectionOther)
	}
	if m, ok := o.get("meta"); ok {
		meta, err := asObj(m, "meta")
		if err != nil {
			return err
		}
		if d, ok := meta.m["hyperparameter_defaults_when_absent"]; ok {
			if r.defaults, err = asObj(d, "meta.hyperparameter_defaults_when_absent"); err != nil {
				return err
			}
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("scenario: parse JSON: %w", err)
	}
	for _, section := range []string{SectionMath, SectionEpoch, SectionOther} {
		sv, ok := o.get(section)
		if !ok {
			continue
		}
		list, err := asList(sv, section)
		if err != nil {
			return err
		}
		if section == SectionEpoch {
			for i, item := range list {
				r.epochVector(item, fmt.Sprintf("%s[%d]", section, i))
			}
			continue
		}
		run := r.opts.Sections[section]
		if run == nil {
			if len(list) > 0 {
				r.rep.NotRun = append(r.rep.NotRun, fmt.Sprintf("%s: %d vectors not run", section, len(list)))
			}
			continue
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw[section], &items); err != nil {
			return fmt.Errorf("scenario: %s: %w", section, err)
		}
		for i, item := range items {
			res := run(item, fmt.Sprintf("%s[%d]", section, i))
			r.record(&res)
		}
	}
	return o.checkUnknown()
}

type runner struct {
	opts     Options
	rep      *Report
	defaults *obj
}

// checker counts the checks of one vector (and of one epoch inside it).
type checker struct {
	id       string
	checks   int
	failed   int
	failures []string
}

func (c *checker) check(ok bool, format string, args ...any) {
	c.checks++
	if !ok {
		c.failed++
		c.failures = append(c.failures, fmt.Sprintf(format, args...))
	}
}

func (c *checker) fail(err error) { c.check(false, "%v", err) }

func (r *runner) finish(c *checker, kind string) {
	r.record(&VectorResult{ID: c.id, Kind: kind, Checks: c.checks, Failed: c.failed, Failures: c.failures})
}

// record adds one vector's outcome to the report.
func (r *runner) record(v *VectorResult) {
	r.rep.Vectors++
	r.rep.Checks += v.Checks
	r.rep.Failed += v.Failed
	for _, f := range v.Failures {
		r.rep.Failures = append(r.rep.Failures, v.ID+": "+f)
	}
	if r.opts.OnVector != nil {
		r.opts.OnVector(v)
	}
}

func vectorID(o *obj, path string) string {
	if v, ok := o.get("id"); ok {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return path
}

func (r *runner) epochVector(v any, path string) {
	c := &checker{id: path}
	defer r.finish(c, "epoch")
	o, err := asObj(v, path)
	if err != nil {
		c.fail(err)
		return
	}
	c.id = vectorID(o, path)
	o.ignore("source", "note", "epoch_fn", "description")
	var tol *obj
	if t, ok := o.get("tolerance"); ok {
		if tol, err = asObj(t, c.id+".tolerance"); err != nil {
			c.fail(err)
			return
		}
	}
	hyper, _ := o.get("hyperparameters")
	initial, err := o.req("initial_state")
	if err != nil {
		c.fail(err)
		return
	}
	st, err := newState(hyper, initial, r.defaults, c.id)
	if err != nil {
		c.fail(err)
		return
	}
	steps, err := o.list("steps")
	if err != nil {
		c.fail(err)
		return
	}
	if err := o.checkUnknown(); err != nil {
		c.fail(err)
		return
	}
	for si, sv := range steps {
		if err := r.step(c, st, tol, sv, si); err != nil {
			c.fail(err)
			return
		}
	}
	if tol != nil {
		if err := tol.checkUnknown(); err != nil {
			c.fail(err)
		}
	}
}

func (r *runner) step(c *checker, st *state, tol *obj, sv any, si int) error {
	path := fmt.Sprintf("%s.steps[%d]", c.id, si)
	s, err := asObj(sv, path)
	if err != nil {
		return err
	}
	label := s.optStr("label")
	s.ignore("note")
	if av, ok := s.get("actions"); ok {
		actions, err := asList(av, path+".actions")
		if err != nil {
			return err
		}
		for ai, a := range actions {
			if err := st.apply(a, fmt.Sprintf("%s.actions[%d]", path, ai)); err != nil {
				return err
			}
		}
	}
	ev, hasEpoch := s.get("epoch")
	expect, hasExpect := s.get("expect")
	if !hasEpoch {
		if hasExpect {
			return fmt.Errorf("%s: expectations without an epoch", path)
		}
		return s.checkUnknown()
	}
	e, err := asObj(ev, path+".epoch")
	if err != nil {
		return err
	}
	fn, err := e.str("fn")
	if err != nil {
		return err
	}
	var rao uint64
	if _, ok := e.m["rao_emission"]; ok {
		if rao, err = e.u64("rao_emission"); err != nil {
			return err
		}
	}
	if err := e.checkUnknown(); err != nil {
		return err
	}
	out, err := st.runEpoch(fn, rao)
	if err != nil {
		return fmt.Errorf("%s: epoch: %w", path, err)
	}
	r.rep.Epochs++
	ec := &checker{id: c.id}
	if hasExpect && expect != nil {
		x, err := asObj(expect, path+".expect")
		if err != nil {
			return err
		}
		checkExpectations(ec, st, out, x, tol)
	}
	c.checks += ec.checks
	c.failed += ec.failed
	for _, f := range ec.failures {
		c.failures = append(c.failures, fmt.Sprintf("step %d (%s): %s", si, label, f))
	}
	if r.opts.OnEpoch != nil {
		r.opts.OnEpoch(epochRecord(c.id, si, label, st, out, ec))
	}
	return s.checkUnknown()
}

func epochRecord(id string, si int, label string, st *state, out *yuma.EpochOutput, ec *checker) *EpochRecord {
	rec := &EpochRecord{
		Vector: id, Step: si, Label: label, Fn: st.lastFn, Block: st.block,
		RaoEmission: st.lastRao, Checks: ec.checks, Failed: ec.failed, Failures: ec.failures,
	}
	rec.UIDs = make([]UIDRecord, out.N)
	for i := 0; i < out.N; i++ {
		bonds := []yuma.Weight{}
		if i < len(st.bonds) && st.bonds[i] != nil {
			bonds = st.bonds[i]
		}
		rec.UIDs[i] = UIDRecord{
			UID: i, TotalStake: out.TotalStake[i], Stake: out.Stake[i].String(), Active: out.Active[i],
			ValidatorPermit: out.NewValidatorPermits[i],
			Consensus:       out.Consensus[i].String(), Incentive: out.Incentive[i].String(),
			Dividends: out.Dividends[i].String(), ValidatorTrust: out.ValidatorTrust[i].String(),
			ConsensusU16: out.ConsensusU16[i], IncentiveU16: out.IncentiveU16[i],
			DividendsU16: out.DividendsU16[i], ValidatorTrustU16: out.ValidatorTrustU16[i],
			Emission: out.Emission[i], ServerEmission: out.ServerEmission[i],
			ValidatorEmission: out.ValidatorEmission[i], Bonds: bonds,
		}
	}
	return rec
}
