package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runYuma(t *testing.T, args ...string) (string, error) {
	t.Helper()
	c := YumaCmd()
	var out bytes.Buffer
	c.SetOut(&out)
	c.SetErr(&out)
	c.SetArgs(args)
	err := c.Execute()
	return out.String(), err
}

func TestYumaSimulateExample(t *testing.T) {
	out, err := runYuma(t, "simulate", filepath.Join("..", "..", "..", "yuma", "testdata", "example_scenario.json"))
	if err != nil {
		t.Fatalf("simulate failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "0 failed") || !strings.Contains(out, "incentive") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

func TestYumaSimulateFailsOnWrongExpectation(t *testing.T) {
	bz, err := os.ReadFile(filepath.Join("..", "..", "..", "yuma", "testdata", "example_scenario.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The example expects the heavier validator to hold 0.7778 of the dividends; claim something else.
	wrong := strings.Replace(string(bz), "0.7778, 0.2222", "0.2222, 0.7778", 1)
	if wrong == string(bz) {
		t.Fatal("example scenario no longer contains the dividend expectation this test edits")
	}
	f := filepath.Join(t.TempDir(), "wrong.json")
	if err := os.WriteFile(f, []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runYuma(t, "simulate", f); err == nil {
		t.Fatalf("simulate accepted a wrong expectation:\n%s", out)
	}
}
