package keeper_test

import (
	"slices"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestEpochOutputChunks: 600 outputs are stored as three chunks (256, 256, 88 UIDs) and read back exactly, one by
// one and all at once, across chunk boundaries; UIDs without an output read as zero; emptying the outputs at the
// end of a chunk trims it, emptying a whole chunk removes its key; genesis export lists each output once.
func TestEpochOutputChunks(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	other := createSubnet(t, c, "carol")
	sk := c.SubnetsKeeper
	ctx := c.WriteCtx()
	want := func(uid uint32) types.EpochOutput {
		return types.EpochOutput{Consensus: uid % 65536, Incentive: 1, Emission: math.NewInt(int64(uid) + 1), ValidatorPermit: uid%3 == 0, EpochHeight: 5}
	}
	outs := make([]types.EpochOutput, 600)
	for i := range outs {
		outs[i] = want(uint32(i))
	}
	if err := sk.SetEpochOutputs(ctx, netuid, outs); err != nil {
		t.Fatal(err)
	}
	if err := sk.SetEpochOutput(ctx, other, 3, want(77)); err != nil {
		t.Fatal(err)
	}
	keys := func() [][2]uint32 {
		iter, err := sk.EpochOutputs.Iterate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ks, err := iter.Keys()
		if err != nil {
			t.Fatal(err)
		}
		var out [][2]uint32
		for _, k := range ks {
			out = append(out, [2]uint32{k.K1(), k.K2()})
		}
		return out
	}
	if ks := keys(); !slices.Equal(ks, [][2]uint32{{netuid, 0}, {netuid, 1}, {netuid, 2}, {other, 0}}) {
		t.Fatalf("stored keys %v, want chunks 0..2 of subnet %d and chunk 0 of subnet %d", ks, netuid, other)
	}
	for _, uid := range []uint32{0, 1, 255, 256, 511, 512, 599} {
		got, err := sk.GetEpochOutput(ctx, netuid, uid)
		if err != nil || !sameOutput(got, want(uid)) {
			t.Fatalf("uid %d: got %+v (%v), want %+v", uid, got, err, want(uid))
		}
	}
	for _, uid := range []uint32{600, 767, 768, 5000} {
		got, err := sk.GetEpochOutput(ctx, netuid, uid)
		if err != nil || !sameOutput(got, types.EpochOutput{Emission: math.ZeroInt()}) {
			t.Fatalf("uid %d without an output: got %+v (%v), want zero", uid, got, err)
		}
	}
	all, err := sk.EpochOutputsOf(ctx, netuid, 700)
	if err != nil {
		t.Fatal(err)
	}
	for uid, got := range all {
		w := types.EpochOutput{Emission: math.ZeroInt()}
		if uid < 600 {
			w = want(uint32(uid))
		}
		if !sameOutput(got, w) {
			t.Fatalf("EpochOutputsOf: uid %d: got %+v, want %+v", uid, got, w)
		}
	}
	// The one-UID read (which skips through the chunk's encoding) agrees with the full decode everywhere.
	for uid, w := range all {
		if got, err := sk.GetEpochOutput(ctx, netuid, uint32(uid)); err != nil || !sameOutput(got, w) {
			t.Fatalf("GetEpochOutput(%d) = %+v (%v), EpochOutputsOf says %+v", uid, got, err, w)
		}
	}
	permits, err := sk.ValidatorPermits(ctx, netuid, 300)
	if err != nil || len(permits) != 300 || !permits[0] || permits[1] || !permits[255] || !permits[258] {
		t.Fatalf("permits %v (%v)", permits, err)
	}

	// Emptying the tail of the last chunk trims it; emptying all of it removes the key.
	if err := sk.SetEpochOutput(ctx, netuid, 599, types.EpochOutput{}); err != nil {
		t.Fatal(err)
	}
	if ch, _ := sk.EpochOutputs.Get(ctx, collections.Join(netuid, uint32(2))); len(ch.Outputs) != 87 {
		t.Fatalf("chunk 2 holds %d outputs after emptying uid 599, want 87", len(ch.Outputs))
	}
	for uid := uint32(512); uid < 599; uid++ {
		if err := sk.SetEpochOutput(ctx, netuid, uid, types.EpochOutput{}); err != nil {
			t.Fatal(err)
		}
	}
	if has, _ := sk.EpochOutputs.Has(ctx, collections.Join(netuid, uint32(2))); has {
		t.Fatal("an empty chunk is still stored")
	}
	// A partial epoch write keeps the outputs past its end.
	if err := sk.SetEpochOutputs(ctx, other, []types.EpochOutput{want(1)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := sk.GetEpochOutput(ctx, other, 3); !sameOutput(got, want(77)) {
		t.Fatalf("uid 3 of subnet %d lost its output to a write of uid 0 only: %+v", other, got)
	}

	// A value that is not a chunk fails the read instead of answering zero.
	key, err := collections.EncodeKeyWithPrefix(types.EpochOutputsKey, sk.EpochOutputs.KeyCodec(), collections.Join(other, uint32(1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx.KVStore(c.GetKey(types.StoreKey)).Set(key, []byte{0x0a, 0x05, 0x01})
	if _, err := sk.GetEpochOutput(ctx, other, 256); err == nil {
		t.Fatal("a corrupt chunk read as an output")
	}
	ctx.KVStore(c.GetKey(types.StoreKey)).Delete(key)

	gs, err := sk.ExportGenesis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Outputs) != 512+2 {
		t.Fatalf("export lists %d outputs, want 514", len(gs.Outputs))
	}
	for i, o := range gs.Outputs[:512] {
		if o.Netuid != netuid || o.Uid != uint32(i) || !sameOutput(o.Output, want(uint32(i))) {
			t.Fatalf("exported output %d: %+v", i, o)
		}
	}
}

// TestNeuronIndexes: the hotkey indexes of Neurons follow registrations and replacements — GetUid, HotkeySubnets
// and IsRegisteredAnywhere answer from them, and a replaced hotkey leaves no index entry behind.
func TestNeuronIndexes(t *testing.T) {
	c := newChain(t)
	n1 := createSubnet(t, c, "alice")
	n2 := createSubnet(t, c, "carol")
	register(c, n2, "bob", "h1", math.ZeroInt()).ok(t)
	register(c, n1, "bob", "h1", math.ZeroInt()).ok(t)
	register(c, n1, "bob", "h2", math.ZeroInt()).ok(t)
	sk := c.SubnetsKeeper
	h1, h2 := c.Account("h1").Addr, c.Account("h2").Addr
	if got, err := sk.HotkeySubnets(c.Ctx(), h1); err != nil || !slices.Equal(got, []uint32{n1, n2}) {
		t.Fatalf("h1 is on %v (%v), want [%d %d]", got, err, n1, n2)
	}
	if uid, err := sk.GetUid(c.Ctx(), n1, h2); err != nil || uid != 1 {
		t.Fatalf("h2's uid on %d: %d (%v), want 1", n1, uid, err)
	}
	register(c, n1, "bob", "h1", math.ZeroInt()).is(t, types.ErrHotkeyAlreadyRegistered)

	// Index entries are exactly the neurons', both ways.
	ctx := c.Ctx()
	iter, err := sk.Neurons.Iterate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		t.Fatal(err)
	}
	ui, err := sk.Neurons.Indexes.ByNetuidHotkey.Iterate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	uniq, err := ui.FullKeys()
	if err != nil {
		t.Fatal(err)
	}
	mi, err := sk.Neurons.Indexes.ByHotkey.Iterate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	multi, err := mi.FullKeys()
	if err != nil {
		t.Fatal(err)
	}
	if len(uniq) != len(kvs) || len(multi) != len(kvs) {
		t.Fatalf("%d neurons, %d unique and %d multi index entries", len(kvs), len(uniq), len(multi))
	}
	for _, kv := range kvs {
		uid, err := sk.GetUid(ctx, kv.Key.K1(), sdk.MustAccAddressFromBech32(kv.Value.Hotkey))
		if err != nil || uid != kv.Key.K2() {
			t.Fatalf("neuron %v: index says uid %d (%v)", kv.Key, uid, err)
		}
	}
}

// sameOutput compares outputs field by field (math.Int by value).
func sameOutput(a, b types.EpochOutput) bool {
	return a.Consensus == b.Consensus && a.Incentive == b.Incentive && a.Dividends == b.Dividends &&
		a.ValidatorTrust == b.ValidatorTrust && a.ValidatorPermit == b.ValidatorPermit && a.EpochHeight == b.EpochHeight &&
		!a.Emission.IsNil() && !b.Emission.IsNil() && a.Emission.Equal(b.Emission)
}
