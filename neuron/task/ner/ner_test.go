package ner_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
)

// meanScore runs every corpus challenge through the model and averages the validator's scores.
func meanScore(t *testing.T, tk *ner.Task, model string) (score, f1 float64) {
	t.Helper()
	h, err := tk.NewHandler(model)
	if err != nil {
		t.Fatal(err)
	}
	chs := tk.Challenges()
	for _, ch := range chs {
		start := time.Now()
		ans, err := h.Handle(context.Background(), protocol.Call{Task: ner.Name, Payload: ch.Payload})
		if err != nil {
			t.Fatal(err)
		}
		score += tk.Score(ch, ans, time.Since(start), time.Second)
		var a ner.Answer
		if err := json.Unmarshal(ans, &a); err != nil {
			t.Fatal(err)
		}
		f1 += ner.F1(ch.Expected.([]ner.Entity), a.Entities)
	}
	n := float64(len(chs))
	return score / n, f1 / n
}

func TestModelsSeparate(t *testing.T) {
	tk, err := ner.New()
	if err != nil {
		t.Fatal(err)
	}
	full, fullF1 := meanScore(t, tk, ner.ModelFull)
	lite, liteF1 := meanScore(t, tk, ner.ModelLite)
	broken, brokenF1 := meanScore(t, tk, ner.ModelBroken)
	t.Logf("mean score (F1): full %.3f (%.3f), lite %.3f (%.3f), broken %.3f (%.3f) over %d sentences",
		full, fullF1, lite, liteF1, broken, brokenF1, len(tk.Challenges()))
	if !(full > lite+0.05 && lite > broken+0.05) {
		t.Fatalf("scores do not separate the models: full %.3f lite %.3f broken %.3f", full, lite, broken)
	}
	if full < 0.5 {
		t.Fatalf("full model scores %.3f, expected a working model", full)
	}
}

func TestF1(t *testing.T) {
	g := []ner.Entity{{"Paris", "GPE"}, {"John Smith", "PERSON"}}
	cases := []struct {
		pred []ner.Entity
		want float64
	}{
		{g, 1},
		{[]ner.Entity{{"paris", "gpe"}, {"John Smith", "PERSON"}}, 1},
		{[]ner.Entity{{"Paris", "PERSON"}}, 0},
		{[]ner.Entity{{"Paris", "GPE"}}, 2 * 1 * 0.5 / 1.5},
		{[]ner.Entity{{"Paris", "GPE"}, {"Paris", "GPE"}, {"John Smith", "PERSON"}}, 2 * (2.0 / 3) * 1 / (2.0/3 + 1)},
		{nil, 0},
	}
	for i, c := range cases {
		if got := ner.F1(g, c.pred); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("case %d: F1 %.4f, want %.4f", i, got, c.want)
		}
	}
	if ner.F1(nil, nil) != 1 || ner.F1(nil, g) != 0 {
		t.Error("empty-set cases")
	}
}

func TestBadPayloadAndScoreEdges(t *testing.T) {
	tk, _ := ner.New()
	h, _ := tk.NewHandler(ner.ModelFull)
	if _, err := h.Handle(context.Background(), protocol.Call{Payload: []byte("{")}); !errors.Is(err, protocol.ErrBadPayload) {
		t.Fatalf("malformed payload: %v", err)
	}
	ch, err := tk.NewChallenge(rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if s := tk.Score(ch, []byte("not json"), 0, time.Second); s != 0 {
		t.Fatalf("garbage answer scored %v", s)
	}
	if _, err := tk.NewHandler("gpt-9"); err == nil {
		t.Fatal("unknown model accepted")
	}
	// Latency only nudges: an instant perfect answer beats a slow one, both beat a wrong one.
	gold := ch.Expected.([]ner.Entity)
	perfect, _ := json.Marshal(ner.Answer{Entities: gold})
	fast, slow := tk.Score(ch, perfect, 0, time.Second), tk.Score(ch, perfect, 900*time.Millisecond, time.Second)
	if !(fast > slow && slow > 1-task.LatencyWeight-1e-9) {
		t.Fatalf("fast %.3f slow %.3f", fast, slow)
	}
}

func BenchmarkHandle(b *testing.B) {
	tk, _ := ner.New()
	chs := tk.Challenges()
	for _, model := range tk.Models() {
		b.Run(model, func(b *testing.B) {
			h, _ := tk.NewHandler(model)
			b.ReportAllocs()
			for i := range b.N {
				if _, err := h.Handle(context.Background(), protocol.Call{Payload: chs[i%len(chs)].Payload}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
