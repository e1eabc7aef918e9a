package e2e

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"
)

type metagraphRow struct {
	Neuron struct {
		Uid    int    `json:"uid"`
		Hotkey string `json:"hotkey"`
	} `json:"neuron"`
	Stake  string `json:"stake"`
	Output struct {
		Emission        string `json:"emission"`
		Incentive       int    `json:"incentive"`
		ValidatorPermit bool   `json:"validator_permit"`
	} `json:"output"`
}

func (n *Node) metagraph(netuid int) []metagraphRow {
	n.t.Helper()
	var mg struct {
		Neurons []metagraphRow `json:"neurons"`
	}
	if err := json.Unmarshal(n.Query("q", "subnets", "metagraph", fmt.Sprint(netuid)), &mg); err != nil {
		n.t.Fatal(err)
	}
	return mg.Neurons
}

func amount(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return new(big.Int)
	}
	return v
}

// TestWeightsDriveEmissionWithRealBinary: a validator (owned by the subnet owner, staked) weights miner1 above
// miner2 from the CLI; after the epochs that grant permits and count the weights, the metagraph shows miner1 earning
// more emission and incentive than miner2.
func TestWeightsDriveEmissionWithRealBinary(t *testing.T) {
	n := StartNode(t)
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "alice", "validator1") // uid 0, the owner's hotkey
	n.Register(1, "bob", "miner1")       // uid 1
	n.Register(1, "bob", "miner2")       // uid 2
	n.TxOK("tx", "stake", "add", n.KeyAddr("validator1"), "100000000", "--from", "alice")

	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		// Weights are rate limited to one per block and idempotent; resubmitting keeps last_update fresh (active).
		if code, log := n.Tx("tx", "subnets", "set-weights", "1", "1:65535,2:16384", "--from", "validator1"); code != 0 {
			t.Logf("set-weights: code %d %s", code, log)
		}
		rows := n.metagraph(1)
		if len(rows) == 3 {
			e1, e2 := amount(rows[1].Output.Emission), amount(rows[2].Output.Emission)
			if e1.Sign() > 0 {
				if e1.Cmp(e2) <= 0 || rows[1].Output.Incentive <= rows[2].Output.Incentive {
					t.Fatalf("miner1 (weight 65535) earned %s (incentive %d), miner2 (weight 16384) %s (incentive %d)",
						e1, rows[1].Output.Incentive, e2, rows[2].Output.Incentive)
				}
				if !rows[0].Output.ValidatorPermit {
					t.Fatalf("the staked validator has no permit: %+v", rows[0])
				}
				t.Logf("at height %d: miner1 emission %s incentive %d, miner2 emission %s incentive %d",
					n.Height(), e1, rows[1].Output.Incentive, e2, rows[2].Output.Incentive)
				return
			}
		}
		time.Sleep(2 * time.Second)
	}
	t.Fatalf("no emission reached miner1 within 90s; metagraph: %+v", n.metagraph(1))
}
