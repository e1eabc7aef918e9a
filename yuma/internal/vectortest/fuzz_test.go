package vectortest

import (
	"encoding/json"
	"testing"
)

// FuzzVectors: no math or scheduler vector, however malformed, makes the interpreter panic, and a
// vector that checks nothing is never reported as passing.
func FuzzVectors(f *testing.F) {
	f.Add([]byte(goodMath))
	f.Add([]byte(goodOther))
	f.Add([]byte(goodRange))
	f.Add([]byte(`{"id": "w", "function": "weighted_median", "inputs": {"stake": [1], "score": [2], "majority": 0.51, "partition_idx": "0..len", "minority": "1 - majority", "partition_lo": 0, "partition_hi": "sum(stake)"}, "expected": 2, "encoding": {}, "compare": {"mode": "abs_le", "epsilon": 1e-9}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range []struct{ checks, failed int }{
			{Math(json.RawMessage(data), "m").Checks, Math(json.RawMessage(data), "m").Failed},
			{Scheduler(json.RawMessage(data), "o").Checks, Scheduler(json.RawMessage(data), "o").Failed},
		} {
			if r.checks == 0 && r.failed == 0 {
				t.Fatalf("%q: nothing checked and nothing failed", data)
			}
		}
	})
}
