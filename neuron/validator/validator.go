// Package validator is the validator's loop: every round it samples serving miners from the metagraph, sends each
// task's challenge to them concurrently, scores the verified answers (quality and latency, 0 for errors and
// timeouts) into the score book, and once per tempo turns the book into weights on chain — directly with
// MsgSetWeights, or with commit then reveal when the subnet has commit-reveal enabled. It reaches the chain only
// through the Chain interface, so it runs against fakes in tests.
package validator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/score"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// Params are the subnet hyperparameters and the epoch schedule the loop needs.
type Params struct {
	Tempo               uint64
	WeightsRateLimit    uint64
	CommitRevealEnabled bool
	CommitRevealPeriod  uint64
	WeightsVersionKey   uint64
	// The chain's schedule (x/emissions NextEpoch): EpochKnown is false until the subnet's first epoch is scheduled.
	EpochKnown           bool
	EpochIndex           uint64 // epochs the subnet has run; commit-reveal counts in it
	BlocksUntilNextEpoch uint64
}

// Chain is what the loop needs from the chain. Refused transactions are *chain.TxError.
type Chain interface {
	Height(ctx context.Context) (int64, error)
	Params(ctx context.Context) (Params, error)
	SetWeights(ctx context.Context, uids, values []uint32, versionKey uint64) error
	CommitWeights(ctx context.Context, hash []byte) error
	RevealWeights(ctx context.Context, uids, values []uint32, salt []byte, versionKey uint64) error
}

// Querier sends one query to one miner (protocol.Client implements it).
type Querier interface {
	Query(ctx context.Context, p peer.ID, netuid uint16, task string, payload []byte) (*protocol.Result, error)
}

// Config configures a Validator.
type Config struct {
	NetUID    uint16
	Self      sdk.AccAddress // the validator's hotkey: never sampled, and the commit hash's signer
	Tasks     []task.Task
	Metagraph interface{ Snapshot() *metagraph.Snapshot }
	Querier   Querier
	// PeerID resolves a miner's hotkey to its peer ID (chain.Client.PeerID).
	PeerID func(ctx context.Context, addr sdk.AccAddress) (peer.ID, error)
	// AddAddrs teaches the host where a miner listens; may be nil.
	AddAddrs func(peer.ID, []ma.Multiaddr)
	Book     *score.Book
	Chain    Chain
	// StatePath holds the last posting height and the pending commit (with its salt).
	StatePath  string
	SampleSize int // miners per round; default 16
	// WarmupRounds is how many rounds this process runs before its first weights post (default 0: none). Miners
	// that start serving together with the validator are then scored before the first post instead of missing a
	// whole tempo of weights.
	WarmupRounds  int
	QueryTimeout  time.Duration // per request; default 10s
	RoundInterval time.Duration // default 5s
	Registerer    prometheus.Registerer
	// Receipts, when set, keeps every signed answer (ok or not) as evidence of what each miner said.
	Receipts *ReceiptLog
	Log      *slog.Logger
	Rand     *mrand.Rand // sampling and challenges; nil = seeded randomly
}

// Validator runs the loop. Round and Run must not be called concurrently.
type Validator struct {
	cfg    Config
	st     *state
	m      *metrics
	peers  map[string]peer.ID
	rounds int // rounds run by this process
}

// New loads the persisted state and returns a validator.
func New(cfg Config) (*Validator, error) {
	switch {
	case len(cfg.Tasks) == 0:
		return nil, errors.New("validator: no task")
	case cfg.Metagraph == nil || cfg.Querier == nil || cfg.PeerID == nil || cfg.Book == nil || cfg.Chain == nil:
		return nil, errors.New("validator: Metagraph, Querier, PeerID, Book and Chain are required")
	case cfg.StatePath == "":
		return nil, errors.New("validator: no state path")
	}
	if cfg.SampleSize <= 0 {
		cfg.SampleSize = 16
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	if cfg.RoundInterval <= 0 {
		cfg.RoundInterval = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Rand == nil {
		var seed [32]byte
		_, _ = rand.Read(seed[:])
		cfg.Rand = mrand.New(mrand.NewChaCha8(seed))
	}
	st, err := loadState(cfg.StatePath, cfg.NetUID)
	if err != nil {
		return nil, err
	}
	return &Validator{cfg: cfg, st: st, m: newMetrics(cfg.Registerer), peers: map[string]peer.ID{}}, nil
}

type miner struct {
	n     metagraph.Neuron
	peer  peer.ID
	addrs []ma.Multiaddr
}

// Run does a round every RoundInterval until ctx ends, then saves the book.
func (v *Validator) Run(ctx context.Context) error {
	t := time.NewTicker(v.cfg.RoundInterval)
	defer t.Stop()
	for {
		if err := v.Round(ctx); err != nil && ctx.Err() == nil {
			v.cfg.Log.Warn("round incomplete", "err", err)
		}
		select {
		case <-ctx.Done():
			return v.cfg.Book.Save()
		case <-t.C:
		}
	}
}

// Round samples, queries and scores miners, saves the book, and posts weights when due.
func (v *Validator) Round(ctx context.Context) error {
	snap := v.cfg.Metagraph.Snapshot()
	if snap == nil {
		return errors.New("validator: no metagraph yet")
	}
	hotkeys := make(map[uint16]sdk.AccAddress, len(snap.Neurons))
	for _, n := range snap.Neurons {
		hotkeys[n.UID] = n.Hotkey
	}
	v.cfg.Book.Sync(hotkeys) // a UID that changed hands starts from zero
	start := time.Now()
	miners := v.sample(ctx, snap)
	failed := v.evaluate(ctx, miners)
	took := time.Since(start)
	v.m.round.Observe(took.Seconds())
	v.cfg.Log.Info("round done", "miners", len(miners), "failed", failed, "duration_ms", took.Milliseconds())
	if err := v.cfg.Book.Save(); err != nil {
		return err
	}
	v.m.scores.Reset()
	for _, n := range snap.Neurons {
		if e, ok := v.cfg.Book.Get(n.UID); ok {
			v.m.scores.WithLabelValues(strconv.Itoa(int(n.UID))).Set(e.Score)
		}
	}
	v.rounds++
	return v.post(ctx)
}

// sample picks up to SampleSize serving miners (valid multiaddr, resolvable peer ID), not the validator itself.
func (v *Validator) sample(ctx context.Context, snap *metagraph.Snapshot) []miner {
	var ms []miner
	for _, n := range snap.Neurons {
		if n.Hotkey.Equals(v.cfg.Self) {
			continue
		}
		var addrs []ma.Multiaddr
		for _, s := range n.Addrs {
			if a, err := ma.NewMultiaddr(s); err == nil {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		p, err := v.peerOf(ctx, n.Hotkey)
		if err != nil {
			v.cfg.Log.Debug("miner's peer ID unknown; skipped", "uid", n.UID, "err", err)
			continue
		}
		ms = append(ms, miner{n: n, peer: p, addrs: addrs})
	}
	v.cfg.Rand.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	if len(ms) > v.cfg.SampleSize {
		ms = ms[:v.cfg.SampleSize]
	}
	return ms
}

func (v *Validator) peerOf(ctx context.Context, addr sdk.AccAddress) (peer.ID, error) {
	if p, ok := v.peers[string(addr)]; ok {
		return p, nil
	}
	ctx, cancel := context.WithTimeout(ctx, v.cfg.QueryTimeout)
	defer cancel()
	p, err := v.cfg.PeerID(ctx, addr)
	if err != nil {
		return "", err
	}
	v.peers[string(addr)] = p
	return p, nil
}

// evaluate sends every task's challenge (the same to every miner) concurrently and observes each miner's mean
// score over the tasks. It returns how many queries got no usable answer (error, timeout or a non-OK status).
func (v *Validator) evaluate(ctx context.Context, ms []miner) int {
	if len(ms) == 0 {
		return 0
	}
	type job struct {
		t  task.Task
		ch task.Challenge
	}
	var jobs []job
	for _, t := range v.cfg.Tasks {
		ch, err := t.NewChallenge(v.cfg.Rand)
		if err != nil {
			v.cfg.Log.Error("cannot draw a challenge", "task", t.Name(), "err", err)
			continue
		}
		jobs = append(jobs, job{t, ch})
	}
	if len(jobs) == 0 {
		return 0
	}
	var failed atomic.Int32
	var wg sync.WaitGroup
	for _, m := range ms {
		if v.cfg.AddAddrs != nil {
			v.cfg.AddAddrs(m.peer, m.addrs)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := 0.0
			for _, j := range jobs {
				sum += task.Evaluate(ctx, j.t, j.ch, v.cfg.QueryTimeout, func(ctx context.Context, payload []byte) ([]byte, bool, error) {
					res, err := v.cfg.Querier.Query(ctx, m.peer, v.cfg.NetUID, j.t.Name(), payload)
					if err == nil && v.cfg.Receipts != nil {
						rec := ReceiptRecord{
							Time: time.Now().UTC(), NetUID: v.cfg.NetUID, UID: m.n.UID, Hotkey: m.n.Hotkey.String(),
							Task: j.t.Name(), Status: res.Response.Status.String(), Latency: res.Latency, Receipt: res.Receipt,
						}
						if rerr := v.cfg.Receipts.Append(rec); rerr != nil {
							v.cfg.Log.Warn("cannot keep a receipt", "uid", m.n.UID, "err", rerr)
						}
					}
					if err != nil {
						failed.Add(1)
						v.cfg.Log.Debug("miner failed", "uid", m.n.UID, "task", j.t.Name(), "err", err)
						return nil, false, err
					}
					if res.Response.Status != types.Status_STATUS_OK {
						failed.Add(1)
						v.cfg.Log.Debug("miner answered not OK", "uid", m.n.UID, "status", res.Response.Status, "error", res.Response.Error)
						return nil, false, nil
					}
					return res.Response.Payload, true, nil
				})
			}
			if ctx.Err() != nil {
				return // shutting down: a canceled query says nothing about the miner
			}
			s := sum / float64(len(jobs))
			v.cfg.Book.Observe(m.n.UID, m.n.Hotkey, s)
			v.cfg.Log.Debug("scored", "uid", m.n.UID, "score", s)
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// post sends weights when a tempo (and the rate limit) has passed since the last post, and handles a pending
// commit-reveal.
func (v *Validator) post(ctx context.Context) error {
	hi, err := v.cfg.Chain.Height(ctx)
	if err != nil {
		return fmt.Errorf("validator: height: %w", err)
	}
	p, err := v.cfg.Chain.Params(ctx)
	if err != nil {
		return fmt.Errorf("validator: subnet hyperparameters: %w", err)
	}
	h := uint64(max(hi, 0))
	if p.EpochKnown {
		v.m.untilEpoch.Set(float64(p.BlocksUntilNextEpoch))
	}
	if pc := v.st.Pending; pc != nil {
		if !p.CommitRevealEnabled {
			v.cfg.Log.Info("commit-reveal was disabled; dropping the pending commit", "commit_height", pc.CommitHeight)
			v.st.Pending = nil
			return v.st.save()
		}
		return v.reveal(ctx, h, p, pc)
	}
	if v.rounds < v.cfg.WarmupRounds { // a pending reveal (above) never waits: its window is one epoch
		v.cfg.Log.Info("warming up: scoring miners before the first weights post", "round", v.rounds, "of", v.cfg.WarmupRounds)
		return nil
	}
	interval := max(p.Tempo, p.WeightsRateLimit, 1)
	if v.st.LastPost != 0 && h < v.st.LastPost+interval {
		return nil
	}
	uids16, w16 := v.cfg.Book.Weights()
	if len(uids16) == 0 {
		v.cfg.Log.Info("no positive score yet; no weights to post")
		return nil
	}
	uids, values := make([]uint32, len(uids16)), make([]uint32, len(w16))
	for i := range uids16 {
		uids[i], values[i] = uint32(uids16[i]), uint32(w16[i])
	}
	if !p.CommitRevealEnabled {
		err := v.cfg.Chain.SetWeights(ctx, uids, values, p.WeightsVersionKey)
		if v.txOutcome("set", err, "uids", uids, "values", values, "height", h) {
			v.st.LastPost = h
			return v.st.save()
		}
		return nil
	}
	if !p.EpochKnown {
		v.cfg.Log.Info("the subnet's epoch schedule is not known yet; commit next round")
		return nil
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	pc := &PendingCommit{
		Uids: uids, Values: values, Salt: salt, VersionKey: p.WeightsVersionKey,
		Hash:         subnetstypes.WeightsCommitHash(v.cfg.Self, uint32(v.cfg.NetUID), uids, values, salt, p.WeightsVersionKey),
		CommitHeight: h, CommitEpoch: p.EpochIndex, RevealEpoch: p.EpochIndex + p.CommitRevealPeriod,
	}
	// Persist the salt before broadcasting: if we stop while the tx is in flight, a restart can still reveal.
	v.st.Pending = pc
	if err := v.st.save(); err != nil {
		return err
	}
	err = v.cfg.Chain.CommitWeights(ctx, pc.Hash)
	var te *chain.TxError
	switch {
	case v.txOutcome("commit", err, "uids", uids, "values", values, "height", h, "commit_epoch", pc.CommitEpoch, "reveal_epoch", pc.RevealEpoch):
		v.st.LastPost = h
	case errors.As(err, &te):
		v.st.Pending = nil // refused: nothing to reveal
	default:
		return nil // unknown outcome (e.g. not included yet): keep the commit; the reveal will tell
	}
	return v.st.save()
}

// reveal sends the pending commit's reveal once the subnet has reached its reveal epoch; a reveal the chain calls
// too late, unknown (no pending commit) or mismatched (pending commits, none with this hash) can never succeed and is
// dropped (the next tempo commits again). The chain is authoritative: if the commit landed
// an epoch later than the one read before broadcasting it, the chain answers "too early" and the next round retries.
func (v *Validator) reveal(ctx context.Context, h uint64, p Params, pc *PendingCommit) error {
	if !p.EpochKnown || p.EpochIndex < pc.RevealEpoch {
		return nil
	}
	err := v.cfg.Chain.RevealWeights(ctx, pc.Uids, pc.Values, pc.Salt, pc.VersionKey)
	if v.txOutcome("reveal", err, "commit_height", pc.CommitHeight, "reveal_epoch", pc.RevealEpoch, "epoch", p.EpochIndex, "height", h) {
		v.st.Pending = nil
		return v.st.save()
	}
	var te *chain.TxError
	if errors.As(err, &te) && te.Codespace == subnetstypes.ModuleName {
		switch te.Code {
		case subnetstypes.ErrRevealTooLate.ABCICode(), subnetstypes.ErrCommitNotFound.ABCICode(),
			subnetstypes.ErrRevealHashMismatch.ABCICode():
			v.cfg.Log.Warn("dropping the pending commit", "commit_height", pc.CommitHeight, "code", te.Code)
			v.st.Pending = nil
			return v.st.save()
		}
	}
	// Too early (our estimate of the epoch schedule ran ahead of the chain's) or an unknown outcome: the commit is
	// kept and the next round tries again.
	return nil
}

// txOutcome logs and counts a weights transaction; true when it landed.
func (v *Validator) txOutcome(kind string, err error, kv ...any) bool {
	var te *chain.TxError
	switch {
	case err == nil:
		v.m.txs.WithLabelValues(kind, "ok").Inc()
		v.cfg.Log.Info("weights tx included", append([]any{"kind", kind}, kv...)...)
		return true
	case errors.As(err, &te):
		v.m.txs.WithLabelValues(kind, "refused").Inc()
		v.cfg.Log.Warn("weights tx refused by the chain", append([]any{"kind", kind, "codespace", te.Codespace, "code", te.Code, "log", te.Log, "tx", te.TxHash, "tx_height", te.Height}, kv...)...)
	default:
		v.m.txs.WithLabelValues(kind, "error").Inc()
		v.cfg.Log.Warn("weights tx failed", append([]any{"kind", kind, "err", err}, kv...)...)
	}
	return false
}

// Pending returns a copy of the pending commit (nil when none).
func (v *Validator) Pending() *PendingCommit {
	if v.st.Pending == nil {
		return nil
	}
	c := *v.st.Pending
	return &c
}

// LastPost is the height of the last weights set or commit that landed.
func (v *Validator) LastPost() uint64 { return v.st.LastPost }

type metrics struct {
	round      prometheus.Histogram
	txs        *prometheus.CounterVec
	scores     *prometheus.GaugeVec
	untilEpoch prometheus.Gauge
}

func newMetrics(r prometheus.Registerer) *metrics {
	m := &metrics{
		round: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "neuron", Subsystem: "validator", Name: "round_seconds",
			Help:    "Wall time of a round's queries (bounded by the query timeout, whatever the miners do).",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}),
		txs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "neuron", Subsystem: "validator", Name: "weights_tx_total",
			Help: "Weights transactions by kind (set, commit, reveal) and result (ok, refused by the chain, error).",
		}, []string{"kind", "result"}),
		scores: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "neuron", Subsystem: "validator", Name: "miner_score",
			Help: "Moving-average score per UID.",
		}, []string{"uid"}),
		untilEpoch: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "neuron", Subsystem: "validator", Name: "blocks_until_next_epoch",
			Help: "Blocks until the subnet's next epoch (x/emissions schedule).",
		}),
	}
	if r != nil {
		r.MustRegister(m.round, m.txs, m.scores, m.untilEpoch)
	}
	return m
}
