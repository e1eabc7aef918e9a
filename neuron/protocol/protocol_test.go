package protocol_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/types"
)

const netuid = 3

// node is a hotkey with a running host.
type node struct {
	id *identity.Identity
	h  host.Host
}

func newIdentity(tb testing.TB) *identity.Identity {
	tb.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func startNode(tb testing.TB, id *identity.Identity, auth p2p.Authorizer) *node {
	tb.Helper()
	h, err := p2p.NewHost(p2p.Config{Key: id.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Authorizer: auth})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return &node{id: id, h: h}
}

func connectInfo(n *node) peer.AddrInfo { return peer.AddrInfo{ID: n.h.ID(), Addrs: n.h.Addrs()} }

// echo answers with its payload, after an optional wait on gate.
type echo struct {
	calls atomic.Int64
	gate  chan struct{} // nil: answer at once
	hang  bool          // ignore ctx and block until gate closes (a misbehaving model)
}

func (e *echo) ModelID() string { return "echo-1" }
func (e *echo) Handle(ctx context.Context, c protocol.Call) ([]byte, error) {
	e.calls.Add(1)
	if bytes.Equal(c.Payload, []byte("bad")) {
		return nil, fmt.Errorf("%w: payload says bad", protocol.ErrBadPayload)
	}
	if e.gate != nil {
		if e.hang {
			<-e.gate
		} else {
			select {
			case <-e.gate:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return append([]byte("echo:"), c.Payload...), nil
}

type handlers map[string]protocol.Handler

func (h handlers) Handler(task string) (protocol.Handler, bool) { x, ok := h[task]; return x, ok }

// world is one miner and its subnet's metagraph.
type world struct {
	cache *metagraph.Cache
	miner *node
	srv   *protocol.Server
	model *echo
}

func newWorld(t *testing.T, policy p2p.Policy, scfg protocol.ServerConfig, members ...metagraph.Neuron) *world {
	t.Helper()
	cache := metagraph.NewCache(netuid)
	minerID := newIdentity(t)
	neurons := append([]metagraph.Neuron{{UID: 0, Hotkey: minerID.Address}}, members...)
	if err := cache.Set(&metagraph.Snapshot{NetUID: netuid, Height: 1, Neurons: neurons}); err != nil {
		t.Fatal(err)
	}
	auth := p2p.NewMetagraphAuthorizer(cache, policy)
	m := startNode(t, minerID, auth)
	model := &echo{}
	scfg.Key, scfg.NetUID = minerID.Libp2p, netuid
	if scfg.Handlers == nil {
		scfg.Handlers = handlers{"echo": model}
	}
	srv, err := protocol.NewServer(m.h, scfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &world{cache: cache, miner: m, srv: srv, model: model}
}

func client(tb testing.TB, n *node) *protocol.Client {
	tb.Helper()
	c, err := protocol.NewClient(n.h, protocol.ClientConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func validatorPolicy() p2p.Policy { return p2p.Policy{AllowValidatorPermit: true, MinStake: 1_000_000} }

func TestAuthorizedValidatorGetsSignedAnswer(t *testing.T) {
	vid := newIdentity(t)
	w := newWorld(t, validatorPolicy(), protocol.ServerConfig{}, metagraph.Neuron{UID: 1, Hotkey: vid.Address, ValidatorPermit: true})
	v := startNode(t, vid, nil)
	v.h.Peerstore().AddAddrs(w.miner.h.ID(), w.miner.h.Addrs(), time.Minute)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := client(t, v).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Response.Status != types.Status_STATUS_OK || string(res.Response.Payload) != "echo:hello" {
		t.Fatalf("got %v %q %q", res.Response.Status, res.Response.Payload, res.Response.Error)
	}
	if !bytes.Equal(res.Receipt.Miner, w.miner.id.Address) || res.Response.ModelId != "echo-1" {
		t.Fatalf("receipt names %x model %q", res.Receipt.Miner, res.Response.ModelId)
	}
	if err := protocol.VerifyReceipt(res.Receipt); err != nil {
		t.Fatalf("receipt does not verify: %v", err)
	}
	// A receipt whose answer was altered no longer verifies.
	forged := *res.Receipt
	forged.Response = append([]byte{}, forged.Response...)
	forged.Response[len(forged.Response)-1] ^= 1
	forged.ResponseHash = protocol.Hash(forged.Response)
	if err := protocol.VerifyReceipt(&forged); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("altered receipt: %v", err)
	}
	// The request is bound: a receipt claiming another request fails.
	forged = *res.Receipt
	forged.Request = []byte("another request")
	forged.RequestHash = protocol.Hash(forged.Request)
	if err := protocol.VerifyReceipt(&forged); err == nil {
		t.Fatal("receipt with swapped request verified")
	}
	// Invalid payload is the task's BAD_REQUEST, still signed.
	res, err = client(t, v).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("bad"))
	if err != nil || res.Response.Status != types.Status_STATUS_BAD_REQUEST {
		t.Fatalf("bad payload: %v %v", res, err)
	}
	// Unknown task.
	res, err = client(t, v).Query(ctx, w.miner.h.ID(), netuid, "nope", nil)
	if err != nil || res.Response.Status != types.Status_STATUS_BAD_REQUEST {
		t.Fatalf("unknown task: %v %v", res, err)
	}
}

func TestGaterPolicy(t *testing.T) {
	permit, staked, poor, stranger, gateway := newIdentity(t), newIdentity(t), newIdentity(t), newIdentity(t), newIdentity(t)
	policy := validatorPolicy()
	policy.AllowList = []peer.ID{gateway.PeerID}
	w := newWorld(t, policy, protocol.ServerConfig{},
		metagraph.Neuron{UID: 1, Hotkey: permit.Address, ValidatorPermit: true},
		metagraph.Neuron{UID: 2, Hotkey: staked.Address, Stake: 1_000_000},
		metagraph.Neuron{UID: 3, Hotkey: poor.Address, Stake: 999_999},
	)
	cases := []struct {
		name string
		id   *identity.Identity
		ok   bool
	}{
		{"validator permit", permit, true},
		{"enough stake", staked, true},
		{"registered, too little stake", poor, false},
		{"unregistered", stranger, false},
		{"operator allow-listed gateway", gateway, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := startNode(t, tc.id, nil)
			before := w.model.calls.Load()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			// The dialer may finish its side of the handshake before the miner's gater closes the connection,
			// so Connect's own result is not the verdict; what the peer can do afterwards is.
			_ = n.h.Connect(ctx, connectInfo(w.miner))
			res, err := client(t, n).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("x"))
			if tc.ok {
				if err != nil || res.Response.Status != types.Status_STATUS_OK {
					t.Fatalf("query: %v %v", res, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("refused peer got an answer: %v", res.Response)
			}
			if w.model.calls.Load() != before {
				t.Fatal("handler ran for a refused peer")
			}
			for n.h.Network().Connectedness(w.miner.h.ID()) == network.Connected {
				if ctx.Err() != nil {
					t.Fatal("refused peer stayed connected")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if len(w.miner.h.Network().ConnsToPeer(n.h.ID())) != 0 {
				t.Fatal("miner kept a connection to a refused peer")
			}
		})
	}
}

// rawExchange writes raw bytes on a query stream and returns the miner's decoded answer.
func rawExchange(ctx context.Context, t *testing.T, n *node, miner peer.ID, raw []byte) *types.Response {
	t.Helper()
	str, err := n.h.NewStream(ctx, miner, protocol.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = str.Reset() }()
	dl, _ := ctx.Deadline()
	_ = str.SetDeadline(dl)
	if _, err := str.Write(raw); err != nil {
		t.Fatal(err)
	}
	frame, err := protocol.ReadFrame(bufio.NewReader(str), protocol.DefaultMaxResponseSize)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	var sr types.SignedResponse
	var resp types.Response
	if err := sr.Unmarshal(frame); err != nil {
		t.Fatal(err)
	}
	if err := resp.Unmarshal(sr.Body); err != nil {
		t.Fatal(err)
	}
	// The refusal is signed by the miner too.
	ok, err := str.Conn().RemotePublicKey().Verify(protocol.SigningMessage(protocol.Hash(nil), protocol.Hash(sr.Body)), sr.Signature)
	if !ok && bytes.HasPrefix(raw, []byte{0xff}) {
		t.Fatalf("refusal not signed: %v", err)
	}
	// After the answer the miner closes the stream.
	if _, err := str.Read(make([]byte, 1)); err == nil {
		t.Fatal("stream still open after a BAD_REQUEST")
	}
	return &resp
}

func TestBadRequestsWhileServingOthers(t *testing.T) {
	good, bad := newIdentity(t), newIdentity(t)
	w := newWorld(t, validatorPolicy(), protocol.ServerConfig{MaxRequestSize: 4096},
		metagraph.Neuron{UID: 1, Hotkey: good.Address, ValidatorPermit: true},
		metagraph.Neuron{UID: 2, Hotkey: bad.Address, ValidatorPermit: true})
	w.model.gate = make(chan struct{})
	g, b := startNode(t, good, nil), startNode(t, bad, nil)
	for _, n := range []*node{g, b} {
		n.h.Peerstore().AddAddrs(w.miner.h.ID(), w.miner.h.Addrs(), time.Minute)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// The good validator's query is in flight on the miner while the bad peer misbehaves.
	type out struct {
		res *protocol.Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		r, err := client(t, g).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("good"))
		done <- out{r, err}
	}()
	for w.model.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}

	// 1. Oversized: the frame header declares more than the limit; the miner answers without reading the body.
	resp := rawExchange(ctx, t, b, w.miner.h.ID(), append([]byte{0xff, 0xff, 0x03}, make([]byte, 1000)...))
	if resp.Status != types.Status_STATUS_BAD_REQUEST {
		t.Fatalf("oversized: %v", resp.Status)
	}
	// 2. Oversized through the real client (its own limit is larger than the miner's).
	bc, err := protocol.NewClient(b.h, protocol.ClientConfig{MaxRequestSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	res, err := bc.Query(ctx, w.miner.h.ID(), netuid, "echo", make([]byte, 64<<10))
	if err != nil || res.Response.Status != types.Status_STATUS_BAD_REQUEST {
		t.Fatalf("oversized via client: %v %v", res, err)
	}
	// 3. Malformed: a well-framed body that is not a Request.
	var frame bytes.Buffer
	if err := protocol.WriteFrame(&frame, []byte{0x0a, 0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	resp = rawExchange(ctx, t, b, w.miner.h.ID(), frame.Bytes())
	if resp.Status != types.Status_STATUS_BAD_REQUEST {
		t.Fatalf("malformed: %v", resp.Status)
	}
	// 4. A request naming another requester than the connection's key.
	req := &types.Request{RequestId: []byte{1}, Netuid: netuid, Task: "echo", Requester: good.Address}
	rb, _ := req.Marshal()
	frame.Reset()
	_ = protocol.WriteFrame(&frame, rb)
	resp = rawExchange(ctx, t, b, w.miner.h.ID(), frame.Bytes())
	if resp.Status != types.Status_STATUS_NOT_PERMITTED {
		t.Fatalf("impersonation: %v", resp.Status)
	}
	if n := w.model.calls.Load(); n != 1 {
		t.Fatalf("handler ran %d times, want only the good query", n)
	}

	// The good query was unaffected.
	close(w.model.gate)
	o := <-done
	if o.err != nil || o.res.Response.Status != types.Status_STATUS_OK || string(o.res.Response.Payload) != "echo:good" {
		t.Fatalf("good query: %v %v", o.res, o.err)
	}
	// And the bad peer may still ask properly.
	res, err = client(t, b).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("ok"))
	if err != nil || res.Response.Status != types.Status_STATUS_OK {
		t.Fatalf("after misbehaving: %v %v", res, err)
	}
}

func TestHangingMinerClientReturnsAtTimeout(t *testing.T) {
	vid, mid := newIdentity(t), newIdentity(t)
	m := startNode(t, mid, nil)
	release := make(chan struct{})
	var handlers sync.WaitGroup
	m.h.SetStreamHandler(protocol.ID, func(s network.Stream) { // reads the request and never answers
		handlers.Add(1)
		defer handlers.Done()
		<-release
		_ = s.Reset()
	})
	t.Cleanup(func() { close(release); handlers.Wait() })
	v := startNode(t, vid, nil)
	v.h.Peerstore().AddAddrs(m.h.ID(), m.h.Addrs(), time.Minute)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := client(t, v).Query(ctx, m.h.ID(), netuid, "echo", []byte("x"))
	el := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if el < 250*time.Millisecond || el > 1500*time.Millisecond {
		t.Fatalf("returned after %s, want about 300ms", el)
	}
}

func TestServerTimeoutAndHangingModel(t *testing.T) {
	vid := newIdentity(t)
	w := newWorld(t, validatorPolicy(), protocol.ServerConfig{Timeout: 150 * time.Millisecond},
		metagraph.Neuron{UID: 1, Hotkey: vid.Address, ValidatorPermit: true})
	w.model.gate, w.model.hang = make(chan struct{}), true // ignores its context
	t.Cleanup(func() { close(w.model.gate) })
	v := startNode(t, vid, nil)
	v.h.Peerstore().AddAddrs(w.miner.h.ID(), w.miner.h.Addrs(), time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	res, err := client(t, v).Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("x"))
	if err != nil || res.Response.Status != types.Status_STATUS_TIMEOUT {
		t.Fatalf("%v %v", res, err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("TIMEOUT after %s", el)
	}
}

func TestOverloadedAnswersImmediately(t *testing.T) {
	vid := newIdentity(t)
	w := newWorld(t, validatorPolicy(), protocol.ServerConfig{MaxConcurrent: 2},
		metagraph.Neuron{UID: 1, Hotkey: vid.Address, ValidatorPermit: true})
	w.model.gate = make(chan struct{})
	v := startNode(t, vid, nil)
	v.h.Peerstore().AddAddrs(w.miner.h.ID(), w.miner.h.Addrs(), time.Minute)
	c := client(t, v)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	results := make(chan *protocol.Result, 2)
	for range 2 {
		go func() {
			r, err := c.Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("slow"))
			if err != nil {
				t.Error(err)
			}
			results <- r
		}()
	}
	for w.model.calls.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	res, err := c.Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("third"))
	if err != nil || res.Response.Status != types.Status_STATUS_OVERLOADED {
		t.Fatalf("third query: %v %v", res, err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("OVERLOADED took %s", el)
	}
	close(w.model.gate)
	for range 2 {
		if r := <-results; r == nil || r.Response.Status != types.Status_STATUS_OK {
			t.Fatalf("slow query: %v", r)
		}
	}
	// Capacity is back.
	res, err = c.Query(ctx, w.miner.h.ID(), netuid, "echo", []byte("again"))
	if err != nil || res.Response.Status != types.Status_STATUS_OK {
		t.Fatalf("after overload: %v %v", res, err)
	}
}
