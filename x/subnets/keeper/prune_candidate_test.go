package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestPruneCandidateOrder checks the replacement order on a real store, one rule per case: owner protection and
// immunity exclude, then lowest emission, oldest registration, lowest UID.
func TestPruneCandidateOrder(t *testing.T) {
	c := replacementChain(t)
	netuid := createSubnet(t, c, "alice")
	owner, other := c.Account("alice").Addr.String(), c.Account("bob").Addr.String()
	const now, immunity = 100, 5
	type nr struct {
		coldkey      string
		registeredAt uint64
		emission     int64
	}
	cases := []struct {
		name    string
		limit   uint32
		neurons []nr // uid = index
		want    uint32
		none    bool
	}{
		{
			name: "lowest emission beats older and lower UIDs", limit: 1,
			neurons: []nr{{other, 10, 5}, {other, 10, 5}, {other, 50, 4}}, want: 2,
		},
		{
			name: "equal emission: oldest registration, even at a higher UID", limit: 1,
			neurons: []nr{{other, 50, 3}, {other, 40, 3}, {other, 10, 3}}, want: 2,
		},
		{
			name: "equal emission and block: lowest UID", limit: 1,
			neurons: []nr{{other, 9, 10}, {other, 20, 3}, {other, 20, 3}}, want: 1,
		},
		{
			name: "equal everything: lowest UID of all", limit: 1,
			neurons: []nr{{other, 7, 0}, {other, 7, 0}, {other, 7, 0}}, want: 0,
		},
		{
			name: "immune neurons are skipped however little they earn", limit: 1,
			neurons: []nr{{other, now - immunity + 1, 0}, {other, 3, 10}}, want: 1,
		},
		{
			name: "immunity ends exactly immunity_period blocks after registration", limit: 1,
			neurons: []nr{{other, now - immunity, 0}, {other, 3, 10}}, want: 0,
		},
		{
			name: "owner's first hotkey protected, the second is not (limit 1)", limit: 1,
			neurons: []nr{{owner, 10, 0}, {owner, 11, 0}, {other, 12, 5}}, want: 1,
		},
		{
			name: "limit 2 protects both of the owner's hotkeys", limit: 2,
			neurons: []nr{{owner, 10, 0}, {owner, 11, 0}, {other, 12, 5}}, want: 2,
		},
		{
			name: "owner protection goes by registration order, not UID", limit: 1,
			neurons: []nr{{owner, 20, 0}, {owner, 10, 0}, {other, 5, 5}}, want: 0,
		},
		{
			name: "every neuron immune or owner-protected: none", limit: 1,
			neurons: []nr{{owner, 10, 0}, {other, now - 1, 0}}, none: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, _ := c.Ctx().CacheContext() // a branch of the committed state, dropped after the case
			subnet := mustSubnet(t, c, netuid)
			subnet.N = uint32(len(tc.neurons))
			subnet.Hyperparameters.ImmunityPeriod = immunity
			subnet.Hyperparameters.ImmuneOwnerUidsLimit = tc.limit
			for uid, n := range tc.neurons {
				hot := sdk.AccAddress(append(make([]byte, 19), byte(uid+1))).String()
				if err := c.SubnetsKeeper.Neurons.Set(ctx, collections.Join(netuid, uint32(uid)), types.Neuron{
					Netuid: netuid, Uid: uint32(uid), Hotkey: hot, Coldkey: n.coldkey, RegisteredAt: n.registeredAt, LastUpdate: n.registeredAt,
				}); err != nil {
					t.Fatal(err)
				}
				if err := c.SubnetsKeeper.SetEpochOutput(ctx, netuid, uint32(uid), types.EpochOutput{Emission: math.NewInt(n.emission)}); err != nil {
					t.Fatal(err)
				}
			}
			got, reason, ok, err := c.SubnetsKeeper.PruneCandidate(ctx, subnet, now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.none {
				if ok {
					t.Fatalf("uid %d is replaceable (%s), want none", got.Uid, reason)
				}
				return
			}
			if !ok || got.Uid != tc.want {
				t.Fatalf("candidate uid %d (ok %v, %s), want %d", got.Uid, ok, reason, tc.want)
			}
			if reason == "" {
				t.Fatal("no reason given")
			}
		})
	}
}
