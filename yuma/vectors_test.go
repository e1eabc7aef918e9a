package yuma_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tokenmind/tokenmind/yuma/internal/vectortest"
	"github.com/tokenmind/tokenmind/yuma/scenario"
)

// vectorsRel is where the shared vectors live relative to a directory that contains shared/.
const vectorsRel = "shared/yuma/vectors.json"

// findDefaultVectors resolves the default vectors file: $YUMA_VECTORS_DEFAULT, else the first
// <dir>/shared/yuma/vectors.json walking up from the package directory (which also covers a
// clone with shared/ beside it: <clone>/../shared/yuma/vectors.json).
func findDefaultVectors() (string, []string, error) {
	if p := os.Getenv("YUMA_VECTORS_DEFAULT"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", []string{p}, fmt.Errorf("YUMA_VECTORS_DEFAULT=%s: %w", p, err)
		}
		return p, nil, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", nil, err
	}
	var tried []string
	for {
		p := filepath.Join(dir, vectorsRel)
		tried = append(tried, p)
		if _, err := os.Stat(p); err == nil {
			return p, tried, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", tried, fmt.Errorf("not found")
		}
		dir = parent
	}
}

func runVectorFile(t *testing.T, path string, total *scenario.Report) {
	t.Helper()
	rep, err := scenario.RunFile(path, scenario.Options{Sections: vectortest.Sections()})
	if err != nil {
		t.Errorf("%s: %v", path, err)
		total.Failed++
		return
	}
	for _, f := range rep.Failures {
		t.Errorf("%s: %s", filepath.Base(path), f)
	}
	for _, n := range rep.NotRun {
		t.Errorf("%s: %s", filepath.Base(path), n)
	}
	if rep.Vectors == 0 || rep.Checks == 0 {
		t.Errorf("%s: no vectors or expectations were run", path)
	}
	total.Vectors += rep.Vectors
	total.Epochs += rep.Epochs
	total.Checks += rep.Checks
	total.Failed += rep.Failed
}

// TestVectors replays every math, epoch and scheduler vector of ../shared/yuma/vectors.json and
// of the file named by $YUMA_VECTORS, if set, and prints exactly one summary line over all of
// them: "yuma vectors: V vectors, E epochs, K expectations checked, F failed".
func TestVectors(t *testing.T) {
	path, tried, err := findDefaultVectors()
	if err != nil {
		t.Fatalf("cannot find the Yuma test vectors (%v); set YUMA_VECTORS_DEFAULT or put %s in a parent directory; tried: %v",
			err, vectorsRel, tried)
	}
	total := &scenario.Report{}
	runVectorFile(t, path, total)
	if extra := os.Getenv("YUMA_VECTORS"); extra != "" {
		runVectorFile(t, extra, total)
	}
	fmt.Println(total.Summary())
}
