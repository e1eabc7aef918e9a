package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/keeper"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

type registration struct {
	code      uint32
	codespace string
	log       string
	data      []byte
	res       *abci.ExecTxResult
}

func (r *registration) ok(t *testing.T) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("registration failed: %s/%d %s", r.codespace, r.code, r.log)
	}
}

func (r *registration) is(t *testing.T, want *errorsmod.Error) {
	t.Helper()
	if r.code != want.ABCICode() || r.codespace != want.Codespace() {
		t.Fatalf("want %s (%d), got %s/%d %s", want.Error(), want.ABCICode(), r.codespace, r.code, r.log)
	}
}

func unpackResponse(t *testing.T, c *integration.App, data []byte, resp proto.Message) {
	t.Helper()
	c.MsgResponse(data, resp)
}

func mustSubnet(t *testing.T, c *integration.App, netuid uint32) types.Subnet {
	t.Helper()
	s, err := c.SubnetsKeeper.GetSubnet(c.Ctx(), netuid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func queryImmunity(t *testing.T, c *integration.App, netuid uint32) *types.QueryImmunityResponse {
	t.Helper()
	res, err := keeper.NewQueryServerImpl(c.SubnetsKeeper).Immunity(c.Ctx(), &types.QueryImmunityRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func requireEvent(t *testing.T, events []abci.Event, typ, attr string) {
	t.Helper()
	integration.RequireEvent(t, events, typ, attr)
}

func ctxWrite(c *integration.App) sdk.Context { return c.WriteCtx() }

func collectionsJoin(a, b uint32) collections.Pair[uint32, uint32] { return collections.Join(a, b) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// supplyNetOfMint is the umind supply minus everything x/emissions has minted, so burns show as exact drops.
func supplyNetOfMint(c *integration.App) math.Int {
	minted, err := c.EmissionsKeeper.TotalMintedAmount(c.Ctx())
	if err != nil {
		panic(err)
	}
	return c.Supply().Sub(minted)
}
