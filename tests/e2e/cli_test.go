package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOperatorCLIWithRealBinary drives the CLI forms an operator types in the first hour: amounts in umind and MIND
// with key names for hotkeys, refusals that name the argument before anything is sent, not-found errors without
// gRPC noise or source paths, uid 0 in the metagraph table, an unregistered hotkey, and the portfolio overview.
func TestOperatorCLIWithRealBinary(t *testing.T) {
	n := StartNode(t)
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "alice", "validator1") // uid 0
	n.Register(1, "bob", "miner1")       // uid 1
	vali := n.KeyAddr("validator1")

	// Amounts: MIND with decimals, umind with and without the denom; the hotkey by key name.
	n.TxOK("tx", "stake", "add", "validator1", "1.5MIND", "--from", "alice")
	n.TxOK("tx", "stake", "add", vali, "1000umind", "--from", "alice")
	n.TxOK("tx", "stake", "add", vali, "2000", "--from", "alice")
	var del struct {
		Total string `json:"total"`
	}
	if err := json.Unmarshal(n.Query("q", "stake", "delegators", vali), &del); err != nil || del.Total != "1503000" {
		t.Fatalf("validator1 stake = %q (%v), want 1503000 (1.5MIND + 1000umind + 2000)", del.Total, err)
	}
	n.TxOK("tx", "stake", "remove", "validator1", "0.5MIND", "--from", "alice")

	// Refusals in the CLI: what the user sees on stderr, and that nothing is printed as a tx.
	fail := func(want []string, args ...string) {
		t.Helper()
		full := append(args, "--node", n.rpc, "--keyring-backend", "test")
		if args[0] == "tx" {
			full = append(full, "--chain-id", chainID)
		}
		out, err := n.exec(full...)
		if err == nil {
			t.Fatalf("tokenmindd %s succeeded:\n%s", strings.Join(args, " "), out)
		}
		s := string(out)
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("tokenmindd %s:\n%s\nwant it to contain %q", strings.Join(args, " "), s, w)
			}
		}
		for _, bad := range []string{"rpc error", ".go:", `"--0"`, "unknown shorthand", "txhash"} {
			if strings.Contains(s, bad) {
				t.Errorf("tokenmindd %s prints %q:\n%s", strings.Join(args, " "), bad, s)
			}
		}
	}
	fail([]string{"-5 is negative"}, "tx", "stake", "add", vali, "-5", "--from", "alice", "--yes")
	fail([]string{`argument 2 [amount]: amount "1.5" has decimals`, "1.5MIND"}, "tx", "stake", "add", vali, "1.5", "--from", "alice", "--yes")
	fail([]string{`argument 2 [amount]: amount "10uatom" is in "uatom"`}, "tx", "stake", "add", vali, "10uatom", "--from", "alice", "--yes")
	fail([]string{`argument 1 [hotkey]: "mind1xyz" is not valid`, "want a mind1... address or the name of a key"},
		"tx", "stake", "add", "mind1xyz", "5", "--from", "alice", "--yes")
	fail([]string{"--max-burn", `"5foo" is in "foo"`}, "tx", "subnets", "register", "1", "--hotkey", "miner2", "--max-burn", "5foo", "--from", "bob", "--yes")
	fail([]string{"Error: netuid 7 (list subnets with: tokenmindd q subnets subnets): subnet not found"}, "q", "subnets", "subnet", "7")
	fail([]string{"Error: uid 9 on subnet 1: uid not found"}, "q", "subnets", "neuron", "1", "9")
	fail([]string{"Error: name is required: invalid subnet identity"}, "tx", "subnets", "create-subnet", "", "ner", "--from", "alice", "--yes")
	fail([]string{"is not registered", "tokenmindd tx subnets register"}, "q", "subnets", "hotkey", "miner2")

	// uid 0 is a row of the metagraph table (the default output) and a field of its JSON.
	out := string(n.run("q", "subnets", "metagraph", "1", "--node", n.rpc))
	var row0 string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "0 ") {
			row0 = l
		}
	}
	if !strings.Contains(row0, vali) || !strings.HasPrefix(strings.Split(out, "\n")[1], "UID") {
		t.Fatalf("metagraph table has no uid 0 row for validator1:\n%s", out)
	}
	if !strings.Contains(string(n.Query("q", "subnets", "metagraph", "1")), `"uid":0`) {
		t.Fatal("metagraph JSON has no uid 0")
	}
	if out := string(n.run("q", "subnets", "immunity", "1", "--node", n.rpc)); !strings.Contains(out, "next replaced") {
		t.Fatalf("immunity does not say which UID goes next:\n%s", out)
	}

	// The portfolio: alice owns validator1 (uid 0 on subnet 1), staked 1.503 MIND, then removed 0.5 MIND on it, 0.5 MIND unbonding.
	out = string(n.run("q", "stake", "overview", "alice", "--node", n.rpc, "--keyring-backend", "test"))
	if !strings.Contains(out, "HOTKEYS (1)") || !strings.Contains(out, "UNBONDING (1)") || !strings.Contains(out, "owns subnets 1") {
		t.Fatalf("overview of alice:\n%s", out)
	}
	found := false
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) > 4 && f[0] == vali && f[1] == "1" && f[2] == "0" {
			found = true
		}
	}
	if !found {
		t.Fatalf("overview has no line for validator1 on netuid 1 uid 0:\n%s", out)
	}
	var o struct {
		Staked  string `json:"staked"`
		Hotkeys []struct {
			Hotkey        string `json:"hotkey"`
			OwnStake      string `json:"own_stake"`
			Registrations []struct {
				Netuid int `json:"netuid"`
				UID    int `json:"uid"`
			} `json:"registrations"`
		} `json:"hotkeys"`
		Unbondings []struct {
			Amount string `json:"amount"`
		} `json:"unbondings"`
	}
	if err := json.Unmarshal(n.Query("q", "stake", "overview", n.KeyAddr("alice")), &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Hotkeys) != 1 || o.Hotkeys[0].Hotkey != vali || len(o.Hotkeys[0].Registrations) != 1 ||
		o.Hotkeys[0].Registrations[0].UID != 0 || len(o.Unbondings) != 1 || o.Unbondings[0].Amount != "500000" {
		t.Fatalf("overview JSON: %+v", o)
	}
	// Rewards may have compounded onto the position by now; it holds at least what is left of the stake.
	if amount(o.Hotkeys[0].OwnStake).Cmp(amount("1003000")) < 0 {
		t.Fatalf("own stake %s < 1003000", o.Hotkeys[0].OwnStake)
	}
}
