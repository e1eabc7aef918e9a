package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// itemCase is one genesis item and what its Validate must say: nil, or an error of the given type whose message
// contains want (the field it names).
type itemCase struct {
	name string
	item interface{ Validate() error }
	is   error
	want string
}

func runItems(t *testing.T, cases []itemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.item.Validate()
			if tc.is == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

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
	runItems(t, []itemCase{
		{"subnet ok", validSubnet(), nil, ""},
		{"subnet netuid 0", sub(func(s *types.Subnet) { s.Netuid = 0 }), types.ErrSubnetNotFound, "netuid is 0"},
		{"subnet bad owner", sub(func(s *types.Subnet) { s.Owner = "mind1x" }), types.ErrInvalidAddress, "owner"},
		{"subnet bad identity", sub(func(s *types.Subnet) { s.Identity.TaskKind = "NER!" }), types.ErrInvalidIdentity, "task_kind"},
		{"subnet bad hyperparameters", sub(func(s *types.Subnet) { s.Hyperparameters.Tempo = 0 }), types.ErrInvalidHyperparameters, "tempo"},
		{"subnet negative burn", sub(func(s *types.Subnet) { s.Burn = math.NewInt(-1) }), types.ErrInvalidGenesis, "burn is -1"},
		{"subnet unset locked", sub(func(s *types.Subnet) { s.Locked = math.Int{} }), types.ErrInvalidGenesis, "locked is not set"},
		{"subnet too many neurons", sub(func(s *types.Subnet) { s.N = s.Hyperparameters.MaxAllowedUids + 1 }), types.ErrInvalidGenesis, "max_allowed_uids"},

		{"neuron ok", types.Neuron{Netuid: 1, Hotkey: addr(2), Coldkey: addr(1)}, nil, ""},
		{"neuron netuid 0", types.Neuron{Hotkey: addr(2), Coldkey: addr(1)}, types.ErrSubnetNotFound, "netuid"},
		{"neuron bad hotkey", types.Neuron{Netuid: 1, Hotkey: "h", Coldkey: addr(1)}, types.ErrInvalidAddress, "hotkey \"h\""},
		{"neuron empty coldkey", types.Neuron{Netuid: 1, Hotkey: addr(2)}, types.ErrInvalidAddress, "coldkey is empty"},

		{"output ok", out(func(*types.NeuronOutput) {}), nil, ""},
		{"output unset emission", out(func(o *types.NeuronOutput) { o.Output.Emission = math.Int{} }), nil, ""},
		{"output netuid 0", out(func(o *types.NeuronOutput) { o.Netuid = 0 }), types.ErrSubnetNotFound, "netuid"},
		{"output not u16", out(func(o *types.NeuronOutput) { o.Output.Dividends = 65536 }), types.ErrInvalidGenesis, "output.dividends"},
		{"output negative emission", out(func(o *types.NeuronOutput) { o.Output.Emission = math.NewInt(-3) }), types.ErrInvalidGenesis, "output.emission"},

		{"owner ok", types.HotkeyOwner{Hotkey: addr(2), Coldkey: addr(1)}, nil, ""},
		{"owner bad coldkey", types.HotkeyOwner{Hotkey: addr(2), Coldkey: "c"}, types.ErrInvalidAddress, "coldkey"},
		{"owner bad hotkey", types.HotkeyOwner{Coldkey: addr(1)}, types.ErrInvalidAddress, "hotkey"},

		{"row ok", row(1, types.WeightEntry{Uid: 0, Value: 1}, types.WeightEntry{Uid: 3, Value: 65535}), nil, ""},
		{"row empty", row(1), nil, ""},
		{"row netuid 0", row(0), types.ErrSubnetNotFound, "netuid"},
		{"row not u16", row(1, types.WeightEntry{Uid: 1, Value: 65536}), types.ErrInvalidGenesis, "u16"},
		{"row unordered", row(1, types.WeightEntry{Uid: 2}, types.WeightEntry{Uid: 1}), types.ErrInvalidGenesis, "increasing"},
		{"row repeated uid", row(1, types.WeightEntry{Uid: 2}, types.WeightEntry{Uid: 2}), types.ErrInvalidGenesis, "increasing"},

		{"commits ok", types.HotkeyCommits{Netuid: 1, Hotkey: addr(2), Commits: make([]types.WeightCommit, types.MaxPendingCommits)}, nil, ""},
		{"commits too many", types.HotkeyCommits{Netuid: 1, Hotkey: addr(2), Commits: make([]types.WeightCommit, types.MaxPendingCommits+1)}, types.ErrTooManyCommits, "at most"},
		{"commits bad hotkey", types.HotkeyCommits{Netuid: 1}, types.ErrInvalidAddress, "hotkey"},
		{"commits netuid 0", types.HotkeyCommits{Hotkey: addr(2)}, types.ErrSubnetNotFound, "netuid"},

		{"epoch index ok", types.SubnetEpochIndex{Netuid: 1, Index: 9}, nil, ""},
		{"epoch index netuid 0", types.SubnetEpochIndex{}, types.ErrSubnetNotFound, "netuid"},
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
