// Package testutil builds an x/stake keeper on a real multistore with the real x/auth and x/bank keepers, and a
// small in-memory x/subnets fake, for keeper tests in x/stake and in the modules that depend on it.
package testutil

import (
	"context"
	"testing"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
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

	"github.com/tokenmind/tokenmind/x/stake"
	"github.com/tokenmind/tokenmind/x/stake/keeper"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

// Denom is the staked denomination in tests.
const Denom = "umind"

// FunderModule is a module account with Minter permission used to fund test accounts.
const FunderModule = "funder"

// FakeSubnets is an in-memory x/subnets: hotkey -> owner coldkey for registered hotkeys.
type FakeSubnets struct {
	owners map[string]sdk.AccAddress
	// Err, when set, is returned by every HotkeyOwner call.
	Err error
}

// NewFakeSubnets returns an empty fake.
func NewFakeSubnets() *FakeSubnets { return &FakeSubnets{owners: map[string]sdk.AccAddress{}} }

// Register marks hotkey as registered and owned by owner.
func (f *FakeSubnets) Register(hotkey, owner sdk.AccAddress) { f.owners[string(hotkey)] = owner }

// Deregister removes a hotkey.
func (f *FakeSubnets) Deregister(hotkey sdk.AccAddress) { delete(f.owners, string(hotkey)) }

// HotkeyOwner implements types.SubnetsKeeper.
func (f *FakeSubnets) HotkeyOwner(_ context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error) {
	if f.Err != nil {
		return nil, false, f.Err
	}
	o, ok := f.owners[string(hotkey)]
	return o, ok, nil
}

// Fixture is a ready x/stake keeper with its dependencies.
type Fixture struct {
	Ctx           sdk.Context
	Keeper        *keeper.Keeper
	MsgServer     types.MsgServer
	QueryServer   types.QueryServer
	AccountKeeper authkeeper.AccountKeeper
	BankKeeper    bankkeeper.BaseKeeper
	Subnets       *FakeSubnets
	Authority     string
	// Blocked is an address x/bank refuses to pay from module accounts (to exercise payment failures).
	Blocked sdk.AccAddress
}

// NewFixture builds the fixture at block height 1 with default params. The subnets fake is already set.
func NewFixture(tb testing.TB) *Fixture {
	tb.Helper()
	f := NewFixtureWithoutSubnets(tb)
	f.Keeper.SetSubnetsKeeper(f.Subnets)
	return f
}

// NewFixtureWithoutSubnets builds the fixture without calling SetSubnetsKeeper.
func NewFixtureWithoutSubnets(tb testing.TB) *Fixture {
	tb.Helper()
	encCfg := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}, stake.AppModuleBasic{})
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockHeight(1)

	prefix := sdk.GetConfig().GetBech32AccountAddrPrefix()
	ac := addresscodec.NewBech32Codec(prefix)
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	maccPerms := map[string][]string{
		FunderModule:     {authtypes.Minter},
		types.ModuleName: nil,
	}
	ak := authkeeper.NewAccountKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, maccPerms, ac, prefix, authority)
	blocked := sdk.AccAddress("blocked_address_____")
	bk := bankkeeper.NewBaseKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak,
		map[string]bool{blocked.String(): true}, authority, log.NewNopLogger())
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), ac, ak, bk, authority, Denom)
	if err := k.InitGenesis(ctx, types.DefaultGenesis()); err != nil {
		tb.Fatalf("init genesis: %v", err)
	}
	return &Fixture{
		Ctx: ctx, Keeper: k, MsgServer: keeper.NewMsgServerImpl(k), QueryServer: keeper.NewQueryServerImpl(k),
		AccountKeeper: ak, BankKeeper: bk, Subnets: NewFakeSubnets(), Authority: authority, Blocked: blocked,
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

// FundStakeModule mints amount umind straight into the stake module account, the way x/emissions pays rewards
// before AddStakeFromEmission.
func (f *Fixture) FundStakeModule(tb testing.TB, amount math.Int) {
	tb.Helper()
	coins := sdk.NewCoins(sdk.NewCoin(Denom, amount))
	if err := f.BankKeeper.MintCoins(f.Ctx, FunderModule, coins); err != nil {
		tb.Fatal(err)
	}
	if err := f.BankKeeper.SendCoinsFromModuleToModule(f.Ctx, FunderModule, types.ModuleName, coins); err != nil {
		tb.Fatal(err)
	}
}

// Balance returns addr's umind balance.
func (f *Fixture) Balance(addr sdk.AccAddress) math.Int {
	return f.BankKeeper.GetBalance(f.Ctx, addr, Denom).Amount
}

// Addr returns a deterministic test address.
func Addr(name string) sdk.AccAddress {
	b := make([]byte, 20)
	copy(b, name)
	return b
}
