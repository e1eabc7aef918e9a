package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

var (
	seedCold = sdk.AccAddress("coldkey_____________").String()
	seedHot  = sdk.AccAddress("hotkey______________").String()
	seedHot2 = sdk.AccAddress("hotkey2_____________").String()
)

func parseAmount(s string) math.Int {
	amt, ok := math.NewIntFromString(s)
	if !ok {
		return math.Int{}
	}
	return amt
}

// registered reports whether err is one of the module's typed errors.
func registered(err error) bool {
	for _, e := range types.AllErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// FuzzMsgValidateBasic checks that validation never panics, rejects only with typed errors, and accepts exactly
// the messages with valid addresses, distinct hotkeys (move) and a positive amount.
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(seedCold, seedHot, seedHot2, "1000", uint32(1800))
	f.Add(seedCold, seedHot, seedHot, "1", uint32(0))
	f.Add("", seedHot, seedHot2, "0", uint32(10_000))
	f.Add(seedCold, "mind1qqqq", seedHot2, "-5", uint32(10_001))
	f.Add(seedCold, seedHot, seedHot2, "115792089237316195423570985008687907853269984665640564039457584007913129639935", uint32(1))
	f.Add(seedCold, seedHot, "", "abc", ^uint32(0))
	f.Fuzz(func(t *testing.T, cold, hot, hot2, amount string, take uint32) {
		amt := parseAmount(amount)
		_, coldErr := sdk.AccAddressFromBech32(cold)
		_, hotErr := sdk.AccAddressFromBech32(hot)
		_, hot2Err := sdk.AccAddressFromBech32(hot2)
		addrOK := cold != "" && hot != "" && coldErr == nil && hotErr == nil
		amtOK := !amt.IsNil() && amt.IsPositive()

		check := func(name string, err error, wantOK bool) {
			if wantOK && err != nil {
				t.Fatalf("%s rejected a valid message: %v", name, err)
			}
			if !wantOK && err == nil {
				t.Fatalf("%s accepted an invalid message (cold %q hot %q hot2 %q amount %q take %d)", name, cold, hot, hot2, amount, take)
			}
			if err != nil && !registered(err) {
				t.Fatalf("%s returned an untyped error: %v", name, err)
			}
		}
		check("add", (&types.MsgAddStake{Coldkey: cold, Hotkey: hot, Amount: amt}).ValidateBasic(), addrOK && amtOK)
		check("remove", (&types.MsgRemoveStake{Coldkey: cold, Hotkey: hot, Amount: amt}).ValidateBasic(), addrOK && amtOK)
		moveOK := addrOK && hot2 != "" && hot2Err == nil && amtOK
		if moveOK {
			a, _ := sdk.AccAddressFromBech32(hot)
			b, _ := sdk.AccAddressFromBech32(hot2)
			moveOK = !a.Equals(b)
		}
		check("move", (&types.MsgMoveStake{Coldkey: cold, FromHotkey: hot, ToHotkey: hot2, Amount: amt}).ValidateBasic(), moveOK)
		check("set-take", (&types.MsgSetTake{Coldkey: cold, Hotkey: hot, TakeBps: take}).ValidateBasic(), addrOK && take <= types.BpsDenominator)
	})
}

// FuzzParamsValidate checks params validation never panics and rejects only with ErrInvalidParams.
func FuzzParamsValidate(f *testing.F) {
	d := types.DefaultParams()
	f.Add("1000", d.UnbondingBlocks, d.MaxUnbondingsPerBlock, d.DefaultTakeBps, d.MinTakeBps, d.MaxTakeBps, d.TakeRateLimit)
	f.Add("0", uint64(0), uint32(0), uint32(0), uint32(0), uint32(0), uint64(0))
	f.Add("5", ^uint64(0), uint32(1), uint32(20_000), uint32(5), uint32(20_000), ^uint64(0))
	f.Fuzz(func(t *testing.T, minStake string, unb uint64, maxUnb, def, minT, maxT uint32, rate uint64) {
		p := types.Params{
			MinStake: parseAmount(minStake), UnbondingBlocks: unb, MaxUnbondingsPerBlock: maxUnb,
			DefaultTakeBps: def, MinTakeBps: minT, MaxTakeBps: maxT, TakeRateLimit: rate,
		}
		err := p.Validate()
		if err != nil && !errors.Is(err, types.ErrInvalidParams) {
			t.Fatalf("untyped error: %v", err)
		}
		if err == nil && (minT > def || def > maxT || maxT > types.BpsDenominator || maxUnb == 0 || !p.MinStake.IsPositive()) {
			t.Fatalf("accepted invalid params %+v", p)
		}
	})
}
