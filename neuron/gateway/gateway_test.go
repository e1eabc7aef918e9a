package gateway

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/types"
)

type hung struct{}

func (hung) Handle(ctx context.Context, _ protocol.Call) ([]byte, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (hung) ModelID() string { return "hung" }

type fixedScores map[uint16]float64

func (f fixedScores) Score(uid uint16, _ sdk.AccAddress) (float64, bool) {
	s, ok := f[uid]
	return s, ok
}

func startMiner(t *testing.T, h protocol.Handler) (*identity.Identity, string) {
	t.Helper()
	return startMinerWith(t, h, 0)
}

// startMinerWith starts a miner that works on at most maxConcurrent requests at once (0: the default).
func startMinerWith(t *testing.T, h protocol.Handler, maxConcurrent int) (*identity.Identity, string) {
	t.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		t.Fatal(err)
	}
	host, err := p2p.NewHost(p2p.Config{Key: id.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := protocol.NewServer(host, protocol.ServerConfig{Key: id.Libp2p, NetUID: 1, Handlers: task.Handlers{ner.Name: h}, Timeout: 5 * time.Second, MaxConcurrent: maxConcurrent})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); _ = host.Close() })
	return id, host.Addrs()[0].String()
}

func setup(t *testing.T, scores Scores, mod func(*Config)) (types.GatewayClient, *identity.Identity, *identity.Identity) {
	t.Helper()
	nt, err := ner.New()
	if err != nil {
		t.Fatal(err)
	}
	full, err := nt.NewHandler(ner.ModelFull)
	if err != nil {
		t.Fatal(err)
	}
	// Load the model now (a few hundred ms, more on a busy machine) so that the first query's deadline measures
	// the network path, not the model's one-time load.
	if _, err := full.Handle(context.Background(), protocol.Call{NetUID: 1, Task: ner.Name, Payload: []byte(`{"text":"Paris"}`)}); err != nil {
		t.Fatal(err)
	}
	good, goodAddr := startMiner(t, full)
	bad, badAddr := startMiner(t, hung{})
	cache := metagraph.NewCache(1)
	if err := cache.Set(&metagraph.Snapshot{NetUID: 1, Height: 5, Neurons: []metagraph.Neuron{
		{UID: 0, Hotkey: bad.Address, Addrs: []string{badAddr}},
		{UID: 1, Hotkey: good.Address, Addrs: []string{goodAddr}},
		{UID: 2, Hotkey: sdk.AccAddress(cosmossecp.GenPrivKey().PubKey().Address())}, // not serving
	}}); err != nil {
		t.Fatal(err)
	}
	qc, addAddrs := gatewayHost(t)
	peers := map[string]peer.ID{good.Address.String(): good.PeerID, bad.Address.String(): bad.PeerID}
	cfg := Config{
		NetUID: 1, Metagraph: cache, Scores: scores, Querier: qc, TopK: 3, DefaultTimeout: 1500 * time.Millisecond,
		PeerID: func(_ context.Context, a sdk.AccAddress) (peer.ID, error) {
			if p, ok := peers[a.String()]; ok {
				return p, nil
			}
			return "", status.Error(codes.NotFound, "no pubkey")
		},
		AddAddrs: addAddrs,
	}
	if mod != nil {
		mod(&cfg)
	}
	return startGateway(t, cfg), good, bad
}

// gatewayHost is the gateway's own libp2p host and query client, and the function that teaches it miners' addresses.
func gatewayHost(t *testing.T) (*protocol.Client, func(peer.ID, []ma.Multiaddr)) {
	t.Helper()
	gid, _ := identity.FromCosmos(cosmossecp.GenPrivKey())
	gh, err := p2p.NewHost(p2p.Config{Key: gid.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gh.Close() })
	qc, err := protocol.NewClient(gh, protocol.ClientConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return qc, func(p peer.ID, as []ma.Multiaddr) { gh.Peerstore().AddAddrs(p, as, peerstore.TempAddrTTL) }
}

// startGateway serves a gateway with cfg on a loopback port and returns a client of it.
func startGateway(t *testing.T, cfg Config) types.GatewayClient {
	t.Helper()
	srv, err := NewServer(New(cfg))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(l.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec())))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return types.NewGatewayClient(conn)
}

func nerReq() *types.GatewayQueryRequest {
	p, _ := json.Marshal(ner.Request{Text: "Angela Merkel visited Paris."})
	return &types.GatewayQueryRequest{Task: ner.Name, Payload: p}
}

func TestQueryBestAnswerDespiteHungMiner(t *testing.T) {
	// The hung miner ranks first; its silence must cost at most the timeout, and the answer comes from the other.
	c, good, _ := setup(t, fixedScores{0: 0.9, 1: 0.5}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	res, err := c.Query(ctx, nerReq())
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 4*time.Second {
		t.Fatalf("took %s with a 1.5s timeout", el)
	}
	if res.MinerHotkey != good.Address.String() || res.MinerUid != 1 || res.Score != 0.5 {
		t.Fatalf("answer from %s uid %d score %v", res.MinerHotkey, res.MinerUid, res.Score)
	}
	rc := &types.Receipt{
		RequestHash: res.RequestHash, ResponseHash: res.ResponseHash, Signature: res.Signature,
		Miner: good.Address, MinerPubkey: res.MinerPubkey,
	}
	if err := protocol.VerifyReceipt(rc); err != nil {
		t.Fatalf("receipt from the gateway's fields: %v", err)
	}
	rc.Signature[5] ^= 1
	if protocol.VerifyReceipt(rc) == nil {
		t.Fatal("tampered signature verifies")
	}
	var a ner.Answer
	if err := json.Unmarshal(res.Payload, &a); err != nil || len(a.Entities) == 0 {
		t.Fatalf("answer %s: %v", res.Payload, err)
	}

	// Streaming: exactly one answer (the hung miner sends none), then a clean end.
	st, err := c.QueryStream(ctx, nerReq())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		r, err := st.Recv()
		if err != nil {
			if status.Code(err) != codes.OK && err.Error() != "EOF" {
				t.Fatalf("stream ended with %v", err)
			}
			break
		}
		if r.MinerUid != 1 {
			t.Fatalf("streamed answer from uid %d", r.MinerUid)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("streamed %d answers, want 1", n)
	}

	// top_k 1 asks only the (hung) best-ranked miner: no answer in time.
	req := nerReq()
	req.TopK, req.TimeoutMs = 1, 300
	if _, err := c.Query(ctx, req); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestAPIKeyAndRateLimit(t *testing.T) {
	c, _, _ := setup(t, nil, func(cfg *Config) {
		cfg.APIKeys = []string{"s3cret"}
		cfg.RatePerSecond, cfg.Burst = 0.01, 2
	})
	ctx := context.Background()
	if _, err := c.Query(ctx, nerReq()); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no key: %v", err)
	}
	bad := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer wrong")
	if _, err := c.Query(bad, nerReq()); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("wrong key: %v", err)
	}
	ok := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer s3cret")
	for i := 0; i < 2; i++ {
		if _, err := c.Query(ok, nerReq()); err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
	}
	// Past the burst: RESOURCE_EXHAUSTED that says the limit and when to retry (rate 0.01/s: 100s for a token), as
	// text, as a RetryInfo detail and as a trailer; a stream is refused the same way.
	var trailer metadata.MD
	_, err := c.Query(ok, nerReq(), grpc.Trailer(&trailer))
	checkRateLimited(t, err, trailer)
	st, err := c.QueryStream(ok, nerReq())
	if err == nil {
		_, err = st.Recv()
	}
	checkRateLimited(t, err, st.Trailer())
}

func checkRateLimited(t *testing.T, err error, trailer metadata.MD) {
	t.Helper()
	s := status.Convert(err)
	if s.Code() != codes.ResourceExhausted {
		t.Fatalf("past the burst: %v, want ResourceExhausted", err)
	}
	const msg = "rate limit: this gateway allows 0.01 queries per second per client address (bursts of 2); retry in "
	if !strings.HasPrefix(s.Message(), msg) {
		t.Fatalf("message %q, want %q…", s.Message(), msg)
	}
	var retry *errdetails.RetryInfo
	for _, d := range s.Details() {
		if r, ok := d.(*errdetails.RetryInfo); ok {
			retry = r
		}
	}
	if retry == nil || retry.RetryDelay.AsDuration() < 80*time.Second || retry.RetryDelay.AsDuration() > 100*time.Second {
		t.Fatalf("RetryInfo detail %v, want about 100s", retry)
	}
	v := trailer.Get(RetryAfterKey)
	if ms, err := strconv.Atoi(strings.Join(v, "")); len(v) != 1 || err != nil || ms < 80_000 || ms > 100_000 {
		t.Fatalf("trailer %s = %v, want about 100000 ms", RetryAfterKey, v)
	}
}

func TestLimiterRefills(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(2, 1, func() time.Time { return now })
	allow := func(key string) bool { ok, _ := l.allow(key); return ok }
	if !allow("a") {
		t.Fatal("burst 1 must allow one")
	}
	if ok, wait := l.allow("a"); ok || wait != 500*time.Millisecond {
		t.Fatalf("second call: allowed %v, retry after %s; want refused with 500ms (1/rate)", ok, wait)
	}
	if !allow("b") {
		t.Fatal("buckets are per key")
	}
	now = now.Add(300 * time.Millisecond)
	if ok, wait := l.allow("a"); ok || wait != 200*time.Millisecond {
		t.Fatalf("after 300ms: allowed %v, retry after %s; want refused with 200ms", ok, wait)
	}
	now = now.Add(200 * time.Millisecond)
	if !allow("a") {
		t.Fatal("no refill after 1/rate")
	}
}

// gate is a handler that holds every request until released.
type gate struct {
	entered chan struct{} // one value per request that reached the handler
	release chan struct{} // closed to let every request finish
}

func newGate() gate { return gate{entered: make(chan struct{}, 16), release: make(chan struct{})} }

func (g gate) Handle(ctx context.Context, _ protocol.Call) ([]byte, error) {
	g.entered <- struct{}{}
	select {
	case <-g.release:
		return []byte(`{"entities":[]}`), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
func (gate) ModelID() string { return "gate" }

// TestOverloadIsTyped: a query beyond the gateway's own in-flight limit, and a query that finds its only miner at
// capacity, both get RESOURCE_EXHAUSTED at once (not a timeout); once the load is gone, queries succeed again.
func TestOverloadIsTyped(t *testing.T) {
	held := newGate()
	id, addr := startMinerWith(t, held, 1)
	cache := metagraph.NewCache(1)
	if err := cache.Set(&metagraph.Snapshot{NetUID: 1, Height: 5, Neurons: []metagraph.Neuron{{UID: 0, Hotkey: id.Address, Addrs: []string{addr}}}}); err != nil {
		t.Fatal(err)
	}
	gateway := func(maxInFlight int) types.GatewayClient {
		qc, addAddrs := gatewayHost(t)
		return startGateway(t, Config{
			NetUID: 1, Metagraph: cache, Querier: qc, DefaultTimeout: 10 * time.Second, MaxInFlight: maxInFlight,
			PeerID:   func(context.Context, sdk.AccAddress) (peer.ID, error) { return id.PeerID, nil },
			AddAddrs: addAddrs,
		})
	}
	narrow, wide := gateway(1), gateway(0)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// A query through the narrow gateway takes its only in-flight slot and the miner's only slot.
	first := make(chan error, 1)
	go func() { _, err := narrow.Query(ctx, nerReq()); first <- err }()
	select {
	case <-held.entered: // the miner's only slot is taken
	case <-ctx.Done():
		t.Fatal("the held query never reached the miner")
	}

	// Both refusals come at once, well inside the gateways' 10 s timeout (a refusal that waited for it would not).
	expectExhausted := func(c types.GatewayClient, what string) {
		t.Helper()
		start := time.Now()
		_, err := c.Query(ctx, nerReq())
		if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), what) {
			t.Fatalf("got %v, want ResourceExhausted %q", err, what)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Fatalf("%q answered after %s, not at once", what, el)
		}
	}
	expectExhausted(narrow, "gateway overloaded")
	expectExhausted(wide, "at capacity")

	close(held.release)
	if err := <-first; err != nil {
		t.Fatalf("the held query: %v", err)
	}
	for _, c := range []types.GatewayClient{narrow, wide} {
		if _, err := c.Query(ctx, nerReq()); err != nil {
			t.Fatalf("after the load: %v", err)
		}
	}
}
