package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/neuron/gateway"
	"github.com/tokenmind/tokenmind/neuron/score"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/validator"
)

type validatorFlags struct {
	tasks             []string
	sampleSize        int
	roundInterval     time.Duration
	queryTimeout      time.Duration
	alpha             float64
	listen            []string
	metagraphInterval time.Duration
	receiptsMax       int64
	warmup            int
	gw                gatewayFlags
}

func validatorCmd(c *common) *cobra.Command {
	f := &validatorFlags{}
	cmd := &cobra.Command{
		Use:   "validator",
		Short: "query and score the subnet's miners and set weights on chain every tempo",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := c.logger()
			if err != nil {
				return err
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			return runValidator(ctx, c, f, log)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.tasks, "task", []string{ner.Name}, "tasks to challenge miners with")
	fl.IntVar(&f.sampleSize, "sample-size", 16, "serving miners queried per round")
	fl.DurationVar(&f.roundInterval, "round-interval", 5*time.Second, "time between rounds")
	fl.DurationVar(&f.queryTimeout, "query-timeout", 10*time.Second, "deadline of one query; a miner that misses it scores 0")
	fl.Float64Var(&f.alpha, "alpha", score.DefaultAlpha, "weight of a new observation in the score moving average")
	fl.DurationVar(&f.metagraphInterval, "metagraph-interval", 12*time.Second, "how often to refresh the metagraph")
	fl.IntVar(&f.warmup, "warmup-rounds", 3, "rounds to score miners before the first weights post after start-up (miners starting at the same time get scored)")
	fl.Int64Var(&f.receiptsMax, "receipts-max-bytes", validator.DefaultReceiptLogBytes, "keep miners' signed answers in <home>/neuron/receipts-<netuid>.jsonl, rotated at this size (0: keep none)")
	f.gw.register(cmd, "")
	outboundListenFlag(cmd, &f.listen)
	return cmd
}

func runValidator(ctx context.Context, c *common, f *validatorFlags, log *slog.Logger) error {
	if c.chainID == "" {
		return errors.New("--chain-id is required (weights are signed for it)")
	}
	id, lock, err := c.lockedIdentity()
	if err != nil {
		return err
	}
	defer func() {
		if err := lock.Release(); err != nil {
			log.Warn("release the key lock", "err", err)
		}
	}()
	log = log.With("hotkey", id.Address.String(), "peer", id.PeerID.String(), "netuid", c.netuid)
	reg, err := taskRegistry(nil) // validators draw challenges and score; they run no backend
	if err != nil {
		return err
	}
	var tasks []task.Task
	for _, n := range f.tasks {
		t, ok := reg.Get(n)
		if !ok {
			return fmt.Errorf("--task %q: unknown (have %v)", n, reg.Names())
		}
		tasks = append(tasks, t)
	}
	book, err := score.Open(filepath.Join(c.home, "neuron", fmt.Sprintf("scores-%d.json", c.netuid)), c.netuid, f.alpha)
	if err != nil {
		return err
	}

	r, err := startRequester(ctx, c, id, f.gw.addr, f.listen, log)
	if err != nil {
		return err
	}
	defer r.Close()
	cl, h, mreg, cache := r.cl, r.h, r.reg, r.cache
	var receipts *validator.ReceiptLog
	if f.receiptsMax > 0 {
		if receipts, err = validator.OpenReceiptLog(filepath.Join(c.home, "neuron", fmt.Sprintf("receipts-%d.jsonl", c.netuid)), f.receiptsMax); err != nil {
			return err
		}
		defer receipts.Close()
	}
	v, err := validator.New(validator.Config{
		NetUID: c.netuid, Self: id.Address, Tasks: tasks, Metagraph: cache, Querier: r.qc, PeerID: cl.PeerID,
		AddAddrs: addrAdder(h), Book: book, Chain: validator.OnChain{Client: cl, Key: id.Cosmos, NetUID: c.netuid},
		StatePath:  filepath.Join(c.home, "neuron", fmt.Sprintf("validator-%d.json", c.netuid)),
		SampleSize: f.sampleSize, QueryTimeout: f.queryTimeout, RoundInterval: f.roundInterval, WarmupRounds: f.warmup,
		Registerer: mreg, Receipts: receipts, Log: log.With("component", "validator"),
	})
	if err != nil {
		return err
	}
	log.Info("validator started", "tasks", f.tasks, "gateway", f.gw.addr, "listen", h.Addrs())

	ctx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	var wg sync.WaitGroup
	defer wg.Wait()
	goFn := func(fn func()) { wg.Add(1); go func() { defer wg.Done(); fn() }() }
	goFn(func() { cache.Run(ctx, cl, f.metagraphInterval, 10*time.Second, log.With("component", "metagraph")) })
	goFn(func() { cl.Watch(ctx, nil) })
	if r.lis.metrics != nil {
		goFn(func() { serveMetrics(ctx, fail, r.lis.metrics, mreg, log) })
	}
	if r.lis.gateway != nil {
		goFn(func() {
			err := serveGateway(ctx, r.lis.gateway, &f.gw, c.netuid, cache, gateway.BookScores{Book: book}, r.qc, cl, h, mreg, log.With("component", "gateway"))
			if err != nil && ctx.Err() == nil {
				fail(fmt.Errorf("gateway stopped: %w", err))
			}
		})
	}
	err = v.Run(ctx)
	fail(nil) // stops the other goroutines if the loop ended on its own
	log.Info("shutting down")
	if ferr := failure(ctx); ferr != nil {
		return ferr
	}
	return err
}
