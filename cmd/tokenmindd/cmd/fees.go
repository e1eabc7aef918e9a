package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ClientGasPricesKey is the client.toml key (beside the SDK's own keys) holding the gas prices a transaction
// command uses when neither --fees nor --gas-prices is given, e.g. gas-prices = "0.025umind". The SDK's client.toml
// has no such key; the localnet scripts write it so that the README's commands pay the node's minimum gas price.
const ClientGasPricesKey = "gas-prices"

// feeFreeCommands are the transactions a registered hotkey sends for its own upkeep: the chain admits them without a
// fee (app.HotkeyFeeDecorator), so the client.toml default does not apply to them. A hotkey's account usually holds
// nothing and could not pay.
var feeFreeCommands = map[string]bool{
	"serve":          true,
	"set-weights":    true,
	"commit-weights": true,
	"reveal-weights": true,
}

// applyDefaultGasPrices sets --gas-prices from client.toml's gas-prices on a transaction command, unless the
// command sets --fees or --gas-prices itself or is hotkey upkeep (free of fees).
func applyDefaultGasPrices(cmd *cobra.Command, clientCtx client.Context) error {
	if clientCtx.Viper == nil {
		return nil
	}
	prices := clientCtx.Viper.GetString(ClientGasPricesKey)
	if prices == "" {
		return nil
	}
	f := cmd.Flags().Lookup(flags.FlagGasPrices)
	if f == nil || f.Changed || cmd.Flags().Changed(flags.FlagFees) {
		return nil
	}
	if cmd.Parent() != nil && cmd.Parent().Name() == "subnets" && feeFreeCommands[cmd.Name()] {
		return nil
	}
	if _, err := sdk.ParseDecCoins(prices); err != nil {
		return fmt.Errorf("client.toml: %s = %q is not a list of gas prices like \"0.025umind\": %w", ClientGasPricesKey, prices, err)
	}
	return cmd.Flags().Set(flags.FlagGasPrices, prices)
}
