package p2p_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	manet "github.com/multiformats/go-multiaddr/net"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/p2p"
)

func newHost(t *testing.T, listen ...string) (host.Host, error) {
	t.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		t.Fatal(err)
	}
	h, err := p2p.NewHost(p2p.Config{Key: id.Libp2p, ListenAddrs: listen, EnableQUIC: true})
	if err == nil {
		t.Cleanup(func() { _ = h.Close() })
	}
	return h, err
}

// An outbound-only host (no listen addresses) binds nothing and advertises nothing, yet dials out.
func TestOutboundOnlyHostListensNowhere(t *testing.T) {
	h, err := newHost(t)
	if err != nil {
		t.Fatal(err)
	}
	if la, as := h.Network().ListenAddresses(), h.Addrs(); len(la) != 0 || len(as) != 0 {
		t.Fatalf("outbound-only host listens on %v and advertises %v", la, as)
	}
	server, err := newHost(t, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Connect(ctx, peer.AddrInfo{ID: server.ID(), Addrs: server.Addrs()}); err != nil {
		t.Fatalf("outbound-only host cannot dial: %v", err)
	}
}

// A TCP port another host (another process, in production) listens on is an error that names the address — no
// SO_REUSEPORT sharing — also when another listen address of the same host could be bound.
func TestBusyListenPortIsAnError(t *testing.T) {
	first, err := newHost(t, "/ip4/127.0.0.1/tcp/0")
	if err != nil {
		t.Fatal(err)
	}
	busy := first.Network().ListenAddresses()[0]
	_, port, err := manet.DialArgs(busy)
	if err != nil {
		t.Fatal(err)
	}
	for _, listen := range [][]string{
		{busy.String()},
		{"/ip4/127.0.0.1/udp/0/quic-v1", busy.String()},
	} {
		_, err := newHost(t, listen...)
		if err == nil {
			t.Fatalf("second host bound %s, which the first one serves", busy)
		}
		if !strings.Contains(err.Error(), busy.String()) || !strings.Contains(err.Error(), "address already in use") {
			t.Fatalf("error %q does not name %s as in use (port %s)", err, busy, port)
		}
	}
}
