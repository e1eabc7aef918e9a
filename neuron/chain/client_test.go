package chain

import (
	"context"
	"errors"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/codec"
	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/tokenmind/tokenmind/app"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

type fakeSubnets struct {
	subnetstypes.UnimplementedQueryServer
	fails atomic.Int32 // answer Unavailable this many times first
	calls atomic.Int32
	hang  bool
	res   *subnetstypes.QueryMetagraphResponse
}

func (f *fakeSubnets) Metagraph(ctx context.Context, _ *subnetstypes.QueryMetagraphRequest) (*subnetstypes.QueryMetagraphResponse, error) {
	f.calls.Add(1)
	if f.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.fails.Add(-1) >= 0 {
		return nil, status.Error(codes.Unavailable, "node restarting")
	}
	return f.res, nil
}

type fakeAuth struct {
	authtypes.UnimplementedQueryServer
	seq atomic.Uint64
}

func (f *fakeAuth) AccountInfo(_ context.Context, r *authtypes.QueryAccountInfoRequest) (*authtypes.QueryAccountInfoResponse, error) {
	acc := &authtypes.BaseAccount{Address: r.Address, AccountNumber: 7, Sequence: f.seq.Load()}
	if pk, ok := knownPubKeys.Load(r.Address); ok {
		if err := acc.SetPubKey(pk.(*cosmossecp.PubKey)); err != nil {
			return nil, err
		}
	}
	return &authtypes.QueryAccountInfoResponse{Info: acc}, nil
}

// knownPubKeys holds the public keys the fake auth module reports, by bech32 address.
var knownPubKeys sync.Map

type fakeTx struct {
	txtypes.UnimplementedServiceServer
	checkCode  uint32 // CheckTx result
	deliver    *sdk.TxResponse
	notFoundN  atomic.Int32
	lastTx     atomic.Value // []byte
	broadcasts atomic.Int32
}

func (f *fakeTx) BroadcastTx(_ context.Context, r *txtypes.BroadcastTxRequest) (*txtypes.BroadcastTxResponse, error) {
	f.broadcasts.Add(1)
	f.lastTx.Store(r.TxBytes)
	return &txtypes.BroadcastTxResponse{TxResponse: &sdk.TxResponse{TxHash: "ABCD", Code: f.checkCode, Codespace: "sdk", RawLog: "check failed"}}, nil
}

func (f *fakeTx) GetTx(_ context.Context, r *txtypes.GetTxRequest) (*txtypes.GetTxResponse, error) {
	if f.notFoundN.Add(-1) >= 0 {
		return nil, status.Error(codes.NotFound, "tx not found: "+r.Hash)
	}
	return &txtypes.GetTxResponse{TxResponse: f.deliver}, nil
}

func setup(t *testing.T, sub *fakeSubnets, tx *fakeTx, cfg Config) (*Client, *app.App) {
	t.Helper()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	srv := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(a.InterfaceRegistry()).GRPCCodec()))
	subnetstypes.RegisterQueryServer(srv, sub)
	authtypes.RegisterQueryServer(srv, &fakeAuth{})
	txtypes.RegisterServiceServer(srv, tx)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
	cfg.GRPCAddr = l.Addr().String()
	cfg.ChainID = "test-1"
	cfg.TxConfig = a.TxConfig()
	cfg.InterfaceRegistry = a.InterfaceRegistry()
	c, err := Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, a
}

func entry(uid uint32, stake sdkmath.Int, permit bool, addrs ...string) subnetstypes.MetagraphEntry {
	hot := sdk.AccAddress(cosmossecp.GenPrivKey().PubKey().Address()).String()
	cold := sdk.AccAddress(cosmossecp.GenPrivKey().PubKey().Address()).String()
	return subnetstypes.MetagraphEntry{
		Neuron: subnetstypes.Neuron{Netuid: 1, Uid: uid, Hotkey: hot, Coldkey: cold, Serving: subnetstypes.ServingInfo{Multiaddrs: addrs}},
		Stake:  stake,
		Output: subnetstypes.EpochOutput{ValidatorPermit: permit, Emission: sdkmath.ZeroInt()},
	}
}

func TestMetagraphRetriesAndConverts(t *testing.T) {
	huge := sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 80))
	res := &subnetstypes.QueryMetagraphResponse{Height: 42, Neurons: []subnetstypes.MetagraphEntry{
		entry(0, sdkmath.NewInt(1500), true, "/ip4/127.0.0.1/tcp/4001"),
		entry(1, huge, false),
	}}
	sub := &fakeSubnets{res: res}
	sub.fails.Store(2)
	c, _ := setup(t, sub, &fakeTx{}, Config{Backoff: 10 * time.Millisecond})
	snap, err := c.Metagraph(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := sub.calls.Load(); got != 3 {
		t.Fatalf("calls = %d, want 3 (two Unavailable, then success)", got)
	}
	if snap.Height != 42 || len(snap.Neurons) != 2 {
		t.Fatalf("snapshot %+v", snap)
	}
	n0, n1 := snap.Neurons[0], snap.Neurons[1]
	if n0.Stake != 1500 || !n0.ValidatorPermit || len(n0.Addrs) != 1 || n0.Addrs[0] != "/ip4/127.0.0.1/tcp/4001" {
		t.Fatalf("neuron 0 = %+v", n0)
	}
	if n0.Hotkey.String() != res.Neurons[0].Neuron.Hotkey || n0.Coldkey.String() != res.Neurons[0].Neuron.Coldkey {
		t.Fatalf("keys not converted: %+v", n0)
	}
	if n1.Stake != ^uint64(0) || n1.ValidatorPermit || n1.UID != 1 {
		t.Fatalf("neuron 1 = %+v (stake must saturate)", n1)
	}
	if st := c.Status(); st.Height != 42 || st.Stalled {
		t.Fatalf("status after a metagraph at 42: %+v", st)
	}
}

func TestMetagraphGivesUpOnPermanentError(t *testing.T) {
	sub := &fakeSubnets{res: &subnetstypes.QueryMetagraphResponse{Neurons: []subnetstypes.MetagraphEntry{{
		Neuron: subnetstypes.Neuron{Hotkey: "not-bech32"}, Stake: sdkmath.OneInt(),
	}}}}
	c, _ := setup(t, sub, &fakeTx{}, Config{Backoff: time.Millisecond})
	if _, err := c.Metagraph(context.Background(), 1); err == nil {
		t.Fatal("bad hotkey accepted")
	}
}

func TestHungNodeNeverHangs(t *testing.T) {
	sub := &fakeSubnets{hang: true}
	c, _ := setup(t, sub, &fakeTx{}, Config{CallTimeout: 100 * time.Millisecond, Retries: 2, Backoff: 10 * time.Millisecond})
	start := time.Now()
	_, err := c.Metagraph(context.Background(), 1)
	if status.Code(errors.Unwrap(err)) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("took %s", el)
	}
	if got := sub.calls.Load(); got != 3 {
		t.Fatalf("attempts = %d, want 3", got)
	}
	// The caller's context bounds the whole thing too.
	c2, _ := setup(t, sub, &fakeTx{}, Config{CallTimeout: time.Hour, Retries: 5})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := c2.Metagraph(ctx, 1); err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
}

func TestStallWatchdog(t *testing.T) {
	c, _ := setup(t, &fakeSubnets{}, &fakeTx{}, Config{StallAfter: time.Minute})
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	if !c.Status().Stalled {
		t.Fatal("no height seen yet must count as stalled")
	}
	c.observe(10, time.Time{})
	if st := c.Status(); st.Stalled || st.Height != 10 {
		t.Fatalf("%+v", st)
	}
	now = now.Add(50 * time.Second)
	c.observe(10, time.Time{}) // same height: no progress
	if c.Status().Stalled {
		t.Fatal("stalled before the window")
	}
	now = now.Add(11 * time.Second)
	if st := c.Status(); !st.Stalled || st.Since != 61*time.Second {
		t.Fatalf("%+v, want stalled since 61s", st)
	}
	c.observe(11, time.Time{})
	if c.Status().Stalled {
		t.Fatal("still stalled after a new height")
	}
	c.observe(5, time.Time{}) // an older answer never moves the height back
	if c.Status().Height != 11 {
		t.Fatal("height went back")
	}
}

func TestBroadcastFailedTxIsAnError(t *testing.T) {
	tx := &fakeTx{deliver: &sdk.TxResponse{TxHash: "ABCD", Height: 9, Codespace: "subnets", Code: 12, RawLog: "serving rate limit"}}
	tx.notFoundN.Store(2)
	c, a := setup(t, &fakeSubnets{}, tx, Config{PollInterval: 10 * time.Millisecond})
	key := cosmossecp.GenPrivKey()
	_, err := c.Serve(context.Background(), key, ServeInfo{NetUID: 1, Multiaddrs: []string{"/ip4/127.0.0.1/tcp/1"}, Task: "ner"})
	var te *TxError
	if !errors.As(err, &te) || te.Codespace != "subnets" || te.Code != 12 || te.Height != 9 || te.Log != "serving rate limit" {
		t.Fatalf("err = %v, want TxError subnets/12 at height 9", err)
	}

	// The bytes broadcast are a DIRECT-signed tx by the hotkey that verifies.
	raw := tx.lastTx.Load().([]byte)
	decoded, err := a.TxConfig().TxDecoder()(raw)
	if err != nil {
		t.Fatal(err)
	}
	msgs := decoded.GetMsgs()
	if len(msgs) != 1 || msgs[0].(*subnetstypes.MsgServe).Hotkey != sdk.AccAddress(key.PubKey().Address()).String() {
		t.Fatalf("msgs = %v", msgs)
	}
	sigTx := decoded.(authsigning.SigVerifiableTx)
	sigs, err := sigTx.GetSignaturesV2()
	if err != nil || len(sigs) != 1 {
		t.Fatal(sigs, err)
	}
	sd := sigs[0].Data.(*signing.SingleSignatureData)
	if sd.SignMode != signing.SignMode_SIGN_MODE_DIRECT {
		t.Fatalf("sign mode %v", sd.SignMode)
	}
	bytesToSign, err := authsigning.GetSignBytesAdapter(context.Background(), a.TxConfig().SignModeHandler(), signing.SignMode_SIGN_MODE_DIRECT,
		authsigning.SignerData{Address: sdk.AccAddress(key.PubKey().Address()).String(), ChainID: "test-1", AccountNumber: 7, Sequence: 0, PubKey: key.PubKey()}, decoded)
	if err != nil {
		t.Fatal(err)
	}
	if !key.PubKey().VerifySignature(bytesToSign, sd.Signature) {
		t.Fatal("signature does not verify for chain-id test-1, account 7, sequence 0")
	}

	// Refused at CheckTx: an error with height 0, and no waiting.
	tx.checkCode = 13
	_, err = c.Serve(context.Background(), key, ServeInfo{NetUID: 1})
	if !errors.As(err, &te) || te.Code != 13 || te.Height != 0 || te.Codespace != "sdk" {
		t.Fatalf("err = %v", err)
	}
}

func TestBroadcastSuccessAndTimeout(t *testing.T) {
	tx := &fakeTx{deliver: &sdk.TxResponse{TxHash: "ABCD", Height: 3, GasUsed: 1234}}
	tx.notFoundN.Store(1)
	c, _ := setup(t, &fakeSubnets{}, tx, Config{PollInterval: 10 * time.Millisecond, TxWait: 300 * time.Millisecond})
	key := cosmossecp.GenPrivKey()
	res, err := c.Serve(context.Background(), key, ServeInfo{NetUID: 1})
	if err != nil || res.Height != 3 || res.GasUsed != 1234 {
		t.Fatalf("res %+v err %v", res, err)
	}
	tx.notFoundN.Store(1 << 30)
	start := time.Now()
	if _, err := c.Serve(context.Background(), key, ServeInfo{NetUID: 1}); !errors.Is(err, ErrTxNotIncluded) {
		t.Fatalf("err = %v, want ErrTxNotIncluded", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("waited past TxWait")
	}
}
