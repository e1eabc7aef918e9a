// Package task defines what a subnet's work is, independent of networking: the miner's handler, the validator's
// challenges and scoring. Adding a task means implementing Task and registering it; the protocol is untouched.
package task

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
)

// Challenge is a query a validator sends with the answer it knows to be correct.
type Challenge struct {
	Payload []byte
	// Expected is private to the validator and only read by the same task's Score.
	Expected any
}

// Task is one kind of AI work.
type Task interface {
	Name() string
	// Models lists the miner backends this task offers (e.g. "full", "lite").
	Models() []string
	// NewHandler builds the miner's handler for one backend.
	NewHandler(model string) (protocol.Handler, error)
	// NewChallenge draws a challenge.
	NewChallenge(rng *rand.Rand) (Challenge, error)
	// Score rates an answer in [0, 1]; latency is what the validator measured and timeout what it allowed.
	Score(ch Challenge, answer []byte, latency, timeout time.Duration) float64
}

// Checker is implemented by miner handlers whose backend lives outside the process (a model server): Check reports
// whether the backend answers now, and if not, what is wrong in words an operator can act on. The miner checks at
// start-up and periodically, logs changes and reports the state on its health endpoint.
type Checker interface {
	Check(ctx context.Context) error
}

// LatencyWeight is the share of a score that rewards speed; the rest is quality.
const LatencyWeight = 0.05

// Blend combines quality in [0,1] with a small latency term that is 1 for an instant answer and 0 at the timeout.
func Blend(quality float64, latency, timeout time.Duration) float64 {
	speed := 0.0
	if timeout > 0 && latency < timeout {
		speed = 1 - float64(latency)/float64(timeout)
	}
	if quality < 0 {
		quality = 0
	}
	if quality > 1 {
		quality = 1
	}
	return (1-LatencyWeight)*quality + LatencyWeight*speed*quality // speed only counts for useful answers
}

// Registry holds the known tasks.
type Registry struct {
	mu    sync.RWMutex
	tasks map[string]Task
}

// NewRegistry returns a registry with tasks.
func NewRegistry(tasks ...Task) (*Registry, error) {
	r := &Registry{tasks: map[string]Task{}}
	for _, t := range tasks {
		if err := r.Register(t); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Register adds a task; names are unique.
func (r *Registry) Register(t Task) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.tasks[t.Name()]; dup {
		return fmt.Errorf("task: %q registered twice", t.Name())
	}
	r.tasks[t.Name()] = t
	return nil
}

// Get returns the task named name.
func (r *Registry) Get(name string) (Task, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.tasks[name]
	return t, ok
}

// Names lists the registered tasks, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.tasks))
	for n := range r.tasks {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Handlers maps task names to a miner's handlers; it implements protocol.Handlers.
type Handlers map[string]protocol.Handler

// Handler implements protocol.Handlers.
func (h Handlers) Handler(task string) (protocol.Handler, bool) {
	x, ok := h[task]
	return x, ok
}

// MinerHandlers builds the handlers a miner serves: model is the backend name for each task.
func (r *Registry) MinerHandlers(models map[string]string) (Handlers, error) {
	out := Handlers{}
	for name, model := range models {
		t, ok := r.Get(name)
		if !ok {
			return nil, fmt.Errorf("task: unknown task %q (have %v)", name, r.Names())
		}
		h, err := t.NewHandler(model)
		if err != nil {
			return nil, fmt.Errorf("task %s: %w", name, err)
		}
		out[name] = h
	}
	return out, nil
}

// Query is how a validator reaches one miner (protocol.Client.Query fits through a closure).
type Query func(ctx context.Context, payload []byte) (answer []byte, ok bool, err error)

// Evaluate runs one challenge against one miner and returns its score; failures score 0.
func Evaluate(ctx context.Context, t Task, ch Challenge, timeout time.Duration, q Query) float64 {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	ans, ok, err := q(ctx, ch.Payload)
	if err != nil || !ok {
		return 0
	}
	return t.Score(ch, ans, time.Since(start), timeout)
}
