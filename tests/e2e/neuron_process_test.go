package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// The tests in this file run the neuron binary the way an operator starts it, without a chain: a neuron starts and
// runs while its node is unreachable (it warns and retries), which is all that start-up rules need.

// neuronHome makes a home with a test keyring holding keys, through tokenmindd like an operator would.
func neuronHome(t *testing.T, keys ...string) string {
	t.Helper()
	home := t.TempDir()
	for _, k := range keys {
		out, err := exec.Command(Binary(t, "tokenmindd"), "keys", "add", k, "--keyring-backend", "test", "--home", home).CombinedOutput()
		if err != nil {
			t.Fatalf("keys add %s: %v\n%s", k, err, out)
		}
	}
	return home
}

// chainless are the common flags of a neuron whose node does not answer.
func chainless(t *testing.T, home, key string) []string {
	t.Helper()
	return []string{
		"--home", home, "--keyring-backend", "test", "--key", key, "--node", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--chain-id", "tokenmind-e2e-1", "--log-format", "json",
	}
}

// runToExit runs the neuron binary and wants it to end by itself within a minute; it returns its output and exit code.
func runToExit(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, Binary(t, "neuron"), args...).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("neuron %s still running after a minute; it should have refused to start\n%s", strings.Join(args, " "), out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// refused wants a non-zero exit whose output has every one of want.
func refused(t *testing.T, what string, want []string, args ...string) {
	t.Helper()
	out, code := runToExit(t, args...)
	if code == 0 {
		t.Fatalf("%s: exit 0, want a refusal\n%s", what, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Fatalf("%s: exit %d, but the output does not say %q:\n%s", what, code, w, out)
		}
	}
}

// waitLog waits for a JSON log record with msg.
func (p *neuronProc) waitLog(t *testing.T, msg string) map[string]any {
	t.Helper()
	var rec map[string]any
	eventually(t, time.Minute, "log record "+strconv.Quote(msg), func() bool {
		if !p.alive() {
			t.Fatalf("the neuron exited before logging %q:\n%s", msg, p.tail())
		}
		if recs := p.logLines(msg); len(recs) > 0 {
			rec = recs[0]
			return true
		}
		return false
	}, p.tail)
	return rec
}

// kill9 ends the process with SIGKILL (no clean-up runs) and waits for it.
func (p *neuronProc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the killed neuron exits", func() bool { return !p.alive() }, p.tail)
}

// listeningPorts returns the TCP ports process pid listens on: its socket inodes (/proc/PID/fd) matched with the
// LISTEN entries of /proc/net/tcp and tcp6.
func listeningPorts(t *testing.T, pid int) []int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] { // 0A: LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(fields[1], ":")
			if port, err := strconv.ParseUint(hexPort, 16, 16); err == nil {
				ports = append(ports, int(port))
			}
		}
		_ = f.Close()
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// TestOneNeuronProcessPerHomeAndKey: while a validator runs, a second neuron with the same home and hotkey — another
// validator or a miner — refuses to start, naming the process that holds the key; after the first is killed with
// SIGKILL (no clean-up), a new one starts at once.
func TestOneNeuronProcessPerHomeAndKey(t *testing.T) {
	home := neuronHome(t, "validator1")
	first := startNeuron(t, append([]string{"validator"}, chainless(t, home, "validator1")...)...)
	first.waitLog(t, "validator started")
	holder := fmt.Sprintf("process %d (", first.cmd.Process.Pid)
	want := []string{`hotkey "validator1"`, "is in use by another neuron", holder, "stop that one first"}
	refused(t, "a second validator", want, append([]string{"validator"}, chainless(t, home, "validator1")...)...)
	refused(t, "a miner with the validator's key", want,
		append([]string{"miner", "--listen", "/ip4/127.0.0.1/tcp/0"}, chainless(t, home, "validator1")...)...)
	if !first.alive() {
		t.Fatalf("the first validator stopped:\n%s", first.tail())
	}

	first.kill9(t)
	again := startNeuron(t, append([]string{"validator"}, chainless(t, home, "validator1")...)...)
	again.waitLog(t, "validator started")
}

// TestNeuronPortsInUseAreErrors: a libp2p listen port, a metrics address or a gateway address that another process
// holds fails the start-up with a non-zero exit naming the address — a miner does not share another miner's port
// (SO_REUSEPORT), and no neuron runs on without its metrics or gateway. The process that holds them runs on.
func TestNeuronPortsInUseAreErrors(t *testing.T) {
	home := neuronHome(t, "miner1", "miner2", "validator1")
	p2pAddr := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t))
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	first := startNeuron(t, append([]string{"miner", "--listen", p2pAddr, "--metrics-addr", metricsAddr}, chainless(t, home, "miner1")...)...)
	first.waitLog(t, "miner started")

	refused(t, "a second miner on the first one's port", []string{"--listen", p2pAddr, "address already in use"},
		append([]string{"miner", "--listen", p2pAddr}, chainless(t, home, "miner2")...)...)
	refused(t, "a miner on a busy metrics address", []string{"--metrics-addr " + metricsAddr, "address already in use"},
		append([]string{"miner", "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics-addr", metricsAddr}, chainless(t, home, "miner2")...)...)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	refused(t, "a validator on a busy gateway address", []string{"--gateway-addr " + busy.Addr().String(), "address already in use"},
		append([]string{"validator", "--gateway-addr", busy.Addr().String()}, chainless(t, home, "validator1")...)...)
	refused(t, "a gateway on a busy metrics address", []string{"--metrics-addr " + metricsAddr, "address already in use"},
		append([]string{"gateway", "--gateway-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--metrics-addr", metricsAddr},
			chainless(t, home, "validator1")...)...)

	if _, ok := metric(metricsAddr, "go_goroutines"); !ok || !first.alive() {
		t.Fatalf("the first miner no longer serves its metrics:\n%s", first.tail())
	}
}

// TestValidatorListensOnlyWhereAsked: the validator's libp2p host only dials out, so the process listens on its
// metrics address and nothing else (it used to listen on 0.0.0.0 on a random port).
func TestValidatorListensOnlyWhereAsked(t *testing.T) {
	home := neuronHome(t, "validator1")
	metricsPort := freePort(t)
	v := startNeuron(t, append([]string{"validator", "--metrics-addr", fmt.Sprintf("127.0.0.1:%d", metricsPort)},
		chainless(t, home, "validator1")...)...)
	rec := v.waitLog(t, "validator started")
	if got := listeningPorts(t, v.cmd.Process.Pid); !slices.Equal(got, []int{metricsPort}) {
		t.Fatalf("the validator listens on TCP ports %v, want only its metrics port %d", got, metricsPort)
	}
	if l, present := rec["listen"]; !present || l != nil && len(l.([]any)) != 0 {
		t.Fatalf("validator started with libp2p listen addresses %v", rec["listen"])
	}
}

// TestTextGenMinerReportsItsBackend: a text-generation miner whose OpenAI-compatible server is down starts with a
// warning naming the server, and `neuron health` fails saying it is unreachable; once the server answers, the
// miner notices and health passes.
func TestTextGenMinerReportsItsBackend(t *testing.T) {
	home := neuronHome(t, "miner1")
	backend, err := net.Listen("tcp", "127.0.0.1:0") // reserve the backend's address; nothing answers there yet
	if err != nil {
		t.Fatal(err)
	}
	backendAddr := backend.Addr().String()
	_ = backend.Close()
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	t.Setenv("E2E_OPENAI_KEY", "sk-test-123")
	m := startNeuron(t, append([]string{
		"miner", "--task", textgen.Name, "--model", textgen.ModelOpenAI,
		"--openai-url", "http://" + backendAddr, "--openai-model", "tiny-arith", "--openai-api-key-env", "E2E_OPENAI_KEY",
		"--listen", "/ip4/127.0.0.1/tcp/0", "--metrics-addr", metricsAddr, "--backend-check-interval", "500ms",
	},
		chainless(t, home, "miner1")...)...)
	warn := m.waitLog(t, "backend unreachable: this miner answers every query with an error (validators score it 0) until it answers; 'neuron health' reports it")
	if e, _ := warn["err"].(string); !strings.Contains(e, "http://"+backendAddr+"/v1/models unreachable") {
		t.Fatalf("the warning does not name the backend: %v", warn)
	}
	m.waitLog(t, "miner started")
	out, code := runToExit(t, "health", "--metrics-addr", metricsAddr)
	if code == 0 || !strings.Contains(out, "backend: FAIL") || !strings.Contains(out, backendAddr+"/v1/models unreachable") {
		t.Fatalf("health with the backend down: exit %d\n%s", code, out)
	}

	l, err := net.Listen("tcp", backendAddr)
	if err != nil {
		t.Fatalf("the backend's address was taken meanwhile: %v", err)
	}
	srv := httptest.NewUnstartedServer(arithmeticHandler("sk-test-123", new(atomic.Bool)))
	_ = srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	defer srv.Close()
	m.waitLog(t, "backend answers again")
	out, code = runToExit(t, "health", "--metrics-addr", metricsAddr)
	if code != 0 || !strings.Contains(out, "neuron http://"+metricsAddr+"/health: ok") {
		t.Fatalf("health with the backend up: exit %d\n%s", code, out)
	}
	if v, ok := metric(metricsAddr, `neuron_miner_backend_up{task="text-generation"}`); !ok || v != 1 {
		t.Fatalf("neuron_miner_backend_up = %v (%v), want 1", v, ok)
	}
}

// TestChainRefusesAnotherNeuronsAddress: once miner1 serves an address, publishing the same address for another
// hotkey — by hand as in the README's tour, or by a miner announcing it — is refused by the chain at broadcast
// (CheckTx), naming the UID that serves it; the miner says so in its log.
func TestChainRefusesAnotherNeuronsAddress(t *testing.T) {
	n := StartNode(t)
	n.CreateSubnet("entities", ner.Name, "alice")
	n.Register(1, "bob", "miner1") // uid 0
	n.Register(1, "bob", "miner2") // uid 1
	minerAddr := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t))
	common := func(key string) []string {
		return []string{
			"--home", n.Home(), "--keyring-backend", "test", "--key", key, "--node", n.GRPCAddr(),
			"--chain-id", n.ChainID(), "--netuid", "1", "--log-format", "json", "--metagraph-interval", "1s", "--addr-check-interval", "2s",
		}
	}
	startNeuron(t, append([]string{"miner", "--listen", minerAddr}, common("miner1")...)...)
	eventually(t, time.Minute, "miner1 serving on chain", func() bool {
		return slices.Equal(n.servingAddrs(t, 1, n.KeyAddr("miner1")), []string{minerAddr})
	}, func() string { return "" })

	code, log := n.Tx("tx", "subnets", "serve", "1", minerAddr, "--from", "miner2")
	if code != subnetstypes.ErrMultiaddrInUse.ABCICode() || !strings.Contains(log, "is served by uid 0") {
		t.Fatalf("serving miner1's address for miner2: code %d, log %q; want code %d naming uid 0", code, log, subnetstypes.ErrMultiaddrInUse.ABCICode())
	}
	m2 := startNeuron(t, append([]string{"miner", "--listen", "/ip4/127.0.0.1/tcp/0", "--announce", minerAddr}, common("miner2")...)...)
	rec := m2.waitLog(t, "the chain refuses our address: another neuron of the subnet serves it; give this miner its own --listen port or --announce address")
	if e, _ := rec["err"].(string); !strings.Contains(e, "uid 0") {
		t.Fatalf("miner2's log does not name uid 0: %v", rec)
	}
	if got := n.servingAddrs(t, 1, n.KeyAddr("miner2")); len(got) != 0 {
		t.Fatalf("miner2 serves %v", got)
	}
}
