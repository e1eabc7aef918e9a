package scenario

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRun: no scenario input, however malformed, makes the interpreter panic.
func FuzzRun(f *testing.F) {
	if b, err := os.ReadFile("../testdata/example_scenario.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`[{"initial_state": {"n": 2, "alpha_stake": 5}, "steps": [{"epoch": {"fn": "dense"}, "expect": {"relation": "sum(emission) > 0"}}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Run(bytes.NewReader(data), Options{})
		if err == nil && rep == nil {
			t.Fatal("nil report without an error")
		}
	})
}
