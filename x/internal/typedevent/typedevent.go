// Package typedevent builds the sdk.Event that sdk.TypedEventToEvent (hence EventManager.EmitTypedEvent) makes of
// a typed event, without reflection or JSON round trips, for events emitted once per payout in an epoch.
//
// TypedEventToEvent marshals the message with jsonpb (codec.ProtoMarshalJSON: proto field names, default values
// emitted), decodes the JSON object into map[string]json.RawMessage and returns one attribute per field, sorted by
// key, whose value is the field's JSON text as jsonpb wrote it. The helpers below return that text for each kind of
// field the fast events use; each event type's ToEvent lists its fields in key order. The tests of the event types
// compare ToEvent with TypedEventToEvent field by field, edge cases included, and fail when a field is added to the
// message without being added to ToEvent.
package typedevent

import (
	"encoding/json"
	"strconv"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// New returns the event of type proto.MessageName(msg) with attrs, which must be sorted by key and cover every
// field of msg.
func New(msg proto.Message, attrs []abci.EventAttribute) sdk.Event {
	return sdk.Event{Type: proto.MessageName(msg), Attributes: attrs}
}

// Attr returns one attribute.
func Attr(key, value string) abci.EventAttribute { return abci.EventAttribute{Key: key, Value: value} }

// String is jsonpb's text for a string field: encoding/json's quoting (HTML characters escaped, invalid UTF-8
// replaced). Plain printable ASCII, which covers bech32 addresses, is quoted here; anything else goes through
// encoding/json itself.
func String(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, err := json.Marshal(s)
			if err != nil { // cannot happen for a string
				panic(err)
			}
			return string(b)
		}
	}
	return `"` + s + `"`
}

// Uint32 is jsonpb's text for a uint32 field: a bare decimal number.
func Uint32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// Int is jsonpb's text for a cosmossdk.io/math.Int custom-type field, math.Int.MarshalJSON: the decimal quoted,
// "0" when unset.
func Int(i math.Int) string {
	if i.IsNil() {
		return `"0"`
	}
	return `"` + i.String() + `"`
}

// Enum is jsonpb's text for an enum field: the value's name quoted, or the bare number when it has no name.
func Enum(v int32, names map[int32]string) string {
	if name, ok := names[v]; ok {
		return `"` + name + `"`
	}
	return strconv.FormatInt(int64(v), 10)
}
