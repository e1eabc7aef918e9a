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
	f.Add([]byte(`{"math_vectors": [{"id": "m", "function": "vec_mul", "inputs": {"a": [1.5, 2], "b": [2, "I32F32::MAX"]}, "expected": [3, 4], "encoding": {"a": "f32"}, "compare": {"mode": "exact"}}]}`))
	f.Add([]byte(`{"other_vectors": [{"id": "o", "function": "split_emissions", "inputs": {"alpha": 19, "mechanism_count": 5, "MechanismEmissionSplit": [3450, 6899]}, "expected": [1, 2], "compare": {"mode": "exact"}}]}`))
	f.Add([]byte(`[{"initial_state": {"n": 2, "alpha_stake": 5}, "steps": [{"epoch": {"fn": "dense"}, "expect": {"relation": "sum(emission) > 0"}}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Run(bytes.NewReader(data), Options{})
		if err == nil && rep == nil {
			t.Fatal("nil report without an error")
		}
	})
}
