package scenario_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tokenmind/tokenmind/yuma/internal/vectortest"
	"github.com/tokenmind/tokenmind/yuma/scenario"
)

const examplePath = "../testdata/example_scenario.json"

func TestExampleScenarioPasses(t *testing.T) {
	f, err := os.Open(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	if err := scenario.Simulate(f, &out, scenario.SimulateOptions{}); err != nil {
		t.Fatalf("Simulate: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"epoch 1: issue permits", "epoch 2: validators weight the miners",
		"expectations: 30 checked, all passed", "yuma vectors: 1 vectors, 2 epochs, 55 expectations checked, 0 failed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestExampleScenarioJSON(t *testing.T) {
	f, err := os.Open(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	if err := scenario.Simulate(f, &out, scenario.SimulateOptions{Output: scenario.OutputJSON}); err != nil {
		t.Fatalf("Simulate: %v", err)
	}
	for _, want := range []string{`"dividends_u16": 50971`, `"server_emission": 250000000`, `"failed": 0`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("JSON output lacks %q:\n%s", want, out.String())
		}
	}
}

// A wrong expectation must make the simulation fail with ErrExpectations.
func TestExampleScenarioWrongExpectationFails(t *testing.T) {
	b, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, mutate := range []struct{ from, to string }{
		{`"Consensus_u16": {"2": 32767`, `"Consensus_u16": {"2": 32768`},
		{`"Emission": {"0": 699999999`, `"Emission": {"0": 700000000`},
		{`"dividends_proportion": [0.7778`, `"dividends_proportion": [0.7`},
		{`server_emission[4] == 0`, `server_emission[4] > 0`},
		{`"ValidatorPermit_partial": {"0": true`, `"ValidatorPermit_partial": {"0": false`},
		{`"Bonds_u16_rows": {"0": [0, 0, 3276`, `"Bonds_u16_rows": {"0": [0, 0, 3277`},
	} {
		bad := strings.Replace(string(b), mutate.from, mutate.to, 1)
		if bad == string(b) {
			t.Fatalf("mutation %q not applied", mutate.from)
		}
		var out bytes.Buffer
		err := scenario.Simulate(strings.NewReader(bad), &out, scenario.SimulateOptions{})
		if !errors.Is(err, scenario.ErrExpectations) {
			t.Errorf("mutation %q: err = %v, want ErrExpectations", mutate.to, err)
		}
		if !strings.Contains(out.String(), "1 FAILED") {
			t.Errorf("mutation %q: the table does not report the failure:\n%s", mutate.to, out.String())
		}
	}
}

// Anything the interpreter does not understand is a failure, never a silent skip.
func TestUnknownKindsFail(t *testing.T) {
	b, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, mutate := range []struct{ from, to string }{
		{`"op": "set_block"`, `"op": "teleport"`},
		{`"Consensus_u16": {`, `"Consensus_u17": {`},
		{`"trace": {"validator_trust"`, `"trace": {"validator_trust_x"`},
		{`"fn": "sparse"`, `"fn": "sparse2"`},
		{`"tempo": 100`, `"tempo": 100, "tempo_x": 1`},
		{`"n": 5`, `"n": 5, "unknown_state": 1`},
		{`server_emission[4] == 0`, `server_emission[4] === 0`},
		{`"label": "epoch 1: issue permits"`, `"label": "epoch 1: issue permits", "extra": 1`},
	} {
		bad := strings.Replace(string(b), mutate.from, mutate.to, 1)
		if bad == string(b) {
			t.Fatalf("mutation %q not applied", mutate.from)
		}
		rep, err := scenario.Run(strings.NewReader(bad), scenario.Options{})
		if err != nil {
			continue // rejected outright: fine
		}
		if rep.OK() {
			t.Errorf("mutation %q was accepted silently", mutate.to)
		}
	}
	if _, err := scenario.Run(strings.NewReader(`{"hello": 1}`), scenario.Options{}); err == nil {
		t.Error("a non-scenario document was accepted")
	}
	// Without an interpreter for math_vectors (the simulator has none), the section is reported as
	// not run; with the test interpreter, an unknown function fails.
	doc := `{"math_vectors": [{"id": "x", "function": "no_such_fn", "inputs": {}, "expected": 1, "compare": {"mode": "exact"}}]}`
	rep, err := scenario.Run(strings.NewReader(doc), scenario.Options{})
	if err != nil || len(rep.NotRun) != 1 || !strings.HasPrefix(rep.NotRun[0], "math_vectors: 1 vectors not run") {
		t.Errorf("a section without an interpreter was not reported as not run: %v %+v", err, rep)
	}
	rep, err = scenario.Run(strings.NewReader(doc), scenario.Options{Sections: vectortest.Sections()})
	if err != nil || rep.OK() || rep.Vectors != 1 {
		t.Errorf("an unknown math function was not a failure: %v %+v", err, rep)
	}
}
