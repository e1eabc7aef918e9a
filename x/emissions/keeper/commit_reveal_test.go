package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/testutil/integration"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestCommitRevealRejections walks commit and reveal through the real Msg server across real epochs.
func TestCommitRevealRejections(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "v1")
	hk := c.Account("v1")
	uids, values, salt := []uint32{0}, []uint32{7}, []byte("salt")
	hash := func(s []byte) []byte { return subnetstypes.WeightsCommitHash(hk.Addr, netuid, uids, values, s, 0) }
	commit := func(h []byte) *subnetsResult {
		r := c.Deliver([]sdk.Msg{&subnetstypes.MsgCommitWeights{Hotkey: hk.Addr.String(), Netuid: netuid, CommitHash: h}}, hk)
		return &subnetsResult{r.Code, r.Codespace, r.Log}
	}
	reveal := func(s []byte) *subnetsResult {
		r := c.Deliver([]sdk.Msg{&subnetstypes.MsgRevealWeights{Hotkey: hk.Addr.String(), Netuid: netuid, Uids: uids, Values: values, Salt: s}}, hk)
		return &subnetsResult{r.Code, r.Codespace, r.Log}
	}
	commit(hash(salt)).is(t, subnetstypes.ErrCommitRevealDisabled)
	reveal(salt).is(t, subnetstypes.ErrCommitRevealDisabled)

	hp, _ := c.SubnetsKeeper.GetSubnet(c.Ctx(), netuid)
	hp.Hyperparameters.CommitRevealEnabled = true
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgSetHyperparameters{Owner: c.Account("alice").Addr.String(), Netuid: netuid, Hyperparameters: hp.Hyperparameters}}, c.Account("alice"))

	commit([]byte("short")).is(t, subnetstypes.ErrInvalidCommitHash)
	reveal(salt).is(t, subnetstypes.ErrCommitNotFound)
	commit(hash(salt)).is(t, nil)
	e0 := epochIndex(t, c, netuid)
	commit(hash(salt)).is(t, subnetstypes.ErrInvalidCommitHash) // the same hash twice
	reveal(salt).is(t, subnetstypes.ErrRevealTooEarly)
	reveal([]byte("wrong")).is(t, subnetstypes.ErrRevealHashMismatch) // a commit is pending, but not this one

	untilEpoch(t, c, netuid, e0+1) // the reveal window of the first commit
	before, _ := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0)
	reveal(salt).is(t, nil)
	row, err := c.SubnetsKeeper.Weights.Get(c.Ctx(), collectionsJoin(netuid, 0))
	if err != nil || len(row.Entries) != 1 || row.Entries[0].Value != 65535 {
		t.Fatalf("revealed row %v, %v", row, err)
	}
	after, _ := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0)
	if after.LastUpdate <= before.LastUpdate {
		t.Fatal("reveal did not set last_update")
	}
	reveal(salt).is(t, subnetstypes.ErrCommitNotFound) // a commit reveals once

	// At most 10 pending commits (sent in one tx so that none expires meanwhile).
	var ten []sdk.Msg
	for i := 0; i < 10; i++ {
		ten = append(ten, &subnetstypes.MsgCommitWeights{Hotkey: hk.Addr.String(), Netuid: netuid, CommitHash: hash([]byte{byte(i)})})
	}
	c.MustDeliver(ten, hk)
	commit(hash([]byte("eleventh"))).is(t, subnetstypes.ErrTooManyCommits)

	untilEpoch(t, c, netuid, epochIndex(t, c, netuid)+2) // the ten expire
	late := []byte("late")
	commit(hash(late)).is(t, nil)
	untilEpoch(t, c, netuid, epochIndex(t, c, netuid)+2)
	reveal(late).is(t, subnetstypes.ErrRevealTooLate)
	// Expired commits no longer count towards the limit.
	commit(hash([]byte("fresh"))).is(t, nil)
}

func epochIndex(t *testing.T, c *integration.App, netuid uint32) uint64 {
	t.Helper()
	i, err := c.SubnetsKeeper.CurrentEpochIndex(c.Ctx(), netuid)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func untilEpoch(t *testing.T, c *integration.App, netuid uint32, idx uint64) {
	t.Helper()
	for epochIndex(t, c, netuid) < idx {
		c.NextBlock()
	}
	if epochIndex(t, c, netuid) != idx {
		t.Fatalf("epoch index passed %d", idx)
	}
}
