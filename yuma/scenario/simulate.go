package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tokenmind/tokenmind/yuma"
)

// Output formats of Simulate.
const (
	OutputTable = "table"
	OutputJSON  = "json"
)

// SimulateOptions configures Simulate.
type SimulateOptions struct {
	// Output is OutputTable (default) or OutputJSON.
	Output string
	// Digits is the number of fractional digits of proportions in the table (default 6).
	Digits int
}

// ErrExpectations is returned (wrapped) by Simulate when an expectation of the scenario fails.
var ErrExpectations = errors.New("scenario expectations failed")

// Simulate runs the scenario read from r and writes every epoch's per-uid outputs to w, as an
// aligned table per epoch or as one JSON document. It returns an error wrapping ErrExpectations
// if any expectation of the scenario fails, or another error if the input is not a scenario.
func Simulate(r io.Reader, w io.Writer, opts SimulateOptions) error {
	format := opts.Output
	if format == "" {
		format = OutputTable
	}
	if format != OutputTable && format != OutputJSON {
		return fmt.Errorf("unknown output format %q (want %s or %s)", format, OutputTable, OutputJSON)
	}
	digits := opts.Digits
	if digits <= 0 {
		digits = 6
	}
	var doc jsonDoc
	var werr error
	run := Options{}
	if format == OutputTable {
		run.OnEpoch = func(e *EpochRecord) {
			if werr == nil {
				werr = writeTable(w, e, digits)
			}
		}
		run.OnVector = func(v *VectorResult) {
			if werr != nil || (v.Kind == "epoch" && v.Failed == 0) {
				return
			}
			status := "ok"
			if v.Failed > 0 {
				status = "FAIL"
			}
			_, werr = fmt.Fprintf(w, "%s vector %s: %s\n", v.Kind, v.ID, status)
			for _, f := range v.Failures {
				if werr == nil {
					_, werr = fmt.Fprintf(w, "  - %s\n", f)
				}
			}
		}
	} else {
		run.OnEpoch = func(e *EpochRecord) { doc.Epochs = append(doc.Epochs, e) }
		run.OnVector = func(v *VectorResult) { doc.Vectors = append(doc.Vectors, v) }
	}
	rep, err := Run(r, run)
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	if format == OutputJSON {
		doc.Summary = jsonSummary{Vectors: rep.Vectors, Epochs: rep.Epochs, Checks: rep.Checks, Failed: rep.Failed, Line: rep.Summary()}
		for _, n := range rep.NotRun {
			doc.Summary.NotRun = append(doc.Summary.NotRun, n+" ("+notRunHint+")")
		}
		if doc.Epochs == nil {
			doc.Epochs = []*EpochRecord{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&doc); err != nil {
			return err
		}
	} else {
		for _, n := range rep.NotRun {
			if _, err := fmt.Fprintf(w, "%s (%s)\n", n, notRunHint); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintln(w, rep.Summary()); err != nil {
			return err
		}
	}
	if !rep.OK() {
		return fmt.Errorf("%w: %d of %d failed: %s", ErrExpectations, rep.Failed, rep.Checks, strings.Join(firstN(rep.Failures, 5), "; "))
	}
	return nil
}

type jsonDoc struct {
	Epochs  []*EpochRecord  `json:"epochs"`
	Vectors []*VectorResult `json:"vectors"`
	Summary jsonSummary     `json:"summary"`
}

type jsonSummary struct {
	Vectors int    `json:"vectors"`
	Epochs  int    `json:"epochs"`
	Checks  int    `json:"expectations_checked"`
	Failed  int    `json:"failed"`
	Line    string `json:"line"`
	// NotRun lists the sections of a vectors document the simulator does not run.
	NotRun []string `json:"not_run,omitempty"`
}

// notRunHint says where the sections the simulator skips are replayed.
const notRunHint = "the simulator runs epoch vectors; `make test-vectors` replays math and scheduler vectors"

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
	}
	return s
}

// decimalDigits reformats an exact decimal string with a fixed number of fractional digits
// (truncating), without floating point.
func decimalDigits(s string, digits int) string {
	ip, fp, _ := strings.Cut(s, ".")
	if len(fp) > digits {
		fp = fp[:digits]
	}
	for len(fp) < digits {
		fp += "0"
	}
	return ip + "." + fp
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}

func formatBonds(b []yuma.Weight) string {
	if len(b) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(b))
	for _, c := range b {
		parts = append(parts, fmt.Sprintf("%d:%d", c.UID, c.Value))
	}
	return strings.Join(parts, " ")
}

func writeTable(w io.Writer, e *EpochRecord, digits int) error {
	label := ""
	if e.Label != "" {
		label = fmt.Sprintf(" %q", e.Label)
	}
	if _, err := fmt.Fprintf(w, "== %s · step %d%s · %s epoch at block %d · emission %d ==\n",
		e.Vector, e.Step, label, e.Fn, e.Block, e.RaoEmission); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "uid\tstake\tS\tactive\tpermit\tconsensus\tincentive\tdividends\tv.trust\temission\tserver\tvalidator\tbonds (uid:u16)\t")
	for _, u := range e.UIDs {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t\n",
			u.UID, u.TotalStake, decimalDigits(u.Stake, digits), yesNo(u.Active), yesNo(u.ValidatorPermit),
			decimalDigits(u.Consensus, digits), decimalDigits(u.Incentive, digits),
			decimalDigits(u.Dividends, digits), decimalDigits(u.ValidatorTrust, digits),
			u.Emission, u.ServerEmission, u.ValidatorEmission, formatBonds(u.Bonds))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if e.Checks > 0 || e.Failed > 0 {
		status := "all passed"
		if e.Failed > 0 {
			status = fmt.Sprintf("%d FAILED", e.Failed)
		}
		if _, err := fmt.Fprintf(w, "expectations: %d checked, %s\n", e.Checks, status); err != nil {
			return err
		}
		for _, f := range e.Failures {
			if _, err := fmt.Fprintf(w, "  - %s\n", f); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}
