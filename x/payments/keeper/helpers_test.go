package keeper_test

import (
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

func abciEvent(e sdk.Event) abci.Event { return abci.Event(e) }
