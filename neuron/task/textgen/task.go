package textgen

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
)

// Name of the task on the wire.
const Name = "text-generation"

// ModelOpenAI is the backend that forwards to an OpenAI-compatible server.
const ModelOpenAI = "openai"

// Task implements task.Task. Backend is only needed on miners.
type Task struct {
	Backend *OpenAIConfig
}

// Name implements task.Task.
func (*Task) Name() string { return Name }

// Models implements task.Task.
func (*Task) Models() []string { return []string{ModelOpenAI} }

// NewHandler implements task.Task.
func (t *Task) NewHandler(model string) (protocol.Handler, error) {
	if model != ModelOpenAI {
		return nil, fmt.Errorf("textgen: unknown model %q", model)
	}
	if t.Backend == nil {
		return nil, fmt.Errorf("textgen: no OpenAI-compatible backend configured")
	}
	o, err := NewOpenAI(*t.Backend)
	if err != nil {
		return nil, err
	}
	return &Handler{o: o}, nil
}

type arithmetic struct{ want int }

// NewChallenge implements task.Task: a small arithmetic question with one correct number.
func (*Task) NewChallenge(rng *rand.Rand) (task.Challenge, error) {
	a, b := rng.IntN(90)+10, rng.IntN(90)+10
	q, want := fmt.Sprintf("What is %d plus %d? Reply with the number only.", a, b), a+b
	if rng.IntN(2) == 0 {
		q, want = fmt.Sprintf("What is %d times %d? Reply with the number only.", a, b), a*b
	}
	p, err := json.Marshal(Request{Messages: []Message{{Role: "user", Content: q}}, MaxTokens: 16})
	return task.Challenge{Payload: p, Expected: arithmetic{want}}, err
}

var firstNumber = regexp.MustCompile(`-?\d+`)

// Score implements task.Task: full marks when the first number in the answer is correct.
func (*Task) Score(ch task.Challenge, answer []byte, latency, timeout time.Duration) float64 {
	exp, ok := ch.Expected.(arithmetic)
	if !ok {
		return 0
	}
	var a Answer
	if json.Unmarshal(answer, &a) != nil {
		return 0
	}
	n, err := strconv.Atoi(firstNumber.FindString(a.Text))
	if err != nil || n != exp.want {
		return 0
	}
	return task.Blend(1, latency, timeout)
}

// Handler is the miner side.
type Handler struct{ o *OpenAI }

// ModelID implements protocol.Handler.
func (h *Handler) ModelID() string { return "openai/" + h.o.cfg.Model }

// Check implements task.Checker: whether the OpenAI-compatible server answers (OpenAI.Probe).
func (h *Handler) Check(ctx context.Context) error { return h.o.Probe(ctx) }

// Handle implements protocol.Handler.
func (h *Handler) Handle(ctx context.Context, c protocol.Call) ([]byte, error) {
	var req Request
	if err := json.Unmarshal(c.Payload, &req); err != nil {
		return nil, fmt.Errorf("%w: %w", protocol.ErrBadPayload, err)
	}
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("%w: no messages", protocol.ErrBadPayload)
	}
	a, err := h.o.Complete(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	return json.Marshal(a)
}
