// Package testutil builds an x/payments keeper on a real multistore with the real x/auth, x/bank and x/emissions
// keepers (x/emissions holds the pending pools that claims feed), and a small in-memory x/subnets, for keeper
// tests.
package testutil

import (
	"context"
	"testing"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	emissionskeeper "github.com/tokenmind/tokenmind/x/emissions/keeper"
	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	"github.com/tokenmind/tokenmind/x/payments"
	"github.com/tokenmind/tokenmind/x/payments/keeper"
	"github.com/tokenmind/tokenmind/x/payments/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// Denom is the payment denomination in tests.
const Denom = "umind"

// ChainID is the chain id of the test context (vouchers bind it).
const ChainID = "tokenmind-keeper-test"

// FunderModule is a module account with Minter permission used to fund test accounts.
const FunderModule = "funder"

type netHot struct {
	netuid uint32
	hotkey string
}

// FakeSubnets is an in-memory x/subnets: subnets, UIDs, validator permits and hotkey owners.
type FakeSubnets struct {
	subnets map[uint32]subnetstypes.Subnet
	uids    map[netHot]uint32
	permits map[netHot]bool
	owners  map[string]sdk.AccAddress
}

// AddSubnet creates a subnet owned by owner with the given task kind.
func (f *FakeSubnets) AddSubnet(netuid uint32, owner sdk.AccAddress, taskKind string) {
	f.subnets[netuid] = subnetstypes.Subnet{
		Netuid: netuid, Owner: owner.String(),
		Identity: subnetstypes.SubnetIdentity{Name: "test", TaskKind: taskKind},
	}
}

// Register gives hotkey (owned by coldkey) the next UID on netuid, with or without a validator permit.
func (f *FakeSubnets) Register(netuid uint32, hotkey, coldkey sdk.AccAddress, permit bool) {
	n := uint32(0)
	// maprange:ok test fake; counting cannot depend on order
	for k := range f.uids {
		if k.netuid == netuid {
			n++
		}
	}
	f.uids[netHot{netuid, string(hotkey)}] = n
	f.permits[netHot{netuid, string(hotkey)}] = permit
	f.owners[string(hotkey)] = coldkey
}

// Deregister removes hotkey's UID on netuid (its owner record stays, as in x/subnets).
func (f *FakeSubnets) Deregister(netuid uint32, hotkey sdk.AccAddress) {
	delete(f.uids, netHot{netuid, string(hotkey)})
}

// GetSubnet implements types.SubnetsKeeper.
func (f *FakeSubnets) GetSubnet(_ context.Context, netuid uint32) (subnetstypes.Subnet, error) {
	s, ok := f.subnets[netuid]
	if !ok {
		return s, subnetstypes.ErrSubnetNotFound.Wrapf("netuid %d", netuid)
	}
	return s, nil
}

// GetUid implements types.SubnetsKeeper.
func (f *FakeSubnets) GetUid(_ context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error) {
	uid, ok := f.uids[netHot{netuid, string(hotkey)}]
	if !ok {
		return 0, subnetstypes.ErrNotRegistered.Wrapf("%s on subnet %d", hotkey, netuid)
	}
	return uid, nil
}

// GetEpochOutput implements types.SubnetsKeeper: only the validator permit is meaningful.
func (f *FakeSubnets) GetEpochOutput(_ context.Context, netuid, uid uint32) (subnetstypes.EpochOutput, error) {
	// maprange:ok test fake; at most one entry matches
	for k, u := range f.uids {
		if k.netuid == netuid && u == uid {
			return subnetstypes.EpochOutput{Emission: math.ZeroInt(), ValidatorPermit: f.permits[k]}, nil
		}
	}
	return subnetstypes.EpochOutput{Emission: math.ZeroInt()}, nil
}

// HotkeyOwner implements types.SubnetsKeeper.
func (f *FakeSubnets) HotkeyOwner(_ context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error) {
	o, ok := f.owners[string(hotkey)]
	if !ok {
		return nil, false, nil
	}
	registered := false
	// maprange:ok test fake; any match answers
	for k := range f.uids {
		if k.hotkey == string(hotkey) {
			registered = true
		}
	}
	return o, registered, nil
}

// Fixture is a ready x/payments keeper with its dependencies.
type Fixture struct {
	Ctx           sdk.Context
	Keeper        *keeper.Keeper
	MsgServer     types.MsgServer
	QueryServer   types.QueryServer
	AccountKeeper authkeeper.AccountKeeper
	BankKeeper    bankkeeper.BaseKeeper
	Emissions     *emissionskeeper.Keeper
	Subnets       *FakeSubnets
	Authority     string
	// Blocked is an address x/bank refuses to pay from module accounts (to exercise refund failures).
	Blocked sdk.AccAddress
}

// NewFixture builds the fixture at block height 1 with default params.
func NewFixture(tb testing.TB) *Fixture {
	tb.Helper()
	encCfg := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}, payments.AppModuleBasic{})
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, emissionstypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockHeight(1).WithChainID(ChainID)

	prefix := sdk.GetConfig().GetBech32AccountAddrPrefix()
	ac := addresscodec.NewBech32Codec(prefix)
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	maccPerms := map[string][]string{
		FunderModule:              {authtypes.Minter},
		emissionstypes.ModuleName: {authtypes.Minter},
		types.ModuleName:          {authtypes.Burner},
	}
	ak := authkeeper.NewAccountKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, maccPerms, ac, prefix, authority)
	blocked := Addr("blocked-address")
	bk := bankkeeper.NewBaseKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak,
		map[string]bool{blocked.String(): true}, authority, log.NewNopLogger())
	// x/emissions' AddRevenue and invariant need only bank and auth.
	ek := emissionskeeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[emissionstypes.StoreKey]), authority, Denom,
		bk, ak, nil, nil, authtypes.FeeCollectorName, "stake")
	fs := &FakeSubnets{
		subnets: map[uint32]subnetstypes.Subnet{}, uids: map[netHot]uint32{}, permits: map[netHot]bool{},
		owners: map[string]sdk.AccAddress{},
	}
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), ac, ak, bk, fs, ek, authority, Denom)
	if err := k.InitGenesis(ctx, types.DefaultGenesis()); err != nil {
		tb.Fatalf("init genesis: %v", err)
	}
	return &Fixture{
		Ctx: ctx, Keeper: k, MsgServer: keeper.NewMsgServerImpl(k), QueryServer: keeper.NewQueryServerImpl(k),
		AccountKeeper: ak, BankKeeper: bk, Emissions: ek, Subnets: fs, Authority: authority, Blocked: blocked,
	}
}

// Fund mints amount umind to addr.
func (f *Fixture) Fund(tb testing.TB, addr sdk.AccAddress, amount int64) {
	tb.Helper()
	coins := sdk.NewCoins(sdk.NewInt64Coin(Denom, amount))
	if err := f.BankKeeper.MintCoins(f.Ctx, FunderModule, coins); err != nil {
		tb.Fatal(err)
	}
	if err := f.BankKeeper.SendCoinsFromModuleToAccount(f.Ctx, FunderModule, addr, coins); err != nil {
		tb.Fatal(err)
	}
}

// Balance returns addr's umind balance.
func (f *Fixture) Balance(addr sdk.AccAddress) math.Int {
	return f.BankKeeper.GetBalance(f.Ctx, addr, Denom).Amount
}

// ModuleBalance returns a module account's umind balance.
func (f *Fixture) ModuleBalance(name string) math.Int {
	return f.Balance(f.AccountKeeper.GetModuleAddress(name))
}

// Supply returns the umind supply.
func (f *Fixture) Supply() math.Int {
	return f.BankKeeper.GetSupply(f.Ctx, Denom).Amount
}

// Key is a test account with a secp256k1 key whose public key is recorded in x/auth (as after its first tx).
type Key struct {
	Priv *secp256k1.PrivKey
	Addr sdk.AccAddress
}

// NewKey derives a key from name and records its account and public key.
func (f *Fixture) NewKey(tb testing.TB, name string) Key {
	tb.Helper()
	priv := secp256k1.GenPrivKeyFromSecret([]byte("payments-test-" + name))
	addr := sdk.AccAddress(priv.PubKey().Address())
	acc := f.AccountKeeper.NewAccountWithAddress(f.Ctx, addr)
	if err := acc.SetPubKey(priv.PubKey()); err != nil {
		tb.Fatal(err)
	}
	f.AccountKeeper.SetAccount(f.Ctx, acc)
	return Key{Priv: priv, Addr: addr}
}

// Addr returns a deterministic test address with no key.
func Addr(name string) sdk.AccAddress {
	b := make([]byte, 20)
	copy(b, name)
	return b
}
