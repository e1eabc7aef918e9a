package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// crChain: new subnets use commit-reveal (period 1), tempo 10, room for 3 UIDs and no immunity period, so a fourth
// registration replaces the oldest non-owner neuron (the owner's first hotkey is immune).
func crChain(t *testing.T) *integration.App {
	t.Helper()
	return integration.New(t, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.WeightsRateLimit, hp.MaxAllowedUids, hp.MaxAllowedValidators = 10, 1, 3, 3
		hp.ImmunityPeriod, hp.CommitRevealEnabled, hp.CommitRevealPeriod = 0, true, 1
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	}))
}

// crHotkey signs commits and reveals for one hotkey on one subnet.
type crHotkey struct {
	c      *integration.App
	netuid uint32
	acc    *integration.Account
}

func (h crHotkey) commitMsg(uids, values []uint32, salt string) sdk.Msg {
	return &subnetstypes.MsgCommitWeights{
		Hotkey: h.acc.Addr.String(), Netuid: h.netuid,
		CommitHash: subnetstypes.WeightsCommitHash(h.acc.Addr, h.netuid, uids, values, []byte(salt), 0),
	}
}

func (h crHotkey) commit(uids, values []uint32, salt string) *subnetsResult {
	r := h.c.Deliver([]sdk.Msg{h.commitMsg(uids, values, salt)}, h.acc)
	return &subnetsResult{r.Code, r.Codespace, r.Log}
}

func (h crHotkey) reveal(uids, values []uint32, salt string) *subnetsResult {
	r := h.c.Deliver([]sdk.Msg{&subnetstypes.MsgRevealWeights{
		Hotkey: h.acc.Addr.String(), Netuid: h.netuid,
		Uids: uids, Values: values, Salt: []byte(salt),
	}}, h.acc)
	return &subnetsResult{r.Code, r.Codespace, r.Log}
}

func registerTx(c *integration.App, netuid uint32, coldkey, hotkey string) []byte {
	return c.SignTx([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
		Coldkey: c.Account(coldkey).Addr.String(),
		Hotkey:  c.Account(hotkey).Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account(coldkey), c.Account(hotkey))
}

// nextBlockOK commits one block with txs and fails unless every tx succeeded.
func nextBlockOK(t *testing.T, c *integration.App, txs ...[]byte) {
	t.Helper()
	res := c.NextBlock(txs...)
	for i, r := range res.TxResults {
		if r.Code != 0 {
			t.Fatalf("tx %d of block %d failed: %s/%d %s", i, c.Height(), r.Codespace, r.Code, r.Log)
		}
	}
}

func occupant(t *testing.T, c *integration.App, netuid, uid uint32) subnetstypes.Neuron {
	t.Helper()
	n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, uid)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rowUids is the list of UIDs in a hotkey's stored weight row.
func rowUids(t *testing.T, c *integration.App, netuid, uid uint32) []uint32 {
	t.Helper()
	row, err := c.SubnetsKeeper.Weights.Get(c.Ctx(), collectionsJoin(netuid, uid))
	if err != nil {
		t.Fatalf("no weight row for uid %d: %v", uid, err)
	}
	var out []uint32
	for _, e := range row.Entries {
		out = append(out, e.Uid)
	}
	return out
}

func equalUids(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRevealDropsUidsRegisteredAtOrAfterTheCommit: a validator commits weights on UIDs 0 (itself), 1 and 2, and
// UIDs change hands. At reveal, the weight on a UID whose occupant registered after the commit's block is dropped;
// so is one whose occupant registered in the commit's own block, whichever of the two txs came first in it (the
// committer built its commit from the state before that block, which did not have that occupant). A UID registered
// in an earlier block keeps its weight.
func TestRevealDropsUidsRegisteredAtOrAfterTheCommit(t *testing.T) {
	c := crChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "v1") // uid 0, the owner's hotkey: no permit needed, never replaced
	register(c, netuid, "bob", "m1")   // uid 1
	register(c, netuid, "bob", "m2")   // uid 2
	v1 := crHotkey{c, netuid, c.Account("v1")}
	all, vals := []uint32{0, 1, 2}, []uint32{10, 100, 200}

	// Commit A, then a later block: m3 replaces the oldest miner (uid 1).
	v1.commit(all, vals, "A").is(t, nil)
	nextBlockOK(t, c, registerTx(c, netuid, "carol", "m3"))
	if n := occupant(t, c, netuid, 1); n.Hotkey != c.Account("m3").Addr.String() {
		t.Fatalf("uid 1 is %s, want m3 (replacement rule changed?)", n.Hotkey)
	}
	// Commit B and, after it in the same block, m4 replaces uid 2 (m2 is now the oldest miner).
	nextBlockOK(t, c, c.SignTx([]sdk.Msg{v1.commitMsg(all, vals, "B")}, v1.acc), registerTx(c, netuid, "carol", "m4"))
	commitB := uint64(c.Height())
	if n := occupant(t, c, netuid, 2); n.Hotkey != c.Account("m4").Addr.String() || n.RegisteredAt != commitB {
		t.Fatalf("uid 2 is %s registered at %d, want m4 at %d", n.Hotkey, n.RegisteredAt, commitB)
	}
	// m5 replaces uid 1 (m3) and, after it in the same block, commit C.
	nextBlockOK(t, c, registerTx(c, netuid, "dave", "m5"), c.SignTx([]sdk.Msg{v1.commitMsg(all, vals, "C")}, v1.acc))
	if n := occupant(t, c, netuid, 1); n.Hotkey != c.Account("m5").Addr.String() {
		t.Fatalf("uid 1 is %s, want m5", n.Hotkey)
	}

	untilEpoch(t, c, netuid, 1) // the reveal epoch of all three commits
	// A: uid 1 changed hands after the commit's block, uid 2 (m4) too.
	v1.reveal(all, vals, "A").is(t, nil)
	if got := rowUids(t, c, netuid, 0); !equalUids(got, []uint32{0}) {
		t.Fatalf("reveal A stored weights on uids %v, want [0]: uids 1 and 2 changed hands after the commit", got)
	}
	// B: uid 1 (m3) registered before B's block and kept it until C's block, which is after B: dropped as well,
	// since m5 holds it now; uid 2 (m4) registered in B's block, after B: dropped.
	v1.reveal(all, vals, "B").is(t, nil)
	if got := rowUids(t, c, netuid, 0); !equalUids(got, []uint32{0}) {
		t.Fatalf("reveal B stored weights on uids %v, want [0]: m4 registered in the commit's block", got)
	}
	// C: uid 1 (m5) registered in C's block before C: dropped; uid 2 (m4) registered a block before C: kept.
	v1.reveal(all, vals, "C").is(t, nil)
	if got := rowUids(t, c, netuid, 0); !equalUids(got, []uint32{0, 2}) {
		t.Fatalf("reveal C stored weights on uids %v, want [0 2]: m5 registered in the commit's block, m4 before it", got)
	}
}

// TestRevealKeepsUidsRegisteredBeforeTheCommit: with no UID changing hands, a reveal stores every committed weight.
func TestRevealKeepsUidsRegisteredBeforeTheCommit(t *testing.T) {
	c := crChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "v1")
	register(c, netuid, "bob", "m1")
	register(c, netuid, "bob", "m2")
	v1 := crHotkey{c, netuid, c.Account("v1")}
	v1.commit([]uint32{0, 1, 2}, []uint32{10, 100, 200}, "s").is(t, nil)
	untilEpoch(t, c, netuid, 1)
	v1.reveal([]uint32{0, 1, 2}, []uint32{10, 100, 200}, "s").is(t, nil)
	if got := rowUids(t, c, netuid, 0); !equalUids(got, []uint32{0, 1, 2}) {
		t.Fatalf("stored weights on uids %v, want [0 1 2]", got)
	}
}

// TestCommitRevealFromUnregisteredHotkey: a hotkey that is not registered on the subnet can neither commit nor
// reveal; both fail with ErrNotRegistered (refused before any fee-free processing).
func TestCommitRevealFromUnregisteredHotkey(t *testing.T) {
	c := crChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "v1")
	stranger := crHotkey{c, netuid, c.Account("m5")}
	r := stranger.commit([]uint32{0}, []uint32{1}, "s")
	r.is(t, subnetstypes.ErrNotRegistered)
	if !strings.Contains(r.log, "tokenmindd tx subnets register") {
		t.Fatalf("the error does not say how to register: %s", r.log)
	}
	stranger.reveal([]uint32{0}, []uint32{1}, "s").is(t, subnetstypes.ErrNotRegistered)
	// A hotkey registered on another subnet only is still a stranger here.
	other := createSubnet(t, c, "bob")
	register(c, other, "bob", "m5")
	stranger.commit([]uint32{0}, []uint32{1}, "s").is(t, subnetstypes.ErrNotRegistered)
}

// TestRevealFailsTheWeightChecks: commits are only hashes, so the weight checks run at reveal; a reveal whose
// weights break one gets that check's typed error and leaves the commit pending.
func TestRevealFailsTheWeightChecks(t *testing.T) {
	c := crChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "v1") // uid 0, owner's hotkey
	register(c, netuid, "bob", "m1")   // uid 1, no permit
	register(c, netuid, "bob", "m2")   // uid 2
	v1 := crHotkey{c, netuid, c.Account("v1")}
	m1 := crHotkey{c, netuid, c.Account("m1")}
	v1.commit([]uint32{1, 1}, []uint32{5, 6}, "dup").is(t, nil)
	v1.commit([]uint32{1, 7}, []uint32{5, 6}, "range").is(t, nil)
	m1.commit([]uint32{0, 2}, []uint32{5, 6}, "permit").is(t, nil)
	untilEpoch(t, c, netuid, 1)

	v1.reveal([]uint32{1, 1}, []uint32{5, 6}, "dup").is(t, subnetstypes.ErrDuplicateUids)
	v1.reveal([]uint32{1, 7}, []uint32{5, 6}, "range").is(t, subnetstypes.ErrInvalidUid)
	r := m1.reveal([]uint32{0, 2}, []uint32{5, 6}, "permit")
	r.is(t, subnetstypes.ErrNoValidatorPermit)
	if !strings.Contains(r.log, "next-epoch") {
		t.Fatalf("the permit error does not say how to get one: %s", r.log)
	}
	// A failed reveal consumed nothing: the same reveal fails the same way, not with "no commit".
	v1.reveal([]uint32{1, 1}, []uint32{5, 6}, "dup").is(t, subnetstypes.ErrDuplicateUids)
	if _, err := c.SubnetsKeeper.Weights.Get(c.Ctx(), collectionsJoin(netuid, 0)); err == nil {
		t.Fatal("a refused reveal stored weights")
	}
}

// TestRevealWrongHashAndNoCommitAreDistinct: a hotkey with no pending commit gets ErrCommitNotFound; one with
// pending commits none of which matches the reveal gets ErrRevealHashMismatch, which says to reveal exactly what was
// committed.
func TestRevealWrongHashAndNoCommitAreDistinct(t *testing.T) {
	c := crChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "v1")
	register(c, netuid, "bob", "m1")
	v1 := crHotkey{c, netuid, c.Account("v1")}
	uids, vals := []uint32{0, 1}, []uint32{1, 2}

	r := v1.reveal(uids, vals, "s")
	r.is(t, subnetstypes.ErrCommitNotFound)
	if !strings.Contains(r.log, "commit-weights") {
		t.Fatalf("ErrCommitNotFound does not say to commit first: %s", r.log)
	}
	v1.commit(uids, vals, "s").is(t, nil)
	untilEpoch(t, c, netuid, 1)
	for _, wrong := range []struct {
		uids, vals []uint32
		salt       string
	}{{uids, vals, "other salt"}, {uids, []uint32{1, 3}, "s"}, {[]uint32{0}, []uint32{1}, "s"}} {
		r := v1.reveal(wrong.uids, wrong.vals, wrong.salt)
		r.is(t, subnetstypes.ErrRevealHashMismatch)
		if !strings.Contains(r.log, "reveal exactly what you committed") || !strings.Contains(r.log, "1 pending commit") {
			t.Fatalf("ErrRevealHashMismatch log is not helpful: %s", r.log)
		}
	}
	v1.reveal(uids, vals, "s").is(t, nil)
	// Revealed: nothing is pending, so the same reveal is now "no commit", not a mismatch.
	v1.reveal(uids, vals, "s").is(t, subnetstypes.ErrCommitNotFound)

	// A commit that expired unrevealed does not count as pending: a wrong reveal is "no commit"; the right one is
	// "too late".
	v1.commit(uids, vals, "late").is(t, nil)
	untilEpoch(t, c, netuid, epochIndex(t, c, netuid)+2)
	v1.reveal(uids, vals, "wrong").is(t, subnetstypes.ErrCommitNotFound)
	v1.reveal(uids, vals, "late").is(t, subnetstypes.ErrRevealTooLate)
}
