package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// SubnetsKeeper is what x/payments reads from x/subnets.
type SubnetsKeeper interface {
	// GetSubnet returns a subnet or subnetstypes.ErrSubnetNotFound.
	GetSubnet(ctx context.Context, netuid uint32) (subnetstypes.Subnet, error)
	// GetUid returns a hotkey's UID on a subnet or subnetstypes.ErrNotRegistered.
	GetUid(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error)
	// GetEpochOutput returns what the last epoch computed for a UID (validator permit included).
	GetEpochOutput(ctx context.Context, netuid, uid uint32) (subnetstypes.EpochOutput, error)
	// HotkeyOwner returns the coldkey that owns a hotkey.
	HotkeyOwner(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error)
}

// EmissionsKeeper is what x/payments needs from x/emissions.
type EmissionsKeeper interface {
	// AddRevenue moves amount from the fromModule account into x/emissions and adds it to netuid's pending pool,
	// which the subnet's next epoch pays out through Yuma Consensus like emission.
	AddRevenue(ctx context.Context, fromModule string, netuid uint32, amount math.Int) error
}

// AccountKeeper is what x/payments needs from x/auth.
type AccountKeeper interface {
	GetModuleAddress(name string) sdk.AccAddress
	GetModuleAccount(ctx context.Context, name string) sdk.ModuleAccountI
	GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI
}

// BankKeeper is what x/payments needs from x/bank.
type BankKeeper interface {
	SpendableCoins(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
}
