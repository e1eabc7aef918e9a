package vectortest

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A vector that passes, and the ways it must fail once changed.
const (
	goodMath  = `{"id": "m", "source": {"test": "t"}, "function": "vec_mul", "inputs": {"a": [1.5, 2], "b": [2, 0.5]}, "expected": [3, 1], "encoding": {"a": "f32", "b": "f32"}, "compare": {"mode": "exact"}, "note": "n"}`
	goodOther = `{"id": "o", "function": "split_emissions", "inputs": {"alpha": 19, "mechanism_count": 2, "MechanismEmissionSplit": null}, "expected": [10, 9], "compare": {"mode": "exact"}}`
	goodRange = `{"id": "r", "function": "blocks_until_next_epoch (legacy)", "inputs": {"netuid": 1, "tempo": 10, "blocks": "0..=8"}, "expected": {"relation": "f(i) == f(i-1) - 1 for i in 1..5"}, "compare": {"mode": "property"}}`
)

func TestGoodVectorsPass(t *testing.T) {
	for _, tc := range []struct {
		raw    string
		run    func(json.RawMessage, string) (res resultView)
		checks int
	}{
		{goodMath, mathView, 1},
		{goodOther, schedView, 1},
		{goodRange, schedView, 4},
	} {
		r := tc.run(json.RawMessage(tc.raw), "v")
		if r.Failed != 0 || r.Checks != tc.checks {
			t.Errorf("%s: %d checks, %d failed (%v); want %d checks, none failed", tc.raw, r.Checks, r.Failed, r.Failures, tc.checks)
		}
	}
}

// Every change that this package does not fully understand fails the vector.
func TestMutationsFail(t *testing.T) {
	for _, tc := range []struct {
		name, base, from, to string
		run                  func(json.RawMessage, string) resultView
	}{
		{"unknown input field", goodMath, `"a": [1.5, 2]`, `"a": [1.5, 2], "c": [1]`, mathView},
		{"missing input field", goodMath, `"a": [1.5, 2], `, ``, mathView},
		{"unknown envelope field", goodMath, `"note": "n"`, `"note": "n", "extra": 1`, mathView},
		{"unknown compare field", goodMath, `"mode": "exact"`, `"mode": "exact", "epsilon": 1`, mathView},
		{"unknown compare mode", goodMath, `"mode": "exact"`, `"mode": "roughly"`, mathView},
		{"missing compare", goodMath, `, "compare": {"mode": "exact"}`, ``, mathView},
		{"unknown function", goodMath, `"vec_mul"`, `"vec_mull"`, mathView},
		{"wrong expected value", goodMath, `[3, 1]`, `[3.5, 1]`, mathView},
		{"wrong expected shape", goodMath, `[3, 1]`, `[[3]]`, mathView},
		{"bool for a number", goodMath, `"a": [1.5, 2]`, `"a": [true, 2]`, mathView},
		{"unknown encoding", goodMath, `"a": "f32"`, `"a": "f16"`, mathView},
		{"other: unknown input field", goodOther, `"alpha": 19`, `"alpha": 19, "beta": 1`, schedView},
		{"other: wrong split", goodOther, `[10, 9]`, `[9, 10]`, schedView},
		{"other: mechanism_count not a u8", goodOther, `"mechanism_count": 2`, `"mechanism_count": 256`, schedView},
		{"other: encoding given", goodOther, `"compare"`, `"encoding": {"alpha": "u64"}, "compare"`, schedView},
		{"range: exact compare", goodRange, `"property"`, `"exact"`, schedView},
		{"range: unknown relation", goodRange, `f(i-1) - 1`, `f(i-1) + 1`, schedView},
		{"range: range beyond blocks", goodRange, `1..5`, `1..50`, schedView},
		{"range: point and range", goodRange, `"tempo": 10`, `"tempo": 10, "block_number": 3`, schedView},
	} {
		bad := strings.Replace(tc.base, tc.from, tc.to, 1)
		if bad == tc.base {
			t.Fatalf("%s: mutation not applied", tc.name)
		}
		if r := tc.run(json.RawMessage(bad), "v"); r.Failed == 0 {
			t.Errorf("%s: accepted (%d checks)", tc.name, r.Checks)
		}
	}
}

// The vector id names the result; without one, the path does.
func TestResultID(t *testing.T) {
	if r := Math(json.RawMessage(goodMath), "math_vectors[0]"); r.ID != "m" || r.Kind != "math" {
		t.Errorf("got id %q kind %q", r.ID, r.Kind)
	}
	noID := strings.Replace(goodOther, `"id": "o", `, ``, 1)
	if r := Scheduler(json.RawMessage(noID), "other_vectors[3]"); r.ID != "other_vectors[3]" || r.Kind != "other" || r.Failed != 0 {
		t.Errorf("got %+v", r)
	}
}

// Every function in the tables has its own typed inputs: none accepts an empty object.
func TestEveryOpRefusesEmptyInputs(t *testing.T) {
	names := make([]string, 0, len(mathOps))
	// maprange:ok every entry is checked; the order does not matter
	for name := range mathOps {
		names = append(names, name)
	}
	for _, name := range names {
		m := &mathCase{c: &checker{}, id: name, expected: json.RawMessage(`null`), mode: "exact"}
		if err := mathOps[name](m, json.RawMessage(`{}`)); err == nil && m.c.failed == 0 {
			t.Errorf("%s accepted empty inputs", name)
		}
	}
	// maprange:ok every entry is checked; the order does not matter
	for name, op := range schedulerOps {
		s := &schedulerCase{c: &checker{}, id: name, expected: json.RawMessage(`null`)}
		if err := op(s, json.RawMessage(`{}`)); err == nil && s.c.failed == 0 {
			t.Errorf("%s accepted empty inputs", name)
		}
	}
}

// Only tests may reach the vector interpreter: no non-test file outside this package imports it.
func TestOnlyTestsImportVectortest(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	const self = "github.com/tokenmind/tokenmind/yuma/internal/vectortest"
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "vectortest") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) == self {
				t.Errorf("%s imports %s; only tests may", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// resultView is the part of scenario.VectorResult the tests read.
type resultView struct {
	Checks, Failed int
	Failures       []string
}

func mathView(raw json.RawMessage, path string) resultView {
	r := Math(raw, path)
	return resultView{r.Checks, r.Failed, r.Failures}
}

func schedView(raw json.RawMessage, path string) resultView {
	r := Scheduler(raw, path)
	return resultView{r.Checks, r.Failed, r.Failures}
}
