// Package e2e drives the real tokenmindd binary the way an operator does: init, start, transactions and queries
// from the CLI, stop, restart. Build first (make build) or set TOKENMIND_BIN to the directory of the binaries.
package e2e

import (
	"encoding/json"
	"math/big"
	"testing"
)

func TestChainLifecycleWithRealBinary(t *testing.T) {
	n := StartNode(t)
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "bob", "miner1")
	n.Register(1, "bob", "validator1")
	n.TxOK("tx", "subnets", "serve", "1", "/ip4/127.0.0.1/tcp/4001", "--model", "full", "--from", "miner1")
	vali := n.KeyAddr("validator1")
	n.TxOK("tx", "stake", "add", vali, "5000000", "--from", "alice")

	check := func(when string) {
		var mg struct {
			Subnet struct {
				N int `json:"n"`
			} `json:"subnet"`
			Neurons []struct {
				Neuron struct {
					Hotkey  string `json:"hotkey"`
					Serving struct {
						Multiaddrs []string `json:"multiaddrs"`
						Model      string   `json:"model"`
					} `json:"serving"`
				} `json:"neuron"`
				Stake string `json:"stake"`
			} `json:"neurons"`
		}
		if err := json.Unmarshal(n.Query("q", "subnets", "metagraph", "1"), &mg); err != nil {
			t.Fatalf("%s: metagraph: %v", when, err)
		}
		if mg.Subnet.N != 2 || len(mg.Neurons) != 2 {
			t.Fatalf("%s: metagraph has %d neurons (n=%d), want 2", when, len(mg.Neurons), mg.Subnet.N)
		}
		if got := mg.Neurons[0].Neuron.Serving; len(got.Multiaddrs) != 1 || got.Model != "full" {
			t.Fatalf("%s: miner serving info = %+v", when, got)
		}
		// alice's 5 MIND, plus whatever epochs paid since (dividends are staked): more epochs pass when the machine is
		// slow to restart the node.
		if stake, ok := new(big.Int).SetString(mg.Neurons[1].Stake, 10); mg.Neurons[1].Neuron.Hotkey != vali || !ok ||
			stake.Cmp(big.NewInt(5_000_000)) < 0 {
			t.Fatalf("%s: validator row = %+v, want validator1 with at least 5000000 staked", when, mg.Neurons[1])
		}
	}
	check("before restart")
	h := n.Height()
	n.Stop()
	n.Start()
	n.WaitHeight(h + 2)
	check("after restart")
}
