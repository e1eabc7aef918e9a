// Package ner is the built-in named-entity task. Miners run a real trained model in-process (prose's averaged
// perceptron tagger and maximum-entropy entity classifier, embedded in the Go module: nothing downloads at run time).
// Validators draw sentences from a hand-annotated corpus shipped in the binary and score entity-level F1.
package ner

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	prose "github.com/jdkato/prose/v2"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
)

// Name of the task on the wire.
const Name = "ner"

// Backends a miner can run.
const (
	ModelFull   = "full"   // prose tagger + entity classifier
	ModelLite   = "lite"   // prose tagger only: proper-noun chunks, labeled with the corpus' most frequent label
	ModelBroken = "broken" // garbage, for tests
)

// MaxTextBytes bounds a request's text.
const MaxTextBytes = 8 << 10

// Entity is one labeled span.
type Entity struct {
	Text  string `json:"text"`
	Label string `json:"label"`
}

// Request is the task payload.
type Request struct {
	Text string `json:"text"`
}

// Answer is the miner's payload.
type Answer struct {
	Entities []Entity `json:"entities"`
}

// Example is one annotated sentence.
type Example struct {
	Text     string
	Entities []Entity
}

//go:embed corpus.tsv
var corpusTSV string

// Corpus returns the shipped challenge set.
func Corpus() ([]Example, error) { return parseCorpus(corpusTSV) }

func parseCorpus(s string) ([]Example, error) {
	var out []Example
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, gold, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("ner corpus line %d: no tab", i+1)
		}
		ex := Example{Text: text}
		for _, f := range strings.Split(gold, "|") {
			if f == "" {
				continue
			}
			label, span, ok := strings.Cut(f, "=")
			if !ok || !strings.Contains(text, span) {
				return nil, fmt.Errorf("ner corpus line %d: bad entity %q", i+1, f)
			}
			ex.Entities = append(ex.Entities, Entity{Text: span, Label: label})
		}
		out = append(out, ex)
	}
	if len(out) == 0 {
		return nil, errors.New("ner corpus is empty")
	}
	return out, nil
}

// Task implements task.Task.
type Task struct {
	corpus []Example
}

// New loads the corpus.
func New() (*Task, error) {
	c, err := Corpus()
	if err != nil {
		return nil, err
	}
	return &Task{corpus: c}, nil
}

// Name implements task.Task.
func (*Task) Name() string { return Name }

// Models implements task.Task.
func (*Task) Models() []string { return []string{ModelFull, ModelLite, ModelBroken} }

// NewHandler implements task.Task.
func (t *Task) NewHandler(model string) (protocol.Handler, error) {
	switch model {
	case ModelFull, ModelLite:
		return &Handler{model: model}, nil
	case ModelBroken:
		return &Handler{model: model}, nil
	}
	return nil, fmt.Errorf("ner: unknown model %q (have %v)", model, t.Models())
}

// NewChallenge implements task.Task.
func (t *Task) NewChallenge(rng *rand.Rand) (task.Challenge, error) {
	ex := t.corpus[rng.IntN(len(t.corpus))]
	p, err := json.Marshal(Request{Text: ex.Text})
	if err != nil {
		return task.Challenge{}, err
	}
	return task.Challenge{Payload: p, Expected: ex.Entities}, nil
}

// Score implements task.Task: entity-level F1 (exact text and label, as multisets) blended with latency.
func (t *Task) Score(ch task.Challenge, answer []byte, latency, timeout time.Duration) float64 {
	gold, ok := ch.Expected.([]Entity)
	if !ok {
		return 0
	}
	var a Answer
	if err := json.Unmarshal(answer, &a); err != nil {
		return 0
	}
	return task.Blend(F1(gold, a.Entities), latency, timeout)
}

// Challenges returns every corpus sentence as a challenge (for evaluation runs).
func (t *Task) Challenges() []task.Challenge {
	out := make([]task.Challenge, 0, len(t.corpus))
	for _, ex := range t.corpus {
		p, _ := json.Marshal(Request{Text: ex.Text})
		out = append(out, task.Challenge{Payload: p, Expected: ex.Entities})
	}
	return out
}

// F1 is the entity-level F1 of pred against gold. Two empty sets agree perfectly.
func F1(gold, pred []Entity) float64 {
	if len(gold) == 0 && len(pred) == 0 {
		return 1
	}
	if len(gold) == 0 || len(pred) == 0 {
		return 0
	}
	want := map[Entity]int{}
	for _, e := range gold {
		want[norm(e)]++
	}
	tp := 0
	for _, e := range pred {
		k := norm(e)
		if want[k] > 0 {
			want[k]--
			tp++
		}
	}
	if tp == 0 {
		return 0
	}
	p, r := float64(tp)/float64(len(pred)), float64(tp)/float64(len(gold))
	return 2 * p * r / (p + r)
}

func norm(e Entity) Entity {
	return Entity{Text: strings.ToLower(strings.TrimSpace(e.Text)), Label: strings.ToUpper(e.Label)}
}

// The prose model is loaded once (a few hundred ms) and is read-only afterwards, so handlers share it.
var (
	modelOnce sync.Once
	model     *prose.Model
	modelErr  error
)

func loadModel() (*prose.Model, error) {
	modelOnce.Do(func() {
		doc, err := prose.NewDocument("", prose.WithSegmentation(false))
		if err != nil {
			modelErr = fmt.Errorf("ner: load model: %w", err)
			return
		}
		model = doc.Model
	})
	return model, modelErr
}

// Handler is the miner side.
type Handler struct {
	model string
}

// ModelID implements protocol.Handler.
func (h *Handler) ModelID() string { return "prose-en-v2.0.0/" + h.model }

// Handle implements protocol.Handler.
func (h *Handler) Handle(ctx context.Context, c protocol.Call) ([]byte, error) {
	var req Request
	if err := json.Unmarshal(c.Payload, &req); err != nil {
		return nil, fmt.Errorf("%w: %w", protocol.ErrBadPayload, err)
	}
	if len(req.Text) > MaxTextBytes {
		return nil, fmt.Errorf("%w: text longer than %d bytes", protocol.ErrBadPayload, MaxTextBytes)
	}
	ents, err := h.Extract(ctx, req.Text)
	if err != nil {
		return nil, err
	}
	return json.Marshal(Answer{Entities: ents})
}

// Extract runs the backend on text.
func (h *Handler) Extract(ctx context.Context, text string) ([]Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if h.model == ModelBroken {
		return garbage(text), nil
	}
	m, err := loadModel()
	if err != nil {
		return nil, err
	}
	if h.model == ModelFull {
		doc, err := prose.NewDocument(text, prose.UsingModel(m), prose.WithSegmentation(false))
		if err != nil {
			return nil, err
		}
		out := []Entity{}
		for _, e := range doc.Entities() {
			out = append(out, Entity{Text: e.Text, Label: e.Label})
		}
		return out, nil
	}
	// lite: the tagger alone; runs of proper nouns become entities.
	doc, err := prose.NewDocument(text, prose.UsingModel(m), prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		return nil, err
	}
	out := []Entity{}
	var run []string
	flush := func() {
		if len(run) > 0 {
			out = append(out, Entity{Text: strings.Join(run, " "), Label: "PERSON"})
			run = run[:0]
		}
	}
	for _, tok := range doc.Tokens() {
		if tok.Tag == "NNP" || tok.Tag == "NNPS" {
			run = append(run, tok.Text)
			continue
		}
		flush()
	}
	flush()
	return out, nil
}

// garbage labels every other word with a rotating label: well-formed, useless.
func garbage(text string) []Entity {
	labels := []string{"GPE", "ORGANIZATION", "PERSON"}
	out := []Entity{}
	for i, w := range strings.Fields(text) {
		if i%2 == 1 {
			out = append(out, Entity{Text: strings.Trim(w, ".,"), Label: labels[i%len(labels)]})
		}
	}
	return out
}
