package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Network is N tokenmindd validators on loopback, each its own process and home directory, peered with each other.
type Network struct {
	t     *testing.T
	Nodes []*Node
}

// StartNetwork builds an n-validator genesis (equal voting power) and starts every node.
func StartNetwork(t *testing.T, n int) *Network {
	t.Helper()
	bin := Binary(t, "tokenmindd")
	root := t.TempDir()
	net := &Network{t: t}
	for i := 0; i < n; i++ {
		node := &Node{t: t, bin: bin, home: filepath.Join(root, fmt.Sprintf("node%d", i)), ports: map[string]int{}}
		for _, p := range []string{"rpc", "p2p", "grpc", "api", "pprof"} {
			node.ports[p] = freePort(t)
		}
		node.rpc = fmt.Sprintf("tcp://127.0.0.1:%d", node.ports["rpc"])
		node.run("init", fmt.Sprintf("node%d", i), "--chain-id", chainID)
		node.run("keys", "add", "validator", "--keyring-backend", "test")
		net.Nodes = append(net.Nodes, node)
	}
	first := net.Nodes[0]
	first.run("keys", "add", "alice", "--keyring-backend", "test")
	first.run("genesis", "add-genesis-account", "alice", "10000000000000umind", "--keyring-backend", "test")
	// Every validator's account goes into the first node's genesis; each node signs its own gentx against it.
	for _, node := range net.Nodes {
		first.run("genesis", "add-genesis-account", node.KeyAddr("validator"), "10000000000000umind")
	}
	gen := filepath.Join(first.home, "config", "genesis.json")
	gentxDir := filepath.Join(first.home, "config", "gentx")
	if err := os.MkdirAll(gentxDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, node := range net.Nodes {
		if i > 0 {
			copyFile(t, gen, filepath.Join(node.home, "config", "genesis.json"))
		}
		node.run("genesis", "gentx", "validator", "1000000000000umind", "--chain-id", chainID, "--keyring-backend", "test",
			"--output-document", filepath.Join(gentxDir, fmt.Sprintf("gentx-%d.json", i)))
	}
	first.run("genesis", "collect-gentxs")
	var peers []string
	for _, node := range net.Nodes {
		id := strings.TrimSpace(string(node.run("comet", "show-node-id")))
		peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", id, node.ports["p2p"]))
	}
	for i, node := range net.Nodes {
		if i > 0 {
			copyFile(t, gen, filepath.Join(node.home, "config", "genesis.json"))
		}
		node.configure()
		node.sed("config/config.toml", map[string]string{
			"persistent_peers = ":   fmt.Sprintf(`persistent_peers = "%s"`, strings.Join(peers, ",")),
			"allow_duplicate_ip = ": "allow_duplicate_ip = true",
			"addr_book_strict = ":   "addr_book_strict = false",
		})
	}
	for _, node := range net.Nodes {
		node.Start()
	}
	net.Nodes[0].WaitHeight(3)
	return net
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	bz, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, bz, 0o600); err != nil {
		t.Fatal(err)
	}
}

// AppHashAt returns the app hash recorded in the header of block h as a node sees it.
func (n *Node) AppHashAt(h int64) string {
	n.t.Helper()
	out, err := n.exec("q", "block", "--type=height", fmt.Sprint(h), "--node", n.rpc, "-o", "json")
	if err != nil {
		n.t.Fatalf("block %d: %v\n%s", h, err, out)
	}
	var b struct {
		Header struct {
			AppHash string `json:"app_hash"`
		} `json:"header"`
		Block struct {
			Header struct {
				AppHash string `json:"app_hash"`
			} `json:"header"`
		} `json:"block"`
	}
	if err := json.Unmarshal(out, &b); err != nil {
		n.t.Fatalf("decoding block %d: %v", h, err)
	}
	if b.Header.AppHash != "" {
		return b.Header.AppHash
	}
	return b.Block.Header.AppHash
}

// Stalled reports whether the node's height does not move for the given duration.
func (n *Node) Stalled(d time.Duration) bool {
	h := n.Height()
	time.Sleep(d)
	return n.Height() == h
}
