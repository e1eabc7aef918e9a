package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BankKeeper is what x/subnets needs from x/bank: taking and burning registration and creation fees.
type BankKeeper interface {
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
}

// AccountKeeper is what x/subnets needs from x/auth.
type AccountKeeper interface {
	GetModuleAddress(name string) sdk.AccAddress
}

// StakeKeeper reports the stake behind a hotkey (x/stake). It may be nil in tests of registration alone.
type StakeKeeper interface {
	GetTotalHotkeyStake(ctx context.Context, hotkey sdk.AccAddress) math.Int
}

// NeuronHooks are told when a UID changes hands, so that modules keeping per-hotkey or per-UID state can reset it.
type NeuronHooks interface {
	AfterNeuronReplaced(ctx context.Context, netuid, uid uint32, oldHotkey, newHotkey sdk.AccAddress) error
}
