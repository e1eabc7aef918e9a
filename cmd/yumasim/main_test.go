package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../../yuma/testdata/example_scenario.json"

func TestSimulateExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"simulate", example}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "0 failed") {
		t.Errorf("no summary: %s", out.String())
	}
	out.Reset()
	if code := run([]string{"simulate", "--output", "json", example}, nil, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "{") {
		t.Fatalf("json: exit %d, %s", code, out.String())
	}

	b, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(b), `"2": 32767`, `"2": 1`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"simulate", bad}, nil, &out, &errb); code != 1 {
		t.Errorf("failing expectation: exit %d, want 1", code)
	}
	if code := run([]string{"simulate", "-"}, strings.NewReader(string(b)), &out, &errb); code != 0 {
		t.Errorf("stdin: exit %d", code)
	}
	for _, args := range [][]string{{}, {"bogus"}, {"simulate"}, {"simulate", "--output", "xml", example}, {"simulate", "/no/such/file"}} {
		if code := run(args, nil, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
