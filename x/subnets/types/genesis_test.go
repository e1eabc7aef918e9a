package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/testutil/validatetest"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

func validSubnet() types.Subnet {
	return types.Subnet{
		Netuid: 1, Owner: addr(1), Identity: types.SubnetIdentity{Name: "ner", TaskKind: "ner"},
		Hyperparameters: types.DefaultHyperparameters(), Burn: math.OneInt(), Locked: math.ZeroInt(), N: 2,
	}
}

func TestGenesisItemsValidate(t *testing.T) {
	sub := func(f func(*types.Subnet)) types.Subnet { s := validSubnet(); f(&s); return s }
	out := func(f func(*types.NeuronOutput)) types.NeuronOutput {
		o := types.NeuronOutput{Netuid: 1, Uid: 0, Output: types.EpochOutput{Consensus: 65535, Emission: math.NewInt(7)}}
		f(&o)
		return o
	}
	row := func(netuid uint32, entries ...types.WeightEntry) types.MatrixRow {
		return types.MatrixRow{Netuid: netuid, Uid: 0, Entries: entries}
	}
	validatetest.Run(t, []validatetest.Case{
		validatetest.C("subnet ok", validSubnet(), nil, ""),
		validatetest.C("subnet netuid 0", sub(func(s *types.Subnet) { s.Netuid = 0 }), types.ErrSubnetNotFound, "netuid is 0"),
		validatetest.C("subnet bad owner", sub(func(s *types.Subnet) { s.Owner = "mind1x" }), types.ErrInvalidAddress, "owner"),
		validatetest.C("subnet bad identity", sub(func(s *types.Subnet) { s.Identity.TaskKind = "NER!" }), types.ErrInvalidIdentity, "task_kind"),
		validatetest.C("subnet bad hyperparameters", sub(func(s *types.Subnet) { s.Hyperparameters.Tempo = 0 }), types.ErrInvalidHyperparameters, "tempo"),
		validatetest.C("subnet negative burn", sub(func(s *types.Subnet) { s.Burn = math.NewInt(-1) }), types.ErrInvalidGenesis, "burn is -1"),
		validatetest.C("subnet unset locked", sub(func(s *types.Subnet) { s.Locked = math.Int{} }), types.ErrInvalidGenesis, "locked is not set"),
		validatetest.C("subnet too many neurons", sub(func(s *types.Subnet) { s.N = s.Hyperparameters.MaxAllowedUids + 1 }), types.ErrInvalidGenesis, "max_allowed_uids"),

		validatetest.C("neuron ok", types.Neuron{Netuid: 1, Hotkey: addr(2), Coldkey: addr(1)}, nil, ""),
		validatetest.C("neuron netuid 0", types.Neuron{Hotkey: addr(2), Coldkey: addr(1)}, types.ErrSubnetNotFound, "netuid"),
		validatetest.C("neuron bad hotkey", types.Neuron{Netuid: 1, Hotkey: "h", Coldkey: addr(1)}, types.ErrInvalidAddress, "hotkey \"h\""),
		validatetest.C("neuron empty coldkey", types.Neuron{Netuid: 1, Hotkey: addr(2)}, types.ErrInvalidAddress, "coldkey is empty"),

		validatetest.C("output ok", out(func(*types.NeuronOutput) {}), nil, ""),
		validatetest.C("output unset emission", out(func(o *types.NeuronOutput) { o.Output.Emission = math.Int{} }), nil, ""),
		validatetest.C("output netuid 0", out(func(o *types.NeuronOutput) { o.Netuid = 0 }), types.ErrSubnetNotFound, "netuid"),
		validatetest.C("output not u16", out(func(o *types.NeuronOutput) { o.Output.Dividends = 65536 }), types.ErrInvalidGenesis, "output.dividends"),
		validatetest.C("output negative emission", out(func(o *types.NeuronOutput) { o.Output.Emission = math.NewInt(-3) }), types.ErrInvalidGenesis, "output.emission"),

		validatetest.C("owner ok", types.HotkeyOwner{Hotkey: addr(2), Coldkey: addr(1)}, nil, ""),
		validatetest.C("owner bad coldkey", types.HotkeyOwner{Hotkey: addr(2), Coldkey: "c"}, types.ErrInvalidAddress, "coldkey"),
		validatetest.C("owner bad hotkey", types.HotkeyOwner{Coldkey: addr(1)}, types.ErrInvalidAddress, "hotkey"),

		validatetest.C("row ok", row(1, types.WeightEntry{Uid: 0, Value: 1}, types.WeightEntry{Uid: 3, Value: 65535}), nil, ""),
		validatetest.C("row empty", row(1), nil, ""),
		validatetest.C("row netuid 0", row(0), types.ErrSubnetNotFound, "netuid"),
		validatetest.C("row not u16", row(1, types.WeightEntry{Uid: 1, Value: 65536}), types.ErrInvalidGenesis, "u16"),
		validatetest.C("row unordered", row(1, types.WeightEntry{Uid: 2}, types.WeightEntry{Uid: 1}), types.ErrInvalidGenesis, "increasing"),
		validatetest.C("row repeated uid", row(1, types.WeightEntry{Uid: 2}, types.WeightEntry{Uid: 2}), types.ErrInvalidGenesis, "increasing"),

		validatetest.C("commits ok", types.HotkeyCommits{Netuid: 1, Hotkey: addr(2), Commits: make([]types.WeightCommit, types.MaxPendingCommits)}, nil, ""),
		validatetest.C("commits too many", types.HotkeyCommits{Netuid: 1, Hotkey: addr(2), Commits: make([]types.WeightCommit, types.MaxPendingCommits+1)}, types.ErrTooManyCommits, "at most"),
		validatetest.C("commits bad hotkey", types.HotkeyCommits{Netuid: 1}, types.ErrInvalidAddress, "hotkey"),
		validatetest.C("commits netuid 0", types.HotkeyCommits{Hotkey: addr(2)}, types.ErrSubnetNotFound, "netuid"),

		validatetest.C("epoch index ok", types.SubnetEpochIndex{Netuid: 1, Index: 9}, nil, ""),
		validatetest.C("epoch index netuid 0", types.SubnetEpochIndex{}, types.ErrSubnetNotFound, "netuid"),
	})
}

// GenesisState.Validate calls each item's Validate, says which item failed, and keeps the checks that need the
// whole state.
func TestGenesisValidateCallsItems(t *testing.T) {
	valid := func() *types.GenesisState {
		gs := types.DefaultGenesis()
		gs.NextNetuid = 2
		gs.Subnets = []types.Subnet{validSubnet()}
		gs.Neurons = []types.Neuron{
			{Netuid: 1, Uid: 0, Hotkey: addr(2), Coldkey: addr(1)},
			{Netuid: 1, Uid: 1, Hotkey: addr(3), Coldkey: addr(1)},
		}
		gs.Weights = []types.MatrixRow{{Netuid: 1, Uid: 0, Entries: []types.WeightEntry{{Uid: 1, Value: 5}}}}
		return gs
	}
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid genesis rejected: %v", err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(*types.GenesisState)
		want   string
	}{
		{"bad neuron", func(gs *types.GenesisState) { gs.Neurons[1].Coldkey = "" }, "neurons[1]: coldkey is empty"},
		{"bad row", func(gs *types.GenesisState) { gs.Weights[0].Entries[0].Value = 1 << 20 }, "weights[0]: entries[0]"},
		{"row beyond n", func(gs *types.GenesisState) { gs.Weights[0].Entries[0].Uid = 2 }, "weights[0]: entry for uid 2"},
		{"subnet beyond next_netuid", func(gs *types.GenesisState) { gs.NextNetuid = 1 }, "below next_netuid"},
		{"n does not match", func(gs *types.GenesisState) { gs.Neurons = gs.Neurons[:1] }, "n is 2 but genesis has 1"},
		{"hotkey twice", func(gs *types.GenesisState) { gs.Neurons[1].Hotkey = gs.Neurons[0].Hotkey }, "registered twice"},
		{"output of unknown neuron", func(gs *types.GenesisState) {
			gs.Outputs = []types.NeuronOutput{{Netuid: 1, Uid: 5}}
		}, "outputs[0]: epoch output for unknown neuron"},
		{"next_netuid 0", func(gs *types.GenesisState) { gs.NextNetuid = 0 }, "next_netuid is 0"},
		{"negative cost", func(gs *types.GenesisState) { gs.LastSubnetCost = math.NewInt(-1) }, "last_subnet_cost is -1"},
	} {
		gs := valid()
		tc.mutate(gs)
		err := gs.Validate()
		if !errors.Is(err, types.ErrInvalidGenesis) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want ErrInvalidGenesis mentioning %q", tc.name, err, tc.want)
		}
	}
}
