package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ClientGasPricesKey is the client.toml key holding the gas prices of transaction commands that give neither --fees
// nor --gas-prices, e.g. gas-prices = "0.025umind". The SDK's client.toml template has no such line, but the SDK's
// tx factory reads every flag through the client Viper, which also holds client.toml: a client.toml key named like a
// flag is that flag's default. The localnet scripts write this line so the README's commands pay the node's minimum
// gas price.
const ClientGasPricesKey = flags.FlagGasPrices

// feeFreeCommands are the transactions a registered hotkey sends for its own upkeep under "tx subnets": the chain
// admits them without a fee (app.HotkeyFeeDecorator), so client.toml's gas prices do not apply to them (a hotkey's
// account usually holds nothing and could not pay).
var feeFreeCommands = map[string]bool{
	"serve":          true,
	"set-weights":    true,
	"commit-weights": true,
	"reveal-weights": true,
}

// applyDefaultGasPrices checks client.toml's gas-prices and withdraws it where it must not apply: when the command
// gives --fees (the SDK would refuse fees and gas prices together) and on fee-free hotkey upkeep. An explicit
// --gas-prices always wins.
func applyDefaultGasPrices(cmd *cobra.Command, clientCtx client.Context) error {
	if clientCtx.Viper == nil {
		return nil
	}
	prices := clientCtx.Viper.GetString(ClientGasPricesKey)
	f := cmd.Flags().Lookup(flags.FlagGasPrices)
	if prices == "" || f == nil || f.Changed {
		return nil
	}
	feeFree := cmd.Parent() != nil && cmd.Parent().Name() == "subnets" && feeFreeCommands[cmd.Name()]
	if feeFree || cmd.Flags().Changed(flags.FlagFees) {
		clientCtx.Viper.Set(ClientGasPricesKey, "")
		return nil
	}
	if _, err := sdk.ParseDecCoins(prices); err != nil {
		return fmt.Errorf("client.toml: %s = %q is not a list of gas prices like \"0.025umind\": %w", ClientGasPricesKey, prices, err)
	}
	return nil
}
