package task_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
)

func TestRegistry(t *testing.T) {
	n, err := ner.New()
	if err != nil {
		t.Fatal(err)
	}
	r, err := task.NewRegistry(n, &textgen.Task{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Register(n); err == nil {
		t.Fatal("duplicate task registered")
	}
	if got := r.Names(); len(got) != 2 || got[0] != "ner" || got[1] != "text-generation" {
		t.Fatalf("names %v", got)
	}
	hs, err := r.MinerHandlers(map[string]string{"ner": ner.ModelFull})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := hs.Handler("ner"); !ok {
		t.Fatal("ner handler missing")
	}
	if _, err := r.MinerHandlers(map[string]string{"translate": "x"}); err == nil {
		t.Fatal("unknown task accepted")
	}
	if _, err := r.MinerHandlers(map[string]string{"text-generation": textgen.ModelOpenAI}); err == nil {
		t.Fatal("text-generation without a backend accepted")
	}
	// Evaluate: a query that fails scores 0; a correct one scores by the task.
	ch, _ := n.NewChallenge(rand.New(rand.NewPCG(1, 1)))
	h, _ := hs.Handler("ner")
	good := task.Evaluate(context.Background(), n, ch, time.Second, func(ctx context.Context, p []byte) ([]byte, bool, error) {
		b, err := h.Handle(ctx, protocol.Call{Payload: p})
		return b, err == nil, err
	})
	failed := task.Evaluate(context.Background(), n, ch, time.Second, func(ctx context.Context, p []byte) ([]byte, bool, error) {
		<-ctx.Done()
		return nil, false, ctx.Err()
	})
	if failed != 0 || good <= 0 {
		t.Fatalf("good %.3f failed %.3f", good, failed)
	}
}
