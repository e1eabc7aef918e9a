package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
)

// txCmd builds "tx <module> <name>" with the SDK's tx flags and parses args.
func txCmd(t *testing.T, module, name string, args ...string) *cobra.Command {
	t.Helper()
	root := &cobra.Command{Use: "tx"}
	mod := &cobra.Command{Use: module}
	cmd := &cobra.Command{Use: name, RunE: func(*cobra.Command, []string) error { return nil }}
	flags.AddTxFlagsToCmd(cmd)
	mod.AddCommand(cmd)
	root.AddCommand(mod)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// ctxWith returns a client context whose Viper read a client.toml with the given gas-prices line, as
// config.ReadFromClientConfig leaves it.
func ctxWith(t *testing.T, prices string) client.Context {
	t.Helper()
	v := viper.New()
	v.SetConfigType("toml")
	toml := `chain-id = "tokenmind-local-1"` + "\n"
	if prices != "" {
		toml += `gas-prices = "` + prices + `"` + "\n"
	}
	if err := v.ReadConfig(strings.NewReader(toml)); err != nil {
		t.Fatal(err)
	}
	return client.Context{Viper: v}
}

func TestApplyDefaultGasPrices(t *testing.T) {
	for _, tc := range []struct {
		name, module, cmd, prices string
		args                      []string
		want                      string // --gas-prices afterwards
		wantErr                   string
	}{
		{name: "default applies", module: "stake", cmd: "add", prices: "0.025umind", want: "0.025umind"},
		{name: "no default in client.toml", module: "stake", cmd: "add", want: ""},
		{name: "--fees wins", module: "bank", cmd: "send", prices: "0.025umind", args: []string{"--fees", "5000umind"}, want: ""},
		{name: "--gas-prices wins", module: "bank", cmd: "send", prices: "0.025umind", args: []string{"--gas-prices", "1umind"}, want: "1umind"},
		{name: "serve stays fee-free", module: "subnets", cmd: "serve", prices: "0.025umind", want: ""},
		{name: "set-weights stays fee-free", module: "subnets", cmd: "set-weights", prices: "0.025umind", want: ""},
		{name: "commit-weights stays fee-free", module: "subnets", cmd: "commit-weights", prices: "0.025umind", want: ""},
		{name: "reveal-weights stays fee-free", module: "subnets", cmd: "reveal-weights", prices: "0.025umind", want: ""},
		{name: "register pays", module: "subnets", cmd: "register", prices: "0.025umind", want: "0.025umind"},
		{name: "malformed default", module: "stake", cmd: "add", prices: "cheap", wantErr: `gas-prices = "cheap"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := txCmd(t, tc.module, tc.cmd, tc.args...)
			if tc.wantErr != "" {
				err := applyDefaultGasPrices(cmd, ctxWith(t, tc.prices))
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			// The SDK's tx factory binds the flags to the client Viper and reads them from it.
			ctx := ctxWith(t, tc.prices)
			if err := applyDefaultGasPrices(cmd, ctx); err != nil {
				t.Fatal(err)
			}
			if err := ctx.Viper.BindPFlags(cmd.Flags()); err != nil {
				t.Fatal(err)
			}
			if got := ctx.Viper.GetString(flags.FlagGasPrices); got != tc.want {
				t.Fatalf("gas prices the tx factory sees: %q, want %q", got, tc.want)
			}
		})
	}
	// A command without tx flags (a query) is left alone.
	q := &cobra.Command{Use: "balances"}
	if err := applyDefaultGasPrices(q, ctxWith(t, "0.025umind")); err != nil {
		t.Fatal(err)
	}
}
