package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

var ac = addresscodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())

func addrString(b []byte) string {
	s, _ := ac.BytesToString(b)
	return s
}

var (
	seedPayer = addrString([]byte("payer_______________"))
	seedGw    = addrString([]byte("gateway_____________"))
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

// FuzzMsgValidateBasic checks that ValidateBasic on every Msg never panics, rejects only with typed errors, and
// accepts exactly the messages whose addresses decode, whose netuid is set and whose amounts are positive (and, for
// claims, whose signature has 64 bytes; for access rules, a consistent free or paid rule).
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(seedPayer, seedGw, uint32(1), "1000", []byte("0123456789012345678901234567890123456789012345678901234567890123"), true, "10", "100")
	f.Add("", seedGw, uint32(0), "0", []byte{1}, false, "0", "0")
	f.Add(seedPayer, "mind1qqqq", uint32(7), "-5", []byte{}, true, "100", "10")
	f.Add(seedPayer, seedGw, uint32(1), "115792089237316195423570985008687907853269984665640564039457584007913129639935", []byte{}, false, "1", "0")
	f.Fuzz(func(t *testing.T, payer, gw string, netuid uint32, amount string, sig []byte, paid bool, price, minDep string) {
		amt := parseAmount(amount)
		_, payerErr := ac.StringToBytes(payer)
		_, gwErr := ac.StringToBytes(gw)
		payerOK := payerErr == nil && payer != ""
		gwOK := gwErr == nil && gw != ""
		amtOK := !amt.IsNil() && amt.IsPositive()
		check := func(name string, err error, wantOK bool) {
			if err != nil && !registered(err) {
				t.Fatalf("%s: untyped error %v", name, err)
			}
			if (err == nil) != wantOK {
				t.Fatalf("%s: err %v, want ok=%v", name, err, wantOK)
			}
		}
		open := &types.MsgOpenChannel{Payer: payer, Netuid: netuid, GatewayHotkey: gw, Deposit: amt}
		check("open", open.ValidateBasic(), payerOK && gwOK && netuid != 0 && amtOK)
		top := &types.MsgTopUpChannel{Payer: payer, ChannelId: uint64(netuid), Amount: amt}
		check("top-up", top.ValidateBasic(), payerOK && amtOK)
		cl := &types.MsgCloseChannel{Payer: payer, ChannelId: uint64(netuid)}
		check("close", cl.ValidateBasic(), payerOK)
		claim := &types.MsgClaim{GatewayHotkey: gw, ChannelId: uint64(netuid), CumulativeAmount: amt, Signature: sig}
		check("claim", claim.ValidateBasic(), gwOK && amtOK && len(sig) == 64 && len(amt.BigInt().Bytes()) <= 32)
		p, m := parseAmount(price), parseAmount(minDep)
		rule := &types.MsgSetAccessRule{Owner: payer, Netuid: netuid, Paid: paid, QueryPrice: p, MinDeposit: m}
		ruleOK := !p.IsNil() && !m.IsNil() && !p.IsNegative() && !m.IsNegative() &&
			((!paid && p.IsZero() && m.IsZero()) || (paid && p.IsPositive() && m.GTE(p)))
		check("access rule", rule.ValidateBasic(), payerOK && netuid != 0 && ruleOK)
	})
}
