package integration_test

import (
	"errors"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/keeper"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

func subnetsQuery(c *integration.App) subnetstypes.QueryServer {
	return keeper.NewQueryServerImpl(c.SubnetsKeeper)
}

func metagraph(t *testing.T, c *integration.App, netuid uint32) *subnetstypes.QueryMetagraphResponse {
	t.Helper()
	mg, err := subnetsQuery(c).Metagraph(c.Ctx(), &subnetstypes.QueryMetagraphRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	return mg
}

func totalMinted(t *testing.T, c *integration.App) math.Int {
	t.Helper()
	m, err := c.EmissionsKeeper.TotalMinted.Get(c.Ctx())
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt()
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}
