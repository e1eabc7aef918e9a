package types

import (
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/internal/typedevent"
)

// ToEvent returns exactly the event sdk.TypedEventToEvent(e) returns (same type, same attributes in the same
// order, same values), without jsonpb reflection: an epoch emits one EventStakeFromEmission per staked payout.
// See x/internal/typedevent.
func (e *EventStakeFromEmission) ToEvent() sdk.Event {
	return typedevent.New(e, []abci.EventAttribute{
		typedevent.Attr("amount", typedevent.Int(e.Amount)),
		typedevent.Attr("coldkey", typedevent.String(e.Coldkey)),
		typedevent.Attr("hotkey", typedevent.String(e.Hotkey)),
		typedevent.Attr("hotkey_total", typedevent.Int(e.HotkeyTotal)),
		typedevent.Attr("position", typedevent.Int(e.Position)),
	})
}
