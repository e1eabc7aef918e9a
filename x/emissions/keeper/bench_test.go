package keeper_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetskeeper "github.com/tokenmind/tokenmind/x/subnets/keeper"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
	"github.com/tokenmind/tokenmind/yuma"
)

// benchSubnet builds a subnet of n UIDs whose first v are staked validators with permits, each weighting every
// miner, and runs one epoch so the stake snapshots exist. State is written through the keepers (registering 4096
// neurons by transaction would dominate the setup) and committed. With d > 0 each validator also has d delegators
// and each miner a position of its own, as on a chain where miners compound their incentive.
func benchSubnet(tb testing.TB, n, v, d int) (*integration.App, uint32) {
	tb.Helper()
	c := integration.New(tb, []string{"alice"}, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.MaxAllowedUids, hp.MaxAllowedValidators = 360, 4096, uint32(v)
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	}))
	alice := c.Account("alice")
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: alice.Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "bench", TaskKind: "ner"},
	}}, alice)
	var created subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &created)
	netuid := created.Netuid

	ctx := c.WriteCtx()
	sk := c.SubnetsKeeper
	now := uint64(ctx.BlockHeight())
	for uid := 0; uid < n; uid++ {
		hot := sdk.AccAddress([]byte(fmt.Sprintf("bench-hotkey-%07d", uid)))
		nr := subnetstypes.Neuron{
			Netuid: netuid, Uid: uint32(uid), Hotkey: hot.String(), Coldkey: alice.Addr.String(),
			RegisteredAt: 1, LastUpdate: now,
		}
		must(tb, sk.Neurons.Set(ctx, collections.Join(netuid, uint32(uid)), nr))
		must(tb, sk.HotkeyOwners.Set(ctx, hot, alice.Addr))
		if uid < v {
			amt := math.NewInt(int64(1_000_000 * (uid + 1)))
			must(tb, c.BankKeeper.SendCoinsFromAccountToModule(ctx, alice.Addr, staketypes.ModuleName, sdk.NewCoins(sdk.NewCoin(app.BondDenom, amt))))
			must(tb, c.StakeKeeper.AddStakeFromEmission(ctx, alice.Addr, hot, amt))
			must(tb, sk.SetEpochOutput(ctx, netuid, uint32(uid), subnetstypes.EpochOutput{Emission: math.ZeroInt(), ValidatorPermit: true}))
			row := subnetstypes.WeightRow{}
			for m := v; m < n; m++ {
				row.Entries = append(row.Entries, subnetstypes.WeightEntry{Uid: uint32(m), Value: uint32(1 + (uid*7919+m*104729)%65535)})
			}
			must(tb, sk.Weights.Set(ctx, collections.Join(netuid, uint32(uid)), row))
			for j := 0; j < d; j++ {
				del := sdk.AccAddress([]byte(fmt.Sprintf("bench-deleg-%03d-%04d", uid, j)))
				stakeFor(tb, c, ctx, del, hot, math.NewInt(int64(100_000*(j+1))))
			}
		} else if d > 0 {
			stakeFor(tb, c, ctx, alice.Addr, hot, math.NewInt(1_000_000))
		}
	}
	s, err := sk.GetSubnet(ctx, netuid)
	must(tb, err)
	s.N = uint32(n)
	must(tb, sk.Subnets.Set(ctx, netuid, s))
	c.NextBlock()
	// One epoch records the stake snapshots, so the benchmarked epochs count stake and pay.
	ctx = c.WriteCtx()
	params, err := c.EmissionsKeeper.Params.Get(ctx)
	must(tb, err)
	sched, err := c.EmissionsKeeper.Schedules.Get(ctx, netuid)
	must(tb, err)
	_, err = c.EmissionsKeeper.RunEpoch(ctx, params, sched, uint64(ctx.BlockHeight()))
	must(tb, err)
	// A subnet joins the emission split at its first epoch (the block's epoch runner marks it); this one ran by hand.
	sched.Started = true
	must(tb, c.EmissionsKeeper.Schedules.Set(ctx, netuid, sched))
	c.NextBlocks(3) // fill the pending pool
	return c, netuid
}

// stakeFor stakes amount from alice's balance to hotkey for coldkey, as a payout would.
func stakeFor(tb testing.TB, c *integration.App, ctx sdk.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) {
	tb.Helper()
	must(tb, c.BankKeeper.SendCoinsFromAccountToModule(ctx, c.Account("alice").Addr, staketypes.ModuleName, sdk.NewCoins(sdk.NewCoin(app.BondDenom, amount))))
	must(tb, c.StakeKeeper.AddStakeFromEmission(ctx, coldkey, hotkey, amount))
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// benchEpoch times one whole subnet epoch as EndBlock/BeginBlock runs it: reading neurons, stake, weights, bonds and
// permits from the store, yuma.RunEpoch, writing outputs and bonds, and staking every payout. Each iteration runs in
// a throwaway cache over the same committed state.
func benchEpoch(b *testing.B, n, v, d int) {
	b.Helper()
	c, netuid := benchSubnet(b, n, v, d)
	base := c.Ctx().WithBlockHeight(c.Height() + 1)
	params, err := c.EmissionsKeeper.Params.Get(base)
	must(b, err)
	sched, err := c.EmissionsKeeper.Schedules.Get(base, netuid)
	must(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, _ := base.CacheContext()
		paid, err := c.EmissionsKeeper.RunEpoch(ctx, params, sched, uint64(base.BlockHeight()))
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 && !paid.IsPositive() {
			b.Fatalf("the epoch paid nothing (%s): the benchmark would not measure payouts", paid)
		}
	}
}

func BenchmarkEpoch1024Uids64Validators(b *testing.B) { benchEpoch(b, 1024, 64, 0) }
func BenchmarkEpoch4096Uids64Validators(b *testing.B) { benchEpoch(b, 4096, 64, 0) }

// BenchmarkEpoch1024Uids64ValidatorsDelegated: every miner has a position and every validator 16 delegators,
// 2048 positions in all, each one counted, split and snapshotted by the epoch.
func BenchmarkEpoch1024Uids64ValidatorsDelegated(b *testing.B) { benchEpoch(b, 1024, 64, 16) }

// benchBlock times whole blocks (FinalizeBlock + Commit on IAVL) whose BeginBlock runs the subnet's epoch: what
// benchEpoch measures plus minting, writing the epoch's cache into the block and committing it. Before each block
// the epoch is queued again for it (a few writes, untimed), so every block runs one epoch on the state the previous
// one left.
func benchBlock(b *testing.B, n, v, d int) {
	b.Helper()
	c, netuid := benchSubnet(b, n, v, d)
	var pool math.Int // what the last block's epoch paid out of (for epochKeyOps)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx := c.WriteCtx()
		h := uint64(ctx.BlockHeight())
		s, err := c.EmissionsKeeper.Schedules.Get(ctx, netuid)
		must(b, err)
		must(b, c.EmissionsKeeper.EpochQueue.Remove(ctx, collections.Join(s.NextEpochHeight, netuid)))
		s.NextEpochHeight = h
		must(b, c.EmissionsKeeper.Schedules.Set(ctx, netuid, s))
		must(b, c.EmissionsKeeper.EpochQueue.Set(ctx, collections.Join(h, netuid)))
		b.StartTimer()
		res := c.NextBlock()
		b.StopTimer()
		ran := false
		for _, e := range res.Events {
			if e.Type == "tokenmind.emissions.v1.EventEpoch" {
				ran = true
				pool = epochPool(b, e)
			}
			if e.Type == "tokenmind.emissions.v1.EventEpochFailed" {
				b.Fatalf("epoch failed: %v", e)
			}
		}
		if !ran {
			b.Fatal("no epoch ran in the block")
		}
		b.StartTimer()
	}
	b.StopTimer()
	perBlock := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	// The same subnet's yuma.RunEpoch alone, on the input the next epoch would read, timed in this process under the
	// same load (best of 5): the block's cost in units of the consensus math.
	base := c.Ctx().WithBlockHeight(c.Height() + 1)
	params, err := c.EmissionsKeeper.Params.Get(base)
	must(b, err)
	sched, err := c.EmissionsKeeper.Schedules.Get(base, netuid)
	must(b, err)
	cache, _ := base.CacheContext()
	st, err := c.EmissionsKeeper.BuildEpochInput(cache, params, sched, uint64(base.BlockHeight()))
	must(b, err)
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		if _, err := yuma.RunEpoch(st.Input); err != nil {
			b.Fatal(err)
		}
		best = min(best, time.Since(start))
	}
	b.ReportMetric(float64(best.Nanoseconds())/1e6, "yuma-ms")
	b.ReportMetric(perBlock/float64(best.Nanoseconds()), "x-yuma")
	// Keys one more epoch writes and deletes on the state the blocks left (steady state: every paid hotkey staked).
	set, del := epochKeyOps(b, c, netuid, pool)
	b.ReportMetric(float64(set), "keys-set/epoch")
	b.ReportMetric(float64(del), "keys-deleted/epoch")
}

// epochPool reads the pool an epoch paid from (total_paid + carried) off its EventEpoch.
func epochPool(b *testing.B, e abci.Event) math.Int {
	b.Helper()
	pool := math.ZeroInt()
	for _, a := range e.Attributes {
		if a.Key == "total_paid" || a.Key == "carried" {
			v, ok := math.NewIntFromString(strings.Trim(a.Value, `"`))
			if !ok {
				b.Fatalf("EventEpoch %s = %q", a.Key, a.Value)
			}
			pool = pool.Add(v)
		}
	}
	return pool
}

// epochKeyOps runs one epoch of netuid over the committed state in a recording cache, with a pending pool of pool
// (the blocks' epochs paid from one block's emission plus what they carried; the committed state holds only the
// carried part, the next block not having minted yet), and counts the keys it leaves written and deleted in the
// stores it touches: what the block would pass to IAVL for its epoch.
func epochKeyOps(b *testing.B, c *integration.App, netuid uint32, pool math.Int) (set, deleted int) {
	b.Helper()
	base := c.Ctx().WithBlockHeight(c.Height() + 1)
	params, err := c.EmissionsKeeper.Params.Get(base)
	must(b, err)
	sched, err := c.EmissionsKeeper.Schedules.Get(base, netuid)
	must(b, err)
	rec := recordingStore{cacheMultiStore: base.MultiStore().CacheMultiStore(), ops: map[string]map[string]string{}}
	ctx := base.WithMultiStore(rec).WithEventManager(sdk.NewEventManager())
	carried, err := c.EmissionsKeeper.Pool(ctx, netuid)
	must(b, err)
	if extra := pool.Sub(carried); extra.IsPositive() {
		must(b, c.BankKeeper.MintCoins(ctx, types.ModuleName, sdk.NewCoins(sdk.NewCoin(app.BondDenom, extra))))
		must(b, c.EmissionsKeeper.PendingPool.Set(ctx, netuid, pool))
	}
	_, err = c.EmissionsKeeper.RunEpoch(ctx, params, sched, uint64(base.BlockHeight()))
	must(b, err)
	for _, name := range comparedStores {
		for _, op := range rec.ops[name] { // counting only: order does not matter
			if op == "set" {
				set++
			} else {
				deleted++
			}
		}
	}
	return set, deleted
}

func BenchmarkBlockWithEpoch1024Uids64ValidatorsDelegated(b *testing.B) { benchBlock(b, 1024, 64, 16) }

func BenchmarkBlockWithEpoch1024Uids64Validators(b *testing.B) { benchBlock(b, 1024, 64, 0) }
func BenchmarkBlockWithEpoch4096Uids64Validators(b *testing.B) { benchBlock(b, 4096, 64, 0) }

// benchOutputReads times what reads epoch outputs on a 4096-UID subnet: one UID's output (the neuron query,
// MsgSetWeights' permit check) and the whole metagraph query.
func benchOutputReads(b *testing.B, read func(c *integration.App, ctx sdk.Context, netuid uint32) error) {
	b.Helper()
	c, netuid := benchSubnet(b, 4096, 64, 0)
	ctx := c.Ctx()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := read(c, ctx, netuid); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEpochOutputOneUid4096: GetEpochOutput of one UID (3000) of a 4096-UID subnet.
func BenchmarkEpochOutputOneUid4096(b *testing.B) {
	benchOutputReads(b, func(c *integration.App, ctx sdk.Context, netuid uint32) error {
		o, err := c.SubnetsKeeper.GetEpochOutput(ctx, netuid, 3000)
		if err == nil && o.EpochHeight == 0 {
			err = fmt.Errorf("uid 3000 has no output")
		}
		return err
	})
}

// BenchmarkMetagraphQuery4096: the metagraph query (without weights and bonds) of a 4096-UID subnet.
func BenchmarkMetagraphQuery4096(b *testing.B) {
	benchOutputReads(b, func(c *integration.App, ctx sdk.Context, netuid uint32) error {
		r, err := subnetskeeper.NewQueryServerImpl(c.SubnetsKeeper).Metagraph(ctx, &subnetstypes.QueryMetagraphRequest{Netuid: netuid})
		if err == nil && len(r.Neurons) != 4096 {
			err = fmt.Errorf("%d neurons", len(r.Neurons))
		}
		return err
	})
}
