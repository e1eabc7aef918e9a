package keeper_test

import (
	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/keeper"
	"github.com/tokenmind/tokenmind/x/stake/testutil"
)

func joinHC(h, c sdk.AccAddress) collections.Pair[sdk.AccAddress, sdk.AccAddress] {
	return collections.Join(h, c)
}

func joinHI(h int64, id uint64) collections.Pair[int64, uint64] { return collections.Join(h, id) }

func joinNH(n uint32, h sdk.AccAddress) collections.Pair[uint32, sdk.AccAddress] {
	return collections.Join(n, h)
}

func keeperModuleBalanceInvariant(f *testutil.Fixture) sdk.Invariant {
	return keeper.ModuleBalanceInvariant(f.Keeper)
}
