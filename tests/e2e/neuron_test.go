package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	_ "github.com/tokenmind/tokenmind/app" // bech32 prefixes
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// neuronProc is one running neuron binary.
type neuronProc struct {
	cmd  *exec.Cmd
	log  string
	done chan error
	once sync.Once
}

// stop ends the process (SIGTERM, then SIGKILL after 10 s); safe to call more than once.
func (p *neuronProc) stop() {
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done: //nolint:errcheck // a stopped process exits with an error status; nothing to check
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done //nolint:errcheck // killed: the exit status is an error by design
		}
	})
}

func startNeuron(t *testing.T, args ...string) *neuronProc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "neuron.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	p := &neuronProc{cmd: exec.Command(Binary(t, "neuron"), args...), log: logPath, done: make(chan error, 1)}
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait(); _ = f.Close() }()
	t.Cleanup(p.stop)
	return p
}

func (p *neuronProc) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (n *Node) servingAddrs(t *testing.T, netuid int, hotkey string) []string {
	t.Helper()
	var mg struct {
		Neurons []struct {
			Neuron struct {
				Hotkey  string `json:"hotkey"`
				Serving struct {
					Multiaddrs []string `json:"multiaddrs"`
					Model      string   `json:"model"`
				} `json:"serving"`
			} `json:"neuron"`
		} `json:"neurons"`
	}
	if err := json.Unmarshal(n.Query("q", "subnets", "metagraph", fmt.Sprint(netuid)), &mg); err != nil {
		t.Fatal(err)
	}
	for _, e := range mg.Neurons {
		if e.Neuron.Hotkey == hotkey {
			return e.Neuron.Serving.Multiaddrs
		}
	}
	return nil
}

func testClient(t *testing.T) (*identity.Identity, *protocol.Client, func(context.Context, peer.AddrInfo) error) {
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
	c, err := protocol.NewClient(h, protocol.ClientConfig{Timeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return id, c, h.Connect
}

func TestMinerServesVerifiedNERFromChain(t *testing.T) {
	n := StartNode(t)
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "bob", "miner1")
	minerAddr := n.KeyAddr("miner1")

	allowedID, allowed, connectAllowed := testClient(t)
	_, refused, connectRefused := testClient(t)

	common := []string{"--home", n.Home(), "--keyring-backend", "test", "--key", "miner1"}
	out, err := exec.Command(Binary(t, "neuron"), append([]string{"keys", "show-peer-id"}, common...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("show-peer-id: %v\n%s", err, out)
	}
	minerPeer, err := peer.Decode(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("show-peer-id printed %q: %v", out, err)
	}
	if a, err := identity.AddressFromPeerID(minerPeer); err != nil || a.String() != minerAddr {
		t.Fatalf("peer ID %s is address %s, want miner1 %s (%v)", minerPeer, a, minerAddr, err)
	}

	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	miner := startNeuron(t, append([]string{"miner"}, append(common,
		"--node", n.GRPCAddr(), "--chain-id", n.ChainID(), "--netuid", "1",
		"--task", "ner", "--model", "full", "--listen", "/ip4/127.0.0.1/tcp/0",
		"--allow-peer", allowedID.PeerID.String(), "--metagraph-interval", "1s", "--addr-check-interval", "2s",
		"--log-format", "json", "--metrics-addr", metricsAddr)...)...)

	// MsgServe from the miner (fee-free) puts its bound address on chain.
	var addrs []string
	deadline := time.Now().Add(60 * time.Second)
	for len(addrs) == 0 && time.Now().Before(deadline) {
		select {
		case err := <-miner.done:
			t.Fatalf("neuron exited: %v\n%s", err, miner.tail())
		default:
		}
		time.Sleep(time.Second)
		addrs = n.servingAddrs(t, 1, minerAddr)
	}
	if len(addrs) == 0 {
		t.Fatalf("miner's multiaddr never reached the metagraph\n%s", miner.tail())
	}
	info := peer.AddrInfo{ID: minerPeer}
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			t.Fatalf("chain holds bad multiaddr %q: %v", s, err)
		}
		if !strings.HasPrefix(s, "/ip4/127.0.0.1/tcp/") || strings.HasSuffix(s, "/tcp/0") {
			t.Fatalf("announced %q, want the bound loopback port", s)
		}
		info.Addrs = append(info.Addrs, a)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := connectAllowed(ctx, info); err != nil {
		t.Fatalf("allowed client cannot connect: %v\n%s", err, miner.tail())
	}
	payload, _ := json.Marshal(ner.Request{Text: "Angela Merkel met Emmanuel Macron in Paris on Tuesday."})
	res, err := allowed.Query(ctx, minerPeer, 1, ner.Name, payload)
	if err != nil {
		t.Fatalf("query: %v\n%s", err, miner.tail())
	}
	if res.Response.Status != types.Status_STATUS_OK {
		t.Fatalf("status %v: %s", res.Response.Status, res.Response.Error)
	}
	if err := protocol.VerifyReceipt(res.Receipt); err != nil {
		t.Fatalf("receipt: %v", err)
	}
	if got := sdk.AccAddress(res.Receipt.Miner).String(); got != minerAddr {
		t.Fatalf("receipt signed by %s, want miner1 %s", got, minerAddr)
	}
	var ans ner.Answer
	if err := json.Unmarshal(res.Response.Payload, &ans); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range ans.Entities {
		found = found || strings.Contains(e.Text, "Paris") || strings.Contains(e.Text, "Merkel")
	}
	if !found {
		t.Fatalf("full model found no expected entity: %+v", ans.Entities)
	}

	// A key the chain does not know is refused at the handshake: no connection, no answer.
	if err := connectRefused(ctx, info); err == nil {
		if _, err := refused.Query(ctx, minerPeer, 1, ner.Name, payload); err == nil {
			t.Fatal("unregistered client got an answer")
		}
	}

	// Metrics are served and count the answered query.
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !bytes.Contains(body, []byte(fmt.Sprintf(`neuron_query_requests_total{peer="%s",side="server",status="STATUS_OK",task="ner"} 1`, allowedID.PeerID))) {
		t.Fatalf("metrics do not count the OK query:\n%s", body)
	}

	// SIGTERM: graceful shutdown, exit code 0.
	_ = miner.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-miner.done:
		if err != nil {
			t.Fatalf("neuron exited with %v\n%s", err, miner.tail())
		}
		miner.done <- nil // for the cleanup
	case <-time.After(15 * time.Second):
		t.Fatalf("neuron did not stop within 15s of SIGTERM\n%s", miner.tail())
	}
}
