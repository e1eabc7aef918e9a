package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// flexUint decodes a JSON number or a string holding one (protojson prints uint64 as strings).
type flexUint uint64

func (f *flexUint) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseUint(strings.Trim(string(b), `"`), 10, 64)
	*f = flexUint(v)
	return err
}

// weightsOf returns the weights row set by hotkey on netuid (uid -> value), or nil.
func (n *Node) weightsOf(t *testing.T, netuid int, hotkey string) (uids map[string]flexUint, row map[flexUint]flexUint) {
	t.Helper()
	var mg struct {
		Neurons []struct {
			Neuron struct {
				UID    flexUint `json:"uid"`
				Hotkey string   `json:"hotkey"`
			} `json:"neuron"`
			Weights []struct {
				UID   flexUint `json:"uid"`
				Value flexUint `json:"value"`
			} `json:"weights"`
		} `json:"neurons"`
	}
	if err := json.Unmarshal(n.Query("q", "subnets", "metagraph", fmt.Sprint(netuid), "--include-weights"), &mg); err != nil {
		t.Fatal(err)
	}
	uids = map[string]flexUint{}
	for _, e := range mg.Neurons {
		uids[e.Neuron.Hotkey] = e.Neuron.UID
		if e.Neuron.Hotkey == hotkey && len(e.Weights) > 0 {
			row = map[flexUint]flexUint{}
			for _, w := range e.Weights {
				row[w.UID] = w.Value
			}
		}
	}
	return uids, row
}

func peerIDOf(t *testing.T, n *Node, key string) string {
	t.Helper()
	out, err := exec.Command(Binary(t, "neuron"), "keys", "show-peer-id", "--home", n.Home(), "--keyring-backend", "test", "--key", key).CombinedOutput()
	if err != nil {
		t.Fatalf("show-peer-id %s: %v\n%s", key, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestValidatorSetsWeightsAndGatewayAnswers runs a chain, a full, a lite and a broken miner (hotkeys of bob), and a
// staked validator whose hotkey belongs to the subnet owner (so its weights need no permit) with its gateway on. It
// checks the weights on chain, the gateway's signed answer, and then that the epochs pay incentive and emission in
// the order of model quality: full > lite > broken.
func TestValidatorSetsWeightsAndGatewayAnswers(t *testing.T) {
	n := StartNode(t, func(g map[string]any) {
		hp := dig(g, "app_state", "subnets", "params", "default_hyperparameters")
		hp["tempo"] = "20"
		hp["weights_rate_limit"] = "5"
	})
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "alice", "validator1")
	n.Register(1, "bob", "miner1")
	n.Register(1, "bob", "miner2")
	n.Register(1, "bob", "miner3")
	valAddr, fullAddr, brokenAddr, liteAddr := n.KeyAddr("validator1"), n.KeyAddr("miner1"), n.KeyAddr("miner2"), n.KeyAddr("miner3")
	n.TxOK("tx", "stake", "add", valAddr, "100000000", "--from", "alice")
	valPeer := peerIDOf(t, n, "validator1")

	base := []string{"--home", n.Home(), "--keyring-backend", "test", "--node", n.GRPCAddr(), "--chain-id", n.ChainID(), "--netuid", "1", "--log-format", "json"}
	miners := map[string]*neuronProc{}
	for key, model := range map[string]string{"miner1": "full", "miner2": "broken", "miner3": "lite"} {
		miners[key] = startNeuron(t, append([]string{
			"miner", "--key", key, "--task", "ner", "--model", model,
			"--listen", "/ip4/127.0.0.1/tcp/0", "--allow-peer", valPeer, "--metagraph-interval", "1s", "--addr-check-interval", "2s",
		}, base...)...)
	}
	for key, addr := range map[string]string{"miner1": fullAddr, "miner2": brokenAddr, "miner3": liteAddr} {
		deadline := time.Now().Add(60 * time.Second)
		for len(n.servingAddrs(t, 1, addr)) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s never served\n%s", key, miners[key].tail())
			}
			time.Sleep(time.Second)
		}
	}

	gwAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	val := startNeuron(t, append([]string{
		"validator", "--key", "validator1", "--round-interval", "1s", "--query-timeout", "3s",
		"--metagraph-interval", "1s", "--alpha", "0.3", "--gateway-addr", gwAddr, "--listen", "/ip4/127.0.0.1/tcp/0", "--log-level", "debug",
	}, base...)...)

	// Weights appear on chain with the full model's UID on top (max-upscaled to 65535) and above the broken one's
	// (absent counts as 0). The first posts may come after only a round or two, when the lite model can still lead on
	// a lucky sentence (its mean F1 is 0.40 against the full model's 0.88), so wait for the moving average to settle.
	var uids map[string]flexUint
	var row map[flexUint]flexUint
	deadline := time.Now().Add(120 * time.Second)
	for {
		select {
		case err := <-val.done:
			t.Fatalf("validator exited: %v\n%s", err, val.tail())
		default:
		}
		uids, row = n.weightsOf(t, 1, valAddr)
		if row != nil && row[uids[fullAddr]] == 65535 && row[uids[fullAddr]] > row[uids[brokenAddr]] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no weights with full = 65535 > broken on chain (row %v, uids %v)\n%s", row, uids, val.tail())
		}
		time.Sleep(2 * time.Second)
	}
	if _, self := row[uids[valAddr]]; self {
		t.Fatalf("validator weighted itself: %v", row)
	}

	// The validator's gateway answers with the best-scored (full) miner's signed answer.
	var out []byte
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		out, err = exec.Command(Binary(t, "neuron"), "query", "--gateway", gwAddr, "--task", "ner", "--top-k", "1",
			"Barack Obama visited Paris.").CombinedOutput()
		if err == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		t.Fatalf("neuron query: %v\n%s\n%s", err, out, val.tail())
	}
	s := string(out)
	if !strings.Contains(s, "miner: "+fullAddr) || !strings.Contains(s, "(valid)") || !strings.Contains(s, "Paris") {
		t.Fatalf("query output does not show the full miner's verified answer:\n%s", s)
	}
	// --stream prints every answer that came back.
	out, err = exec.Command(Binary(t, "neuron"), "query", "--gateway", gwAddr, "--stream", "Angela Merkel met Emmanuel Macron in Berlin.").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "miner: "+fullAddr) {
		t.Fatalf("neuron query --stream: %v\n%s", err, out)
	}

	// The epochs turn the weights into incentive and emission: full > lite > broken.
	deadline = time.Now().Add(150 * time.Second)
	for {
		byHotkey := map[string]metagraphRow{}
		for _, r := range n.metagraph(1) {
			byHotkey[r.Neuron.Hotkey] = r
		}
		full, lite, broken := byHotkey[fullAddr].Output, byHotkey[liteAddr].Output, byHotkey[brokenAddr].Output
		if full.Incentive > lite.Incentive && lite.Incentive > broken.Incentive &&
			amount(full.Emission).Cmp(amount(lite.Emission)) > 0 && amount(lite.Emission).Cmp(amount(broken.Emission)) >= 0 {
			t.Logf("incentive full %d > lite %d > broken %d; emission %s, %s, %s", full.Incentive, lite.Incentive,
				broken.Incentive, full.Emission, lite.Emission, broken.Emission)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("incentive not ordered by quality: full %+v lite %+v broken %+v\n%s", full, lite, broken, val.tail())
		}
		time.Sleep(2 * time.Second)
	}

	// Resilience: kill the lite miner and restart the validator. The scores survive the restart (the file is there
	// and the full miner still gets the top weight), the dead miner's weight decays, and weights keep arriving.
	_, before := n.weightsOf(t, 1, valAddr)
	liteBefore := before[uids[liteAddr]]
	miners["miner3"].stop()
	val.stop()
	if _, err := os.Stat(filepath.Join(n.Home(), "neuron", "scores-1.json")); err != nil {
		t.Fatalf("the validator left no score file: %v", err)
	}
	val = startNeuron(t, append([]string{
		"validator", "--key", "validator1", "--round-interval", "1s", "--query-timeout", "3s",
		"--metagraph-interval", "1s", "--alpha", "0.3", "--listen", "/ip4/127.0.0.1/tcp/0",
	}, base...)...)
	deadline = time.Now().Add(120 * time.Second)
	for {
		_, row = n.weightsOf(t, 1, valAddr)
		if row[uids[liteAddr]] < liteBefore && row[uids[fullAddr]] == 65535 {
			t.Logf("after the restart: dead lite miner's weight %d -> %d, full miner still 65535", liteBefore, row[uids[liteAddr]])
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dead miner's weight did not decay after the validator restart (before %d, now %v)\n%s", liteBefore, row, val.tail())
		}
		time.Sleep(2 * time.Second)
	}

	// The validator kept every signed answer; the receipt log verifies on its own.
	out, err = exec.Command(Binary(t, "neuron"), "receipts", "verify", "-q", filepath.Join(n.Home(), "neuron", "receipts-1.jsonl")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), " 0 invalid") || strings.HasPrefix(string(out), "0 receipts") {
		t.Fatalf("neuron receipts verify: %v\n%s", err, out)
	}
	t.Logf("receipt log: %s", strings.TrimSpace(string(out)))
}
