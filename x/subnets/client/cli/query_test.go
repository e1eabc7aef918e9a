package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/internal/cliutil"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/client/cli"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestZeroIsAValue: uid 0 and zero outputs appear in the metagraph table and in the JSON the hand-written queries
// print; the immunity summary always says which UID goes next, full or not, or why none does.
func TestZeroIsAValue(t *testing.T) {
	c := integration.New(t, []string{"owner", "cold", "v1", "m1", "m2"}, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := types.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.MaxAllowedUids, hp.MaxAllowedValidators, hp.ImmunityPeriod = 3, 3, 4
		integration.SetGenesisModule(g, a, types.ModuleName, gs)
	}))
	owner := c.Account("owner")
	c.MustDeliver([]sdk.Msg{&types.MsgCreateSubnet{
		Owner: owner.Addr.String(), MaxCost: math.ZeroInt(),
		Identity: types.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, owner)
	register := func(hot string) {
		c.MustDeliver([]sdk.Msg{&types.MsgRegisterNeuron{
			Coldkey: c.Account("cold").Addr.String(), Hotkey: c.Account(hot).Addr.String(),
			Netuid: 1, MaxBurn: math.ZeroInt(),
		}}, c.Account("cold"), c.Account(hot))
	}
	register("v1")
	register("m1")
	q := types.NewQueryClient(&baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.GRPCQueryRouter(), Ctx: c.Ctx()})

	mg, err := q.Metagraph(c.Ctx(), &types.QueryMetagraphRequest{Netuid: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cli.WriteMetagraph(&buf, mg); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "UID") || !strings.HasPrefix(lines[2], "0 ") || !strings.HasPrefix(lines[3], "1 ") {
		t.Fatalf("metagraph table has no rows for uid 0 and 1:\n%s", buf.String())
	}
	if !strings.Contains(lines[2], c.Account("v1").Addr.String()) || !strings.Contains(lines[2], "0.0000") {
		t.Fatalf("uid 0's row lacks its hotkey or zero outputs: %s", lines[2])
	}
	if !strings.Contains(lines[0], "2 of 3 UIDs") {
		t.Fatalf("header: %s", lines[0])
	}

	// JSON from the hand-written commands shows uid 0 (the generated commands' amino JSON omitted it).
	buf.Reset()
	clientCtx := client.Context{}.WithCodec(c.AppCodec()).WithOutput(&buf)
	if err := cliutil.PrintJSON(clientCtx, mg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"uid":0`) || !strings.Contains(buf.String(), `"incentive":0`) {
		t.Fatalf("metagraph JSON omits zero fields: %s", buf.String())
	}

	summary := func() string {
		t.Helper()
		q := types.NewQueryClient(&baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.GRPCQueryRouter(), Ctx: c.Ctx()})
		imm, err := q.Immunity(c.Ctx(), &types.QueryImmunityRequest{Netuid: 1})
		if err != nil {
			t.Fatal(err)
		}
		s, err := q.Subnet(c.Ctx(), &types.QuerySubnetRequest{Netuid: 1})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := cli.WriteImmunity(&b, s.Subnet, imm); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// Not full, everyone immune: says so and when the first immunity ends.
	if got := summary(); !strings.Contains(got, "2 of 3 UIDs: a registration now takes a free UID") ||
		!strings.Contains(got, "next replaced: none now, every neuron is immune or owner-protected; the first immunity ends in") {
		t.Fatalf("immunity, not full and immune:\n%s", got)
	}
	// Immunity over, still not full: the next one is named anyway, and it is uid 0 (all emissions 0: the oldest).
	c.NextBlocks(5)
	if got := summary(); !strings.Contains(got, "next replaced once full: uid 0 ("+c.Account("v1").Addr.String()+")") {
		t.Fatalf("immunity, not full, none immune:\n%s", got)
	}
	// Full.
	register("m2")
	if got := summary(); !strings.Contains(got, "subnet 1 is full (3 of 3 UIDs)") || !strings.Contains(got, "next replaced: uid ") {
		t.Fatalf("immunity, full:\n%s", got)
	}
}
