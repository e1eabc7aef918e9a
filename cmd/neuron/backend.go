package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokenmind/tokenmind/neuron/task"
)

// backendState is what a miner last learned of its task's backend (a task.Checker): the health endpoint reports it
// and neuron_miner_backend_up exports it.
type backendState struct {
	chk  task.Checker
	up   prometheus.Gauge
	mu   sync.Mutex
	last error
}

func newBackendState(chk task.Checker, reg prometheus.Registerer, taskName string) *backendState {
	b := &backendState{chk: chk, last: errors.New("not checked yet"), up: prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: "neuron", Subsystem: "miner", Name: "backend_up",
		Help:        "1 when the task's backend answered the last check, 0 when it did not.",
		ConstLabels: prometheus.Labels{"task": taskName},
	})}
	reg.MustRegister(b.up)
	return b
}

// check asks the backend once and records the answer.
func (b *backendState) check(ctx context.Context) error {
	err := b.chk.Check(ctx)
	b.mu.Lock()
	b.last = err
	b.mu.Unlock()
	if err != nil {
		b.up.Set(0)
	} else {
		b.up.Set(1)
	}
	return err
}

// err is the outcome of the last check (a metrics.Check).
func (b *backendState) err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// run re-checks every interval until ctx ends, logging each change.
func (b *backendState) run(ctx context.Context, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		was := b.err()
		err := b.check(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && was == nil:
			log.Warn("backend unreachable: queries fail until it answers", "err", err)
		case err == nil && was != nil:
			log.Info("backend answers again")
		}
	}
}
