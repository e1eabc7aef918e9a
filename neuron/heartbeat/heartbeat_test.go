package heartbeat_test

import (
	"context"
	"sync"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/heartbeat"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/types"
)

const netuid = 7

func newHost(t *testing.T) (*identity.Identity, host.Host) {
	t.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		t.Fatal(err)
	}
	h, err := p2p.NewHost(p2p.Config{Key: id.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return id, h
}

func TestForgedHeartbeatsRejected(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, vh := newHost(t)
	mid, mh := newHost(t)   // registered miner, uses the service
	m2id, m2h := newHost(t) // registered, but publishes malformed data through raw pubsub
	_, sh := newHost(t)     // stranger

	cache := metagraph.NewCache(netuid)
	if err := cache.Set(&metagraph.Snapshot{NetUID: netuid, Neurons: []metagraph.Neuron{
		{UID: 0, Hotkey: mid.Address}, {UID: 1, Hotkey: m2id.Address},
	}}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []host.Host{mh, m2h, sh} {
		if err := h.Connect(ctx, peer.AddrInfo{ID: vh.ID(), Addrs: vh.Addrs()}); err != nil {
			t.Fatal(err)
		}
	}
	vps, err := heartbeat.NewPubSub(ctx, vh)
	if err != nil {
		t.Fatal(err)
	}
	vsvc, err := heartbeat.New(vps, netuid, cache, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan peer.ID, 16)
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = vsvc.Run(runCtx, func(p peer.ID, _ *types.Heartbeat) { got <- p }) }()
	t.Cleanup(func() { stop(); wg.Wait() })

	mps, _ := heartbeat.NewPubSub(ctx, mh)
	msvc, err := heartbeat.New(mps, netuid, cache, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The attackers run gossipsub without our validator.
	rawTopic := func(h host.Host) *pubsub.Topic {
		ps, err := heartbeat.NewPubSub(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		tp, err := ps.Join(heartbeat.Topic(netuid))
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	st, m2t := rawTopic(sh), rawTopic(m2h)
	// Wait until every publisher knows the validator node is subscribed.
	for len(msvc.Topic().ListPeers()) < 1 || len(st.ListPeers()) < 1 || len(m2t.ListPeers()) < 1 {
		if ctx.Err() != nil {
			t.Fatal("peers never joined the topic")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Forgeries: the stranger claims the miner's hotkey; the stranger sends a well-formed heartbeat of its own;
	// a registered peer sends garbage and a heartbeat for another subnet.
	forged := &types.Heartbeat{Netuid: netuid, Hotkey: mid.Address, Task: "ner", UnixMs: time.Now().UnixMilli()}
	b, _ := forged.Marshal()
	if err := st.Publish(ctx, b); err != nil {
		t.Fatal(err)
	}
	sAddr, _ := identity.AddressFromPeerID(sh.ID())
	own := &types.Heartbeat{Netuid: netuid, Hotkey: sAddr, Task: "ner", UnixMs: time.Now().UnixMilli()}
	b, _ = own.Marshal()
	if err := st.Publish(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := m2t.Publish(ctx, []byte{0x0a, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	other := &types.Heartbeat{Netuid: netuid + 1, Hotkey: m2id.Address, UnixMs: time.Now().UnixMilli()}
	b, _ = other.Marshal()
	if err := m2t.Publish(ctx, b); err != nil {
		t.Fatal(err)
	}
	// The honest heartbeat.
	if err := msvc.Publish(ctx, mh.ID(), &types.Heartbeat{Task: "ner", ModelId: "prose/full", Version: "1.0.0", LoadPermille: 120}); err != nil {
		t.Fatal(err)
	}

	select {
	case p := <-got:
		if p != mh.ID() {
			t.Fatalf("delivered a heartbeat from %s, want only the registered miner %s", p, mh.ID())
		}
	case <-ctx.Done():
		t.Fatal("registered miner's heartbeat never arrived")
	}
	deadline := time.After(300 * time.Millisecond)
	for vsvc.Rejected() < 4 {
		select {
		case p := <-got:
			t.Fatalf("forged heartbeat delivered from %s", p)
		case <-deadline:
			t.Fatalf("validator rejected %v messages, want 4", vsvc.Rejected())
		case <-time.After(10 * time.Millisecond):
		}
	}
	select {
	case p := <-got:
		t.Fatalf("forged heartbeat delivered from %s", p)
	case <-time.After(100 * time.Millisecond):
	}
	hb, ok := vsvc.Latest(mh.ID())
	if !ok || hb.ModelId != "prose/full" || hb.LoadPermille != 120 {
		t.Fatalf("latest heartbeat %v %v", hb, ok)
	}
}
