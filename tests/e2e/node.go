package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

const chainID = "tokenmind-e2e-1"

// Node is one tokenmindd process with its home directory and test keyring.
type Node struct {
	t       *testing.T
	bin     string
	home    string
	rpc     string
	ports   map[string]int
	cmd     *exec.Cmd
	logFile *os.File
}

// Binary returns the path of a built binary (TOKENMIND_BIN or ../../build).
func Binary(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("TOKENMIND_BIN")
	if dir == "" {
		dir = filepath.Join("..", "..", "build")
	}
	p, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s not built (run make build, or set TOKENMIND_BIN): %v", name, err)
	}
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// StartNode initializes a one-validator chain with funded keys alice and bob plus hotkeys, and starts it.
// edits change the genesis before the gentx (e.g. faster subnet hyperparameters).
func StartNode(t *testing.T, edits ...func(genesis map[string]any)) *Node {
	t.Helper()
	n := &Node{t: t, bin: Binary(t, "tokenmindd"), home: t.TempDir(), ports: map[string]int{}}
	for _, p := range []string{"rpc", "p2p", "grpc", "api", "pprof"} {
		n.ports[p] = freePort(t)
	}
	n.rpc = fmt.Sprintf("tcp://127.0.0.1:%d", n.ports["rpc"])
	n.run("init", "e2e", "--chain-id", chainID)
	for _, k := range []string{"validator", "alice", "bob", "miner1", "miner2", "miner3", "validator1"} {
		n.run("keys", "add", k, "--keyring-backend", "test")
	}
	for _, k := range []string{"validator", "alice", "bob"} {
		n.run("genesis", "add-genesis-account", k, "10000000000000umind", "--keyring-backend", "test")
	}
	n.editGenesis(func(g map[string]any) {
		sp := dig(g, "app_state", "subnets", "params")
		sp["subnet_min_cost"] = "1000000"
		hp := sp["default_hyperparameters"].(map[string]any)
		hp["serving_rate_limit"] = "1"
		hp["tempo"] = "10"
		hp["weights_rate_limit"] = "1"
		for _, e := range edits {
			e(g)
		}
	})
	n.run("genesis", "gentx", "validator", "1000000000000umind", "--chain-id", chainID, "--keyring-backend", "test")
	n.run("genesis", "collect-gentxs")
	n.configure()
	n.Start()
	n.WaitHeight(3)
	return n
}

// configure sets fast blocks and this node's loopback ports.
func (n *Node) configure() {
	n.sed("config/config.toml", map[string]string{
		"timeout_commit = ":               `timeout_commit = "500ms"`,
		"timeout_propose = ":              `timeout_propose = "1s"`,
		`laddr = "tcp://127.0.0.1:26657"`: fmt.Sprintf(`laddr = "tcp://127.0.0.1:%d"`, n.ports["rpc"]),
		`laddr = "tcp://0.0.0.0:26656"`:   fmt.Sprintf(`laddr = "tcp://127.0.0.1:%d"`, n.ports["p2p"]),
		`pprof_laddr = "localhost:6060"`:  fmt.Sprintf(`pprof_laddr = "127.0.0.1:%d"`, n.ports["pprof"]),
	})
	n.sed("config/app.toml", map[string]string{
		`address = "localhost:9090"`:       fmt.Sprintf(`address = "127.0.0.1:%d"`, n.ports["grpc"]),
		`address = "tcp://localhost:1317"`: fmt.Sprintf(`address = "tcp://127.0.0.1:%d"`, n.ports["api"]),
	})
}

func dig(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

func (n *Node) editGenesis(f func(map[string]any)) {
	p := filepath.Join(n.home, "config", "genesis.json")
	bz, err := os.ReadFile(p)
	if err != nil {
		n.t.Fatal(err)
	}
	var g map[string]any
	if err := json.Unmarshal(bz, &g); err != nil {
		n.t.Fatal(err)
	}
	f(g)
	if bz, err = json.Marshal(g); err != nil {
		n.t.Fatal(err)
	}
	if err := os.WriteFile(p, bz, 0o600); err != nil {
		n.t.Fatal(err)
	}
}

// sed replaces every line starting with a key (after trimming) by the given line.
func (n *Node) sed(file string, repl map[string]string) {
	p := filepath.Join(n.home, file)
	bz, err := os.ReadFile(p)
	if err != nil {
		n.t.Fatal(err)
	}
	lines := strings.Split(string(bz), "\n")
	for i, l := range lines {
		for prefix, line := range repl {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				lines[i] = line
			}
		}
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		n.t.Fatal(err)
	}
}

func (n *Node) run(args ...string) []byte {
	n.t.Helper()
	out, err := n.exec(args...)
	if err != nil {
		n.t.Fatalf("tokenmindd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (n *Node) exec(args ...string) ([]byte, error) {
	cmd := exec.Command(n.bin, append(args, "--home", n.home)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// Start starts the node process; Stop stops it (SIGTERM, then SIGKILL after 10 s).
func (n *Node) Start() {
	f, err := os.OpenFile(filepath.Join(n.home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		n.t.Fatal(err)
	}
	n.logFile = f
	n.cmd = exec.Command(n.bin, "start", "--home", n.home, "--minimum-gas-prices", "0umind")
	n.cmd.Stdout, n.cmd.Stderr = f, f
	if err := n.cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(n.Stop)
}

func (n *Node) Stop() {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
	n.cmd = nil
	_ = n.logFile.Close()
}

// Height is the node's latest block height (0 if it does not answer).
func (n *Node) Height() int64 {
	out, err := n.exec("status", "--node", n.rpc)
	if err != nil {
		return 0
	}
	var st struct {
		SyncInfo struct {
			Height string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if json.Unmarshal(out, &st) != nil {
		return 0
	}
	h, _ := strconv.ParseInt(st.SyncInfo.Height, 10, 64)
	return h
}

// WaitHeight waits until the chain reaches h (at most 60 s).
func (n *Node) WaitHeight(h int64) {
	n.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if n.Height() >= h {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(n.home, "node.log"))
	if len(log) > 3000 {
		log = log[len(log)-3000:]
	}
	n.t.Fatalf("chain did not reach height %d\n%s", h, log)
}

// KeyAddr returns the address of a keyring key.
func (n *Node) KeyAddr(name string) string {
	return strings.TrimSpace(string(n.run("keys", "show", name, "-a", "--keyring-backend", "test")))
}

// Query runs a query command and returns its JSON output.
func (n *Node) Query(args ...string) []byte {
	n.t.Helper()
	return n.run(append(args, "--node", n.rpc, "-o", "json")...)
}

// Tx broadcasts a tx command, waits until it is in a block and returns its code and raw log. A CheckTx refusal is
// returned as is, except the ones that mean "not now" — account sequence mismatch (an earlier tx of the signer is
// still in the mempool) and mempool full — which are retried like a node that did not answer, up to five attempts.
func (n *Node) Tx(args ...string) (uint32, string) {
	n.t.Helper()
	full := append(args, "--node", n.rpc, "--chain-id", chainID, "--keyring-backend", "test", "--yes", "-o", "json")
	var res struct {
		Code      uint32 `json:"code"`
		Codespace string `json:"codespace"`
		TxHash    string `json:"txhash"`
		RawLog    string `json:"raw_log"`
	}
	for attempt := 1; ; attempt++ {
		out, err := n.exec(full...)
		if err == nil {
			// The register command may print a note before its JSON: take the last line.
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if err = json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
				n.t.Fatalf("decoding tx response %q: %v", out, err)
			}
			retry := res.Codespace == sdkerrors.ErrWrongSequence.Codespace() &&
				(res.Code == sdkerrors.ErrWrongSequence.ABCICode() || res.Code == sdkerrors.ErrMempoolIsFull.ABCICode())
			if !retry {
				break
			}
			err = fmt.Errorf("CheckTx code %d: %s", res.Code, res.RawLog)
		}
		if attempt == 5 {
			n.t.Fatalf("tokenmindd %s: %v (5 attempts)\n%s", strings.Join(args, " "), err, out)
		}
		time.Sleep(time.Second) // the node may be between blocks, or the signer's previous tx not yet in one
	}
	if res.Code != 0 {
		return res.Code, res.RawLog
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if out, err := n.exec("q", "tx", res.TxHash, "--node", n.rpc, "-o", "json"); err == nil {
			var r struct {
				Code   uint32 `json:"code"`
				RawLog string `json:"raw_log"`
			}
			if json.Unmarshal(out, &r) == nil {
				return r.Code, r.RawLog
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	n.t.Fatalf("tx %s (tokenmindd %s) passed CheckTx but is not in a block within 30s (chain at height %d)",
		res.TxHash, strings.Join(args, " "), n.Height())
	return 0, ""
}

// TxOK fails the test unless the tx succeeds.
func (n *Node) TxOK(args ...string) {
	n.t.Helper()
	if code, log := n.Tx(args...); code != 0 {
		n.t.Fatalf("tokenmindd %s failed with code %d: %s", strings.Join(args, " "), code, log)
	}
}

// CreateSubnet creates a subnet from a keyring account.
func (n *Node) CreateSubnet(name, task, owner string) {
	n.TxOK("tx", "subnets", "create-subnet", name, task, "--from", owner)
}

// Register registers hotkey on netuid, paid by coldkey.
func (n *Node) Register(netuid int, coldkey, hotkey string) {
	n.TxOK("tx", "subnets", "register", strconv.Itoa(netuid), "--hotkey", hotkey, "--from", coldkey)
}

// Home is the node's home directory (config, data and the test keyring).
func (n *Node) Home() string { return n.home }

// GRPCAddr is the node's gRPC endpoint (host:port).
func (n *Node) GRPCAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.ports["grpc"]) }

// RPC is the node's CometBFT RPC address (tcp://host:port).
func (n *Node) RPC() string { return n.rpc }

// ChainID is the chain ID of every e2e node.
func (n *Node) ChainID() string { return chainID }
