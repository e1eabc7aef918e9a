// Package gateway is the user-facing gRPC service (tokenmind.neuron.v1.Gateway): it routes each query to the top-k
// serving miners of a subnet by a score source, verifies every answer's signature, and returns the best one (Query)
// or each as it arrives (QueryStream). Miners that do not answer in time are dropped from the result; clients are
// rate limited per peer address and optionally need an API key.
package gateway

import (
	"bytes"
	"context"
	"crypto/subtle"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	grpcpeer "google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/score"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// Scores ranks miners; ok=false means unknown (ranked after every known score).
type Scores interface {
	Score(uid uint16, hotkey sdk.AccAddress) (float64, bool)
}

// BookScores reads a validator's score book; an entry whose hotkey differs from the metagraph's is unknown.
type BookScores struct{ Book *score.Book }

// Score implements Scores.
func (b BookScores) Score(uid uint16, hotkey sdk.AccAddress) (float64, bool) {
	e, ok := b.Book.Get(uid)
	if !ok || !bytes.Equal(e.Hotkey, hotkey) {
		return 0, false
	}
	return e.Score, true
}

// Querier sends one query to one miner (protocol.Client implements it).
type Querier interface {
	Query(ctx context.Context, p peer.ID, netuid uint16, task string, payload []byte) (*protocol.Result, error)
}

// Snapshotter gives the latest metagraph (metagraph.Cache implements it).
type Snapshotter interface{ Snapshot() *metagraph.Snapshot }

// Config configures a Gateway.
type Config struct {
	NetUID    uint16
	Metagraph Snapshotter
	Scores    Scores // nil: every serving miner ranks equally (by uid)
	Querier   Querier
	// PeerID resolves a hotkey address to its peer ID (chain.Client.PeerID does it from the account's public key).
	PeerID func(ctx context.Context, addr sdk.AccAddress) (peer.ID, error)
	// AddAddrs teaches the libp2p host where a miner is (e.g. host.Peerstore().AddAddrs with a TTL); may be nil.
	AddAddrs       func(peer.ID, []ma.Multiaddr)
	TopK           int           // default 3
	DefaultTimeout time.Duration // default 10s
	MaxTimeout     time.Duration // default 30s
	// RatePerSecond and Burst make a token bucket per client IP; RatePerSecond 0 disables rate limiting.
	RatePerSecond float64
	Burst         int
	// APIKeys, when not empty, are the accepted bearer tokens (metadata "authorization: Bearer KEY").
	APIKeys []string
	// MaxInFlight bounds the queries being routed at once; more are refused with RESOURCE_EXHAUSTED at once instead
	// of piling up goroutines and streams. Default 256.
	MaxInFlight int
	// Registerer receives the gateway's metrics; may be nil.
	Registerer prometheus.Registerer
	Log        *slog.Logger
}

// Gateway implements types.GatewayServer.
type Gateway struct {
	cfg      Config
	limiter  *limiter
	inFlight atomic.Int64
	requests *prometheus.CounterVec
	mu       sync.Mutex
	peers    map[string]peer.ID
}

// New returns a gateway.
func New(cfg Config) *Gateway {
	if cfg.TopK <= 0 {
		cfg.TopK = 3
	}
	if cfg.DefaultTimeout <= 0 {
		cfg.DefaultTimeout = 10 * time.Second
	}
	if cfg.MaxTimeout <= 0 {
		cfg.MaxTimeout = 30 * time.Second
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 256
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	g := &Gateway{cfg: cfg, peers: map[string]peer.ID{}, requests: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "neuron", Subsystem: "gateway", Name: "requests_total",
		Help: "Gateway queries by method (Query, QueryStream) and gRPC status code.",
	}, []string{"method", "code"})}
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(g.requests)
	}
	if cfg.RatePerSecond > 0 {
		g.limiter = newLimiter(cfg.RatePerSecond, max(cfg.Burst, 1), time.Now)
	}
	return g
}

var _ types.GatewayServer = (*Gateway)(nil)

type candidate struct {
	n     metagraph.Neuron
	peer  peer.ID
	addrs []ma.Multiaddr
	score float64
	known bool
}

// Route returns the miners a query goes to, best first: serving neurons (at least one valid multiaddr) sorted by
// known score (descending), then unknown scores, ties by uid.
func (g *Gateway) Route(ctx context.Context, k int) []candidate {
	snap := g.cfg.Metagraph.Snapshot()
	if snap == nil {
		return nil
	}
	var cs []candidate
	for _, n := range snap.Neurons {
		var addrs []ma.Multiaddr
		for _, s := range n.Addrs {
			if a, err := ma.NewMultiaddr(s); err == nil {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			continue
		}
		p, err := g.peerOf(ctx, n.Hotkey)
		if err != nil {
			g.cfg.Log.Debug("no peer ID for miner", "uid", n.UID, "err", err)
			continue
		}
		c := candidate{n: n, peer: p, addrs: addrs}
		if g.cfg.Scores != nil {
			c.score, c.known = g.cfg.Scores.Score(n.UID, n.Hotkey)
		}
		cs = append(cs, c)
	}
	slices.SortStableFunc(cs, func(a, b candidate) int {
		switch {
		case a.known != b.known:
			if a.known {
				return -1
			}
			return 1
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return int(a.n.UID) - int(b.n.UID)
	})
	if len(cs) > k {
		cs = cs[:k]
	}
	return cs
}

// peerOf resolves a hotkey's peer ID (the metagraph holds only its address; the public key is in the chain's
// account record, set by the miner's first MsgServe) and caches it.
func (g *Gateway) peerOf(ctx context.Context, addr sdk.AccAddress) (peer.ID, error) {
	g.mu.Lock()
	p, ok := g.peers[addr.String()]
	g.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := g.cfg.PeerID(ctx, addr)
	if err != nil {
		return "", err
	}
	g.mu.Lock()
	g.peers[addr.String()] = p
	g.mu.Unlock()
	return p, nil
}

func (g *Gateway) admit(ctx context.Context) error {
	if len(g.cfg.APIKeys) > 0 {
		md, _ := metadata.FromIncomingContext(ctx)
		ok := false
		for _, v := range md.Get("authorization") {
			tok, found := strings.CutPrefix(v, "Bearer ")
			if !found {
				continue
			}
			for _, k := range g.cfg.APIKeys {
				if subtle.ConstantTimeCompare([]byte(tok), []byte(k)) == 1 {
					ok = true
				}
			}
		}
		if !ok {
			return status.Error(codes.Unauthenticated, "missing or unknown API key (authorization: Bearer KEY)")
		}
	}
	if g.limiter != nil {
		key := "unknown"
		if p, ok := grpcpeer.FromContext(ctx); ok && p.Addr != nil {
			key = p.Addr.String()
			if host, _, err := net.SplitHostPort(key); err == nil {
				key = host
			}
		}
		if ok, wait := g.limiter.allow(key); !ok {
			return g.rateLimited(ctx, wait)
		}
	}
	return nil
}

// RetryAfterKey is the trailer of a rate-limited call that says, in milliseconds, when the client may retry.
const RetryAfterKey = "retry-after-ms"

// rateLimited is the refusal of a client past its rate: RESOURCE_EXHAUSTED saying the limit and when to retry, with
// the delay also as a google.rpc.RetryInfo detail and in the RetryAfterKey trailer.
func (g *Gateway) rateLimited(ctx context.Context, wait time.Duration) error {
	st := status.Newf(codes.ResourceExhausted,
		"rate limit: this gateway allows %s queries per second per client address (bursts of %d); retry in %s",
		strconv.FormatFloat(g.cfg.RatePerSecond, 'f', -1, 64), max(g.cfg.Burst, 1), wait)
	if d, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(wait)}); err == nil {
		st = d
	}
	_ = grpc.SetTrailer(ctx, metadata.Pairs(RetryAfterKey, strconv.FormatInt(wait.Milliseconds(), 10)))
	return st.Err()
}

// outcome counts what the miners asked for one query said, to explain an empty result.
type outcome struct {
	asked, overloaded atomic.Int32
}

// noAnswer is the typed error for a query no miner answered: RESOURCE_EXHAUSTED when every miner asked was at
// capacity (the client should back off and retry), DEADLINE_EXCEEDED otherwise.
func (o *outcome) noAnswer() error {
	asked, over := o.asked.Load(), o.overloaded.Load()
	if asked > 0 && over == asked {
		return status.Errorf(codes.ResourceExhausted, "all %d miners asked are at capacity (OVERLOADED); retry in a moment", asked)
	}
	return status.Errorf(codes.DeadlineExceeded, "no miner answered in time (%d asked, %d overloaded)", asked, over)
}

func (g *Gateway) fanOut(ctx context.Context, req *types.GatewayQueryRequest, out chan<- *types.GatewayQueryResponse) (*outcome, error) {
	if err := g.admit(ctx); err != nil {
		return nil, err
	}
	if req.Task == "" || len(req.Payload) == 0 {
		return nil, status.Error(codes.InvalidArgument, "task and payload are required")
	}
	if n := g.inFlight.Add(1); n > int64(g.cfg.MaxInFlight) {
		g.inFlight.Add(-1)
		return nil, status.Errorf(codes.ResourceExhausted, "gateway overloaded: %d queries in flight (limit %d); retry in a moment", n-1, g.cfg.MaxInFlight)
	}
	defer g.inFlight.Add(-1)
	k := g.cfg.TopK
	if req.TopK > 0 && int(req.TopK) < k {
		k = int(req.TopK)
	}
	timeout := g.cfg.DefaultTimeout
	if req.TimeoutMs > 0 {
		timeout = min(time.Duration(req.TimeoutMs)*time.Millisecond, g.cfg.MaxTimeout)
	}
	rctx, rcancel := context.WithTimeout(ctx, timeout)
	cs := g.Route(rctx, k)
	rcancel()
	if len(cs) == 0 {
		return nil, status.Error(codes.Unavailable, "no serving miner on the subnet")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	o := &outcome{}
	var wg sync.WaitGroup
	for _, c := range cs {
		if g.cfg.AddAddrs != nil {
			g.cfg.AddAddrs(c.peer, c.addrs)
		}
		o.asked.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := g.cfg.Querier.Query(ctx, c.peer, g.cfg.NetUID, req.Task, req.Payload)
			if err != nil {
				g.cfg.Log.Debug("miner gave no answer", "uid", c.n.UID, "err", err)
				return
			}
			if res.Response.Status != types.Status_STATUS_OK {
				if res.Response.Status == types.Status_STATUS_OVERLOADED {
					o.overloaded.Add(1)
				}
				g.cfg.Log.Debug("miner answered not OK", "uid", c.n.UID, "status", res.Response.Status, "error", res.Response.Error)
				return
			}
			r := res.Receipt
			select {
			case out <- &types.GatewayQueryResponse{
				Payload: res.Response.Payload, MinerHotkey: c.n.Hotkey.String(), MinerUid: uint32(c.n.UID),
				Signature: r.Signature, RequestHash: r.RequestHash, ResponseHash: r.ResponseHash, MinerPubkey: r.MinerPubkey,
				LatencyMs: uint32(res.Latency / time.Millisecond), Score: c.score,
			}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
	return o, nil
}

// count records a finished call's gRPC code.
func (g *Gateway) count(method string, err error) {
	g.requests.WithLabelValues(method, status.Code(err).String()).Inc()
}

// Query implements types.GatewayServer: the answer of the best-ranked miner that answered in time.
func (g *Gateway) Query(ctx context.Context, req *types.GatewayQueryRequest) (resp *types.GatewayQueryResponse, err error) {
	defer func() { g.count("Query", err) }()
	out := make(chan *types.GatewayQueryResponse, g.cfg.TopK)
	o, err := g.fanOut(ctx, req, out)
	if err != nil {
		return nil, err
	}
	close(out)
	var best *types.GatewayQueryResponse
	for r := range out {
		if best == nil || r.Score > best.Score || (r.Score == best.Score && r.LatencyMs < best.LatencyMs) {
			best = r
		}
	}
	if best == nil {
		return nil, o.noAnswer()
	}
	return best, nil
}

// QueryStream implements types.GatewayServer: every verified answer as it arrives.
func (g *Gateway) QueryStream(req *types.GatewayQueryRequest, stream types.Gateway_QueryStreamServer) (err error) {
	defer func() { g.count("QueryStream", err) }()
	ctx := stream.Context()
	out := make(chan *types.GatewayQueryResponse)
	type result struct {
		o   *outcome
		err error
	}
	done := make(chan result, 1)
	go func() { o, err := g.fanOut(ctx, req, out); done <- result{o, err}; close(out) }()
	sent := 0
	var sendErr error
	for r := range out {
		if sendErr == nil {
			if sendErr = stream.Send(r); sendErr == nil {
				sent++
			}
		}
	}
	res := <-done
	if res.err != nil {
		return res.err
	}
	if sendErr != nil {
		return sendErr
	}
	if sent == 0 {
		return res.o.noAnswer()
	}
	return nil
}

// Register adds the gateway to a gRPC server.
func Register(s *grpc.Server, g *Gateway) { types.RegisterGatewayServer(s, g) }
