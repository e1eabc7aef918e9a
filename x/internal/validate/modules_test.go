package validate_test

import (
	"strings"
	"testing"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	paymentstypes "github.com/tokenmind/tokenmind/x/payments/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestEveryMsgValidatesTheSameWay: every Msg our modules register has ValidateBasic (which baseapp runs before the
// handler), and an empty one is refused with an error that names the empty address field instead of panicking.
func TestEveryMsgValidatesTheSameWay(t *testing.T) {
	reg := codectypes.NewInterfaceRegistry()
	sdk.RegisterInterfaces(reg)
	subnetstypes.RegisterInterfaces(reg)
	staketypes.RegisterInterfaces(reg)
	emissionstypes.RegisterInterfaces(reg)
	paymentstypes.RegisterInterfaces(reg)
	count := 0
	for _, url := range reg.ListImplementations(sdk.MsgInterfaceProtoName) {
		if !strings.HasPrefix(url, "/tokenmind.") {
			continue
		}
		count++
		msg, err := reg.Resolve(url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		v, ok := msg.(sdk.HasValidateBasic)
		if !ok {
			t.Errorf("%s has no ValidateBasic", url)
			continue
		}
		err = func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: ValidateBasic panicked on an empty Msg: %v", url, r)
				}
			}()
			return v.ValidateBasic()
		}()
		if err == nil || !strings.Contains(err.Error(), "is empty; want a bech32 account address") {
			t.Errorf("%s: empty Msg gave %v; want the empty address field named", url, err)
		}
	}
	if count < 18 {
		t.Fatalf("found %d tokenmind Msgs; want every Msg of x/subnets, x/stake, x/emissions and x/payments", count)
	}
}
