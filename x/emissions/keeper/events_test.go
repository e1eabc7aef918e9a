package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// TestEpochAndPayoutEvents: at an epoch with an owner, two validators (one with a delegator) and two miners, the
// block carries one EventEpoch{netuid, height, total_paid, carried} and one EventPayout per payment, and they say
// exactly what happened to the coins: the payouts sum to total_paid, total_paid + carried is the pool, the pool left
// is carried, the owner's balance grew by the OWNER payout (18 % of the pool), and every (coldkey, hotkey) stake
// position grew by exactly the sum of its payouts.
func TestEpochAndPayoutEvents(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "v1")   // uid 0
	register(c, netuid, "carol", "v2") // uid 1
	register(c, netuid, "erin", "m1")  // uid 2
	register(c, netuid, "erin", "m2")  // uid 3
	addStake(c, "bob", "v1", 300_000_000)
	addStake(c, "carol", "v2", 100_000_000)
	addStake(c, "frank", "v1", 100_000_000) // a delegator of v1
	for i := 0; i < 2; i++ {                // bootstrap: stake snapshots, then permits
		toEpoch(t, c, netuid)
		c.NextBlock()
	}
	setWeights(c, netuid, "v1", []uint32{2, 3}, []uint32{3, 1})
	setWeights(c, netuid, "v2", []uint32{2, 3}, []uint32{1, 1})

	type pos struct{ coldkey, hotkey string }
	positions := []pos{{"bob", "v1"}, {"frank", "v1"}, {"carol", "v2"}, {"erin", "m1"}, {"erin", "m2"}}
	uidOf := map[string]uint32{"v1": 0, "v2": 1, "m1": 2, "m2": 3}
	for epoch := 0; epoch < 2; epoch++ {
		toEpoch(t, c, netuid)
		stakeBefore := map[pos]math.Int{}
		for _, p := range positions {
			stakeBefore[p] = c.StakeKeeper.GetStake(c.Ctx(), c.Account(p.coldkey).Addr, c.Account(p.hotkey).Addr)
		}
		ownerBefore := c.Balance(c.Account("alice").Addr)
		pool := pools(t, c, []uint32{netuid})[0].AddRaw(900_000) // + this block's share (the only started subnet)

		res := c.NextBlock()
		h := uint64(c.Height())
		epochs := typedEvents[*types.EventEpoch](t, res.Events)
		if len(epochs) != 1 || epochs[0].Netuid != netuid || epochs[0].Height != h {
			t.Fatalf("epoch block %d: EventEpoch %+v, want one for subnet %d at %d", h, epochs, netuid, h)
		}
		ev := epochs[0]
		if !ev.TotalPaid.Add(ev.Carried).Equal(pool) {
			t.Fatalf("total_paid %s + carried %s != pool %s", ev.TotalPaid, ev.Carried, pool)
		}
		if left := pools(t, c, []uint32{netuid})[0]; !left.Equal(ev.Carried) {
			t.Fatalf("pool after the epoch %s, event says carried %s", left, ev.Carried)
		}

		paid := math.ZeroInt()
		perPos := map[pos]math.Int{}
		kinds := map[types.PayoutKind]int{}
		owner := math.ZeroInt()
		addrName := map[string]string{}
		for _, n := range names {
			addrName[c.Account(n).Addr.String()] = n
		}
		for _, p := range typedEvents[*types.EventPayout](t, res.Events) {
			if p.Netuid != netuid || !p.Amount.IsPositive() {
				t.Fatalf("payout %+v: wrong subnet or not positive", p)
			}
			paid = paid.Add(p.Amount)
			kinds[p.Kind]++
			if p.Kind == types.PAYOUT_KIND_OWNER {
				if addrName[p.Coldkey] != "alice" || p.Hotkey != "" || p.Uid != ^uint32(0) {
					t.Fatalf("owner payout %+v is not to the subnet owner alone", p)
				}
				owner = owner.Add(p.Amount)
				continue
			}
			k := pos{addrName[p.Coldkey], addrName[p.Hotkey]}
			if uidOf[k.hotkey] != p.Uid {
				t.Fatalf("payout %+v: uid %d, but %s is uid %d", p, p.Uid, k.hotkey, uidOf[k.hotkey])
			}
			switch p.Kind {
			case types.PAYOUT_KIND_INCENTIVE:
				if k.coldkey != "erin" {
					t.Fatalf("incentive to %v, not to a miner's owner", k)
				}
			case types.PAYOUT_KIND_TAKE:
				if k != (pos{"bob", "v1"}) && k != (pos{"carol", "v2"}) {
					t.Fatalf("take to %v, not to a validator's owner", k)
				}
			case types.PAYOUT_KIND_DELEGATION:
				if k.hotkey != "v1" && k.hotkey != "v2" {
					t.Fatalf("delegation payout to %v, not on a validator", k)
				}
			default:
				t.Fatalf("payout of kind %v", p.Kind)
			}
			if _, ok := perPos[k]; !ok {
				perPos[k] = math.ZeroInt()
			}
			perPos[k] = perPos[k].Add(p.Amount)
		}
		if !paid.Equal(ev.TotalPaid) {
			t.Fatalf("EventPayout amounts sum to %s, EventEpoch says %s", paid, ev.TotalPaid)
		}
		if kinds[types.PAYOUT_KIND_OWNER] != 1 || kinds[types.PAYOUT_KIND_INCENTIVE] == 0 || kinds[types.PAYOUT_KIND_TAKE] == 0 ||
			kinds[types.PAYOUT_KIND_DELEGATION] == 0 {
			t.Fatalf("epoch %d payouts by kind %v: want one owner cut and some incentive, take and delegation", epoch, kinds)
		}
		if want := pool.MulRaw(1800).QuoRaw(10_000); !owner.Equal(want) {
			t.Fatalf("owner payout %s, want 18%% of %s = %s", owner, pool, want)
		}
		if got := c.Balance(c.Account("alice").Addr).Sub(ownerBefore); !got.Equal(owner) {
			t.Fatalf("the owner's balance grew %s, the event says %s", got, owner)
		}
		for _, p := range positions {
			want, ok := perPos[p]
			if !ok {
				want = math.ZeroInt()
			}
			grew := c.StakeKeeper.GetStake(c.Ctx(), c.Account(p.coldkey).Addr, c.Account(p.hotkey).Addr).Sub(stakeBefore[p])
			if !grew.Equal(want) {
				t.Fatalf("epoch %d: %s's stake on %s grew %s, its payouts say %s", epoch, p.coldkey, p.hotkey, grew, want)
			}
		}
		for k := range perPos {
			if _, known := stakeBefore[k]; !known {
				t.Fatalf("epoch %d: payout to an unexpected position %v", epoch, k)
			}
		}
		if _, ok := perPos[pos{"frank", "v1"}]; !ok {
			t.Fatalf("epoch %d: v1's delegator frank was not paid", epoch)
		}
		requireInvariants(t, c)
	}
}
