package typedevent_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
)

// fastEvent is a typed event with a reflection-free ToEvent.
type fastEvent interface {
	proto.Message
	ToEvent() sdk.Event
}

// requireSame checks that ev.ToEvent() is exactly what EmitTypedEvent would emit, and that it decodes back to ev.
func requireSame(t *testing.T, ev fastEvent) {
	t.Helper()
	want, err := sdk.TypedEventToEvent(ev)
	require.NoError(t, err)
	got := ev.ToEvent()
	require.Equal(t, want, got, "event %v", ev)

	// Both emit paths leave the same events in an event manager.
	a, b := sdk.NewEventManager(), sdk.NewEventManager()
	require.NoError(t, a.EmitTypedEvent(ev))
	b.EmitEvent(got)
	require.Equal(t, a.Events(), b.Events())

	parsed, err := sdk.ParseTypedEvent(abci.Event(got))
	require.NoError(t, err)
	// Parsing normalises what jsonpb normalised on the way out (invalid UTF-8, an unset math.Int); compare with a
	// round trip of the original through the slow path.
	ref, err := sdk.ParseTypedEvent(abci.Event(want))
	require.NoError(t, err)
	require.Equal(t, ref, parsed)
}

var (
	strs = []string{
		"", "a", sdk.AccAddress(make([]byte, 20)).String(), sdk.AccAddress([]byte("bench-hotkey-0000001")).String(),
		"TOKEN1UPPERCASE", `quote"d`, `back\slash`, "<script>", "a&b", "tab\there", "new\nline", "nul\x00", "del\x7f",
		"é", "日本語", "\xff\xfeinvalid", "line\u2028sep", "para\u2029sep", "~ !#$%'()*+,-./:;=?@[]^_`{|}",
	}
	ints = []math.Int{
		{},
		math.ZeroInt(), math.OneInt(), math.NewInt(-1), math.NewInt(-123456789), math.NewInt(1_000_000),
		math.NewIntFromUint64(^uint64(0)), math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 255)),
		math.NewIntFromBigInt(new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 200))),
	}
	u32s  = []uint32{0, 1, 7, 4095, 65535, ^uint32(0)}
	kinds = []emissionstypes.PayoutKind{
		emissionstypes.PAYOUT_KIND_UNSPECIFIED, emissionstypes.PAYOUT_KIND_OWNER, emissionstypes.PAYOUT_KIND_INCENTIVE,
		emissionstypes.PAYOUT_KIND_TAKE, emissionstypes.PAYOUT_KIND_DELEGATION, 5, 99, -1, 1 << 30,
	}
)

func TestEventPayoutMatchesTypedEventToEvent(t *testing.T) {
	requireSame(t, &emissionstypes.EventPayout{}) // every field unset (fails if a field is added without ToEvent)
	for _, s := range strs {
		requireSame(t, &emissionstypes.EventPayout{Hotkey: s, Coldkey: s, Amount: math.ZeroInt()})
		requireSame(t, &emissionstypes.EventPayout{Coldkey: s, Amount: math.OneInt(), Kind: emissionstypes.PAYOUT_KIND_OWNER, Uid: ^uint32(0)})
	}
	for _, a := range ints {
		requireSame(t, &emissionstypes.EventPayout{Netuid: 1, Uid: 2, Hotkey: strs[2], Coldkey: strs[3], Amount: a, Kind: emissionstypes.PAYOUT_KIND_INCENTIVE})
	}
	for _, k := range kinds {
		requireSame(t, &emissionstypes.EventPayout{Amount: math.NewInt(5), Kind: k})
	}
	for _, u := range u32s {
		requireSame(t, &emissionstypes.EventPayout{Netuid: u, Uid: u, Amount: math.NewInt(5)})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		requireSame(t, &emissionstypes.EventPayout{
			Netuid: u32s[r.IntN(len(u32s))], Uid: r.Uint32(), Hotkey: strs[r.IntN(len(strs))], Coldkey: strs[r.IntN(len(strs))],
			Amount: ints[r.IntN(len(ints))], Kind: kinds[r.IntN(len(kinds))],
		})
	}
}

func TestEventStakeFromEmissionMatchesTypedEventToEvent(t *testing.T) {
	requireSame(t, &staketypes.EventStakeFromEmission{}) // every field unset
	for _, s := range strs {
		requireSame(t, &staketypes.EventStakeFromEmission{Coldkey: s, Hotkey: s, Amount: math.OneInt(), Position: math.OneInt(), HotkeyTotal: math.OneInt()})
	}
	for _, a := range ints {
		requireSame(t, &staketypes.EventStakeFromEmission{Coldkey: strs[2], Hotkey: strs[3], Amount: a, Position: a, HotkeyTotal: a})
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		requireSame(t, &staketypes.EventStakeFromEmission{
			Coldkey: strs[r.IntN(len(strs))], Hotkey: strs[r.IntN(len(strs))],
			Amount: ints[r.IntN(len(ints))], Position: ints[r.IntN(len(ints))], HotkeyTotal: ints[r.IntN(len(ints))],
		})
	}
}
