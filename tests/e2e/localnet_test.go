package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// localnet drives scripts/localnet.sh the way an operator does (make localnet / localnet-stop / localnet-reset),
// on free loopback ports and in a temporary LOCALNET_HOME.
type localnet struct {
	t    *testing.T
	env  []string
	home string
	bin  string
	api  string
	last string // hash of the last tx sent
}

func newLocalnet(t *testing.T) *localnet {
	t.Helper()
	bin := Binary(t, "tokenmindd")
	neuron := Binary(t, "neuron")
	ln := &localnet{t: t, home: filepath.Join(t.TempDir(), "localnet"), bin: bin}
	ports := map[string]int{}
	for _, p := range []string{"RPC_PORT", "P2P_PORT", "GRPC_PORT", "API_PORT", "PPROF_PORT", "GATEWAY"} {
		ports[p] = freePort(t)
	}
	ln.api = fmt.Sprintf("http://127.0.0.1:%d", ports["API_PORT"])
	ln.env = append(os.Environ(), "TOKENMINDD="+bin, "NEURON="+neuron, "LOCALNET_HOME="+ln.home,
		"LOCALNET_WAIT_EPOCHS=0", "BLOCK_TIME=500ms",
		fmt.Sprintf("MINER_PORT=%d", freePorts(t, 3)), fmt.Sprintf("METRICS_PORT=%d", freePorts(t, 4)))
	for p, n := range ports {
		if p == "GATEWAY" {
			ln.env = append(ln.env, fmt.Sprintf("GATEWAY=127.0.0.1:%d", n))
			continue
		}
		ln.env = append(ln.env, fmt.Sprintf("%s=%d", p, n))
	}
	t.Cleanup(func() { _, _ = ln.script("stop") })
	return ln
}

// freePorts returns the first of n consecutive ports that are free on 127.0.0.1.
func freePorts(t *testing.T, n int) int {
	t.Helper()
	for attempt := 0; attempt < 50; attempt++ {
		base, free := freePort(t), true
		for i := 1; i < n && free; i++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				free = false
				continue
			}
			_ = l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatalf("no %d consecutive free ports", n)
	return 0
}

// script runs scripts/localnet.sh with the arguments and returns its combined output. Its stdin is not a terminal,
// so reset does not ask.
func (ln *localnet) script(args ...string) (string, error) {
	cmd := exec.Command(filepath.Join("..", "..", "scripts", "localnet.sh"), args...)
	cmd.Env = ln.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// tmd runs tokenmindd with the localnet's home: client.toml supplies node, chain id, keyring and gas prices, as
// for the README's $TM.
func (ln *localnet) tmd(args ...string) (string, error) {
	out, err := exec.Command(ln.bin, append([]string{"--home", filepath.Join(ln.home, "chain")}, args...)...).CombinedOutput()
	return string(out), err
}

// must fails the test when run (script or tmd) fails, with its output and the tail of the chain's log.
func (ln *localnet) must(run func(...string) (string, error), args ...string) string {
	ln.t.Helper()
	out, err := run(args...)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(ln.home, "chain.log"))
		if len(log) > 2000 {
			log = log[len(log)-2000:]
		}
		ln.t.Fatalf("%s: %v\n%s\nchain log tail:\n%s", strings.Join(args, " "), err, out, log)
	}
	return out
}

func (ln *localnet) mustScript(args ...string) string {
	ln.t.Helper()
	return ln.must(ln.script, args...)
}

func (ln *localnet) mustTmd(args ...string) string { ln.t.Helper(); return ln.must(ln.tmd, args...) }

// tx sends a tx as the README does (no fee flags) and returns its code and raw log once it is in a block, or the
// CheckTx code when the node refuses it.
func (ln *localnet) tx(args ...string) (uint32, string) {
	ln.t.Helper()
	out := ln.mustTmd(append(append([]string{"tx"}, args...), "--yes", "-o", "json")...)
	var res struct {
		Code   uint32 `json:"code"`
		TxHash string `json:"txhash"`
		RawLog string `json:"raw_log"`
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		ln.t.Fatalf("tx %v: %v\n%s", args, err, out)
	}
	if res.Code != 0 {
		return res.Code, res.RawLog
	}
	ln.last = res.TxHash
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if out, err := ln.tmd("q", "tx", res.TxHash, "-o", "json"); err == nil {
			if err := json.Unmarshal([]byte(out), &res); err == nil {
				return res.Code, res.RawLog
			}
		}
	}
	ln.t.Fatalf("tx %v (%s) not in a block within 30s", args, res.TxHash)
	return 0, ""
}

func (ln *localnet) txOK(args ...string) {
	ln.t.Helper()
	if code, log := ln.tx(args...); code != 0 {
		ln.t.Fatalf("tx %v: code %d: %s", args, code, log)
	}
}

func (ln *localnet) addr(key string) string {
	ln.t.Helper()
	return strings.TrimSpace(ln.mustTmd("keys", "show", key, "-a"))
}

func (ln *localnet) balance(addr string) string {
	ln.t.Helper()
	var res struct {
		Balance struct{ Amount string } `json:"balance"`
	}
	if err := json.Unmarshal([]byte(ln.mustTmd("q", "bank", "balance", addr, "umind", "-o", "json")), &res); err != nil {
		ln.t.Fatal(err)
	}
	return res.Balance.Amount
}

// rest GETs a REST (grpc-gateway) route and decodes the JSON answer.
func (ln *localnet) rest(path string, into any) {
	ln.t.Helper()
	var body []byte
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		resp, err := http.Get(ln.api + path)
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
		}
		if time.Now().After(deadline) {
			ln.t.Fatalf("GET %s%s: %v", ln.api, path, err)
		}
	}
	if err := json.Unmarshal(body, into); err != nil {
		ln.t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// checkREST reads one REST route of each custom module and checks what the localnet set up.
func (ln *localnet) checkREST() {
	ln.t.Helper()
	var subnet struct {
		Subnet struct {
			Netuid   uint32 `json:"netuid"`
			Identity struct {
				TaskKind string `json:"task_kind"`
			} `json:"identity"`
		} `json:"subnet"`
	}
	ln.rest("/tokenmind/subnets/v1/subnets/1", &subnet)
	if subnet.Subnet.Netuid != 1 || subnet.Subnet.Identity.TaskKind != "ner" {
		ln.t.Fatalf("REST subnet 1: %+v", subnet)
	}
	var delegators struct {
		Total string `json:"total"`
	}
	ln.rest("/tokenmind/stake/v1/hotkeys/"+ln.addr("validator1")+"/delegators", &delegators)
	if total, err := strconv.ParseUint(delegators.Total, 10, 64); err != nil || total < 1_000_000_000 {
		ln.t.Fatalf("REST delegators of validator1: total %q, want at least 1000000000 (bob's stake, plus dividends)", delegators.Total)
	}
	var next struct {
		NextEpochHeight string `json:"next_epoch_height"`
	}
	ln.rest("/tokenmind/emissions/v1/subnets/1/next_epoch", &next)
	if next.NextEpochHeight == "" || next.NextEpochHeight == "0" {
		ln.t.Fatalf("REST next epoch of subnet 1: %+v", next)
	}
}

// TestLocalnetResume runs the localnet scripts: set-up, REST routes of x/subnets, x/stake and x/emissions, fees
// paid by default while hotkey upkeep stays free, the faucet; then stop and start again resumes with everything
// kept, and reset says what it deletes and starts over.
func TestLocalnetResume(t *testing.T) {
	ln := newLocalnet(t)
	ln.mustScript("start")
	ln.checkREST()

	// Fees: the node's minimum gas price refuses a fee-less transfer; the README's commands pay through client.toml.
	if code, log := ln.tx("bank", "send", "alice", ln.addr("bob"), "1umind", "--from", "alice", "--fees", "0umind"); code != 13 {
		t.Fatalf("a fee-less bank send: code %d (%s), want 13 (insufficient fee)", code, log)
	}
	ln.mustTmd("keys", "add", "carol")
	ln.mustTmd("keys", "add", "miner4")
	out := ln.mustScript("faucet", "carol", "2.5MIND")
	if got := ln.balance(ln.addr("carol")); got != "2500000" {
		t.Fatalf("carol after the faucet: %s umind, want 2500000\n%s", got, out)
	}
	if out, err := ln.script("faucet", "nobody"); err == nil || !strings.Contains(out, "keys add nobody") {
		t.Fatalf("faucet to an unknown key: err %v, output %q; want a refusal that says how to create the key", err, out)
	}
	if out, err := ln.script("faucet", "carol", "1.5umind"); err == nil || !strings.Contains(out, "give umind") {
		t.Fatalf("faucet with a malformed amount: err %v, output %q", err, out)
	}
	// Two faucet sends at once: the second meets the first in the mempool (account sequence mismatch), which tx_send
	// retries; both arrive. A send the chain refuses says why.
	var wg sync.WaitGroup
	outs, errs := make([]string, 2), make([]error, 2)
	for i, to := range []string{"carol", "miner4"} {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i], errs[i] = ln.script("faucet", to, "1MIND") }()
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("concurrent faucet send %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if got := ln.balance(ln.addr("carol")); got != "3500000" {
		t.Fatalf("carol after two faucet sends: %s umind, want 3500000", got)
	}
	if out, err := ln.script("faucet", "carol", "20000000000MIND"); err == nil || !strings.Contains(out, "insufficient funds") {
		t.Fatalf("a faucet send beyond the faucet's balance: err %v, output %q; want the chain's reason", err, out)
	}
	// carol creates subnet 2 (pays a fee); bob registers miner4, which serves with an empty account (fee-free).
	ln.txOK("subnets", "create-subnet", "text generation", "text-generation", "--from", "carol")
	if fee := ln.mustTmd("q", "tx", ln.last, "-o", "json"); !strings.Contains(fee, `"fee":{"amount":[{"denom":"umind","amount":"5000"}]`) {
		t.Fatalf("create-subnet did not pay 200000 gas x 0.025umind = 5000umind from client.toml:\n%s", fee)
	}
	carol := ln.balance(ln.addr("carol"))
	ln.txOK("subnets", "register", "1", "--hotkey", "miner4", "--max-burn", "5000000", "--from", "bob")
	m4 := ln.balance(ln.addr("miner4"))
	ln.txOK("subnets", "serve", "1", "/ip4/127.0.0.1/tcp/4011", "--model", "full", "--from", "miner4")
	if got := ln.balance(ln.addr("miner4")); got != m4 {
		t.Fatalf("miner4 paid for serving: balance %s -> %s", m4, got)
	}

	// Stop keeps everything; start resumes it.
	out = ln.mustScript("stop")
	if !strings.Contains(out, "state kept in") {
		t.Fatalf("stop did not say the state is kept:\n%s", out)
	}
	before := heightOf(ln)
	out = ln.mustScript("start")
	if !strings.Contains(out, "resuming the localnet") {
		t.Fatalf("start after stop did not resume:\n%s", out)
	}
	if h := heightOf(ln); h <= before {
		t.Fatalf("resumed chain at height %d, before the stop %d", h, before)
	}
	if got := ln.balance(ln.addr("carol")); got != carol {
		t.Fatalf("carol after resuming: %s umind, want %s", got, carol)
	}
	if out := ln.mustTmd("q", "subnets", "subnet", "2", "-o", "json"); !strings.Contains(out, "text-generation") {
		t.Fatalf("subnet 2 lost on resume:\n%s", out)
	}
	if out := ln.mustTmd("q", "subnets", "metagraph", "1", "-o", "json"); !strings.Contains(out, ln.addr("miner4")) || !strings.Contains(out, "/tcp/4011") {
		t.Fatalf("miner4's registration or serving info lost on resume:\n%s", out)
	}
	ln.checkREST()
	for _, p := range []string{"chain", "miner1", "miner2", "miner3", "validator1"} {
		if _, err := os.Stat(filepath.Join(ln.home, p+".pid")); err != nil {
			t.Fatalf("%s not restarted on resume: %v", p, err)
		}
	}

	// A second start while running refuses; reset says what it deletes and starts over.
	if out, err := ln.script("start"); err == nil || !strings.Contains(out, "already running") {
		t.Fatalf("start while running: err %v\n%s", err, out)
	}
	out = ln.mustScript("reset")
	for _, want := range []string{"deletes " + ln.home, "carol", "miner4", "score books", "deleted " + ln.home, "set up"} {
		if !strings.Contains(out, want) {
			t.Fatalf("reset output lacks %q:\n%s", want, out)
		}
	}
	if _, err := ln.tmd("keys", "show", "carol"); err == nil {
		t.Fatal("carol's key survived the reset")
	}
	if _, err := ln.tmd("q", "subnets", "subnet", "2", "-o", "json"); err == nil {
		t.Fatal("subnet 2 survived the reset")
	}
	ln.checkREST()
}

func heightOf(ln *localnet) int64 {
	ln.t.Helper()
	var st struct {
		SyncInfo struct {
			Height int64 `json:"latest_block_height,string"`
		} `json:"sync_info"`
	}
	out, err := ln.tmd("status")
	if err == nil {
		err = json.Unmarshal([]byte(out), &st)
	}
	if err != nil {
		// Stopped: the last height the validator signed.
		bz, rerr := os.ReadFile(filepath.Join(ln.home, "chain", "data", "priv_validator_state.json"))
		var pv struct {
			Height int64 `json:"height,string"`
		}
		if rerr != nil || json.Unmarshal(bz, &pv) != nil {
			ln.t.Fatalf("no height: %v %v", err, rerr)
		}
		return pv.Height
	}
	return st.SyncInfo.Height
}
