package app

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// AppName is the name of the application as reported by the node.
	AppName = "tokenmind"
	// Bech32Prefix is the account address prefix: mind1...
	Bech32Prefix = "mind"
	// BondDenom is the base denomination of MIND: 1 MIND = 10^6 umind.
	BondDenom = "umind"
	// DisplayDenom is the human denomination.
	DisplayDenom = "MIND"
)

var (
	Bech32PrefixAccPub   = Bech32Prefix + "pub"
	Bech32PrefixValAddr  = Bech32Prefix + "valoper"
	Bech32PrefixValPub   = Bech32Prefix + "valoperpub"
	Bech32PrefixConsAddr = Bech32Prefix + "valcons"
	Bech32PrefixConsPub  = Bech32Prefix + "valconspub"
)

func init() {
	SetConfig()
}

// SetConfig sets the global SDK configuration (bech32 prefixes and the default bond denom). It is idempotent and is
// called from init so that every binary and test that imports the app agrees on addresses.
func SetConfig() {
	sdk.DefaultBondDenom = BondDenom
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == Bech32Prefix {
		return
	}
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32PrefixAccPub)
	cfg.SetBech32PrefixForValidator(Bech32PrefixValAddr, Bech32PrefixValPub)
	cfg.SetBech32PrefixForConsensusNode(Bech32PrefixConsAddr, Bech32PrefixConsPub)
}
