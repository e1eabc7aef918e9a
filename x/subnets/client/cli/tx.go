// Package cli has the x/subnets commands that autocli cannot express: a registration signed by both coldkey and
// hotkey, subnet creation with identity flags, and a read-modify-write hyperparameter update.
package cli

import (
	"errors"
	"fmt"

	"cosmossdk.io/math"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/internal/amount"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

const (
	flagHotkey      = "hotkey"
	flagMaxBurn     = "max-burn"
	flagMaxCost     = "max-cost"
	flagDescription = "description"
	flagURL         = "url"
	// registerGas covers a registration that replaces a neuron on a full subnet of a few hundred UIDs.
	registerGas = 600_000
)

// NewTxCmd returns the hand-written x/subnets tx commands; autocli adds the rest under the same parent.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Subnets transactions: create subnets, register neurons, serve, set hyperparameters",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewCreateSubnetCmd(), NewRegisterCmd(), NewSetHyperparametersCmd(), NewSetWeightsCmd(),
		NewCommitWeightsCmd(), NewRevealWeightsCmd())
	return cmd
}

// parseLimit parses a --max-burn / --max-cost limit: an amount in umind or MIND, where 0 means no limit.
func parseLimit(s, flag string) (math.Int, error) {
	v, err := amount.Parse(s, true)
	if err != nil {
		return math.Int{}, fmt.Errorf("--%s: %w", flag, err)
	}
	return v, nil
}

// NewCreateSubnetCmd creates a subnet.
func NewCreateSubnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create-subnet [name] [task-kind]",
		Short: "Create a subnet owned by --from, burning the current creation cost",
		Example: "tokenmindd tx subnets create-subnet \"entity extraction\" ner --description \"NER on news text\" " +
			"--max-cost 200000000 --from alice",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			maxCostStr, _ := cmd.Flags().GetString(flagMaxCost)
			maxCost, err := parseLimit(maxCostStr, flagMaxCost)
			if err != nil {
				return err
			}
			desc, _ := cmd.Flags().GetString(flagDescription)
			url, _ := cmd.Flags().GetString(flagURL)
			msg := &types.MsgCreateSubnet{
				Owner:    clientCtx.GetFromAddress().String(),
				Identity: types.SubnetIdentity{Name: args[0], TaskKind: args[1], Description: desc, Url: url},
				MaxCost:  maxCost,
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagDescription, "", "what the subnet rewards")
	cmd.Flags().String(flagURL, "", "a URL with the subnet's documentation")
	cmd.Flags().String(flagMaxCost, "0", "the most you agree to burn, in umind or MIND (e.g. 200MIND; 0 = no limit)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewRegisterCmd registers a hotkey on a subnet, signed by the coldkey (--from, pays) and the hotkey (--hotkey).
func NewRegisterCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register [netuid]",
		Short: "Register --hotkey on a subnet, paying the burn price from --from (both keys sign)",
		Long: `Registers a hotkey on a subnet. Both keys must be in the keyring: the coldkey (--from) pays the burn price
and the hotkey (--hotkey) proves it agrees. A hotkey with no account on chain yet is first sent 1umind by the coldkey
so that it can sign. --max-burn caps the price you accept (see: tokenmindd q subnets price NETUID).`,
		Example: "tokenmindd tx subnets register 1 --hotkey miner1 --max-burn 5000000 --from alice",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hotName, _ := cmd.Flags().GetString(flagHotkey)
			if hotName == "" {
				return errors.New("--hotkey is required: the keyring name of the neuron's key (tokenmindd keys add NAME)")
			}
			hotRec, err := clientCtx.Keyring.Key(hotName)
			if err != nil {
				return fmt.Errorf("hotkey %q not in the keyring (tokenmindd keys add %s): %w", hotName, hotName, err)
			}
			hotAddr, err := hotRec.GetAddress()
			if err != nil {
				return err
			}
			maxStr, _ := cmd.Flags().GetString(flagMaxBurn)
			maxBurn, err := parseLimit(maxStr, flagMaxBurn)
			if err != nil {
				return err
			}
			msg := &types.MsgRegisterNeuron{
				Coldkey: clientCtx.GetFromAddress().String(), Hotkey: hotAddr.String(), Netuid: netuid, MaxBurn: maxBurn,
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			txf, err := tx.NewFactoryCLI(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			if _, _, err := clientCtx.AccountRetriever.GetAccountNumberSequence(clientCtx, hotAddr); err != nil {
				if err := openAccount(cmd, clientCtx, txf, hotAddr); err != nil {
					return err
				}
				if txf, err = tx.NewFactoryCLI(clientCtx, cmd.Flags()); err != nil {
					return err
				}
			}
			if !cmd.Flags().Changed(flags.FlagGas) {
				txf = txf.WithGas(registerGas)
			}
			builder, err := txf.BuildUnsignedTx(msg)
			if err != nil {
				return err
			}
			if err := signDirectMulti(cmd.Context(), clientCtx, txf, builder, []string{clientCtx.FromName, hotName}); err != nil {
				return err
			}
			bz, err := clientCtx.TxConfig.TxEncoder()(builder.GetTx())
			if err != nil {
				return err
			}
			res, err := clientCtx.BroadcastTx(bz)
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(res)
		},
	}
	cmd.Flags().String(flagHotkey, "", "keyring name of the hotkey to register (required)")
	cmd.Flags().String(flagMaxBurn, "0", "the most you agree to pay, in umind or MIND (e.g. 5MIND; 0 = the current price, whatever it is)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// openAccount sends 1umind from the coldkey to a hotkey that has no account yet, and waits until it exists.
func openAccount(cmd *cobra.Command, clientCtx client.Context, txf tx.Factory, addr sdk.AccAddress) error {
	_, _ = fmt.Fprintf(cmd.ErrOrStderr(), "hotkey %s has no account yet: sending it 1umind so that it can sign\n", addr)
	send := banktypes.NewMsgSend(clientCtx.GetFromAddress(), addr, sdk.NewCoins(sdk.NewInt64Coin(sdk.DefaultBondDenom, 1)))
	txf, err := txf.Prepare(clientCtx)
	if err != nil {
		return err
	}
	builder, err := txf.BuildUnsignedTx(send)
	if err != nil {
		return err
	}
	if err := tx.Sign(cmd.Context(), txf, clientCtx.FromName, builder, true); err != nil {
		return err
	}
	bz, err := clientCtx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return err
	}
	res, err := clientCtx.WithBroadcastMode(flags.BroadcastSync).BroadcastTx(bz)
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("opening the hotkey account failed (code %d): %s", res.Code, res.RawLog)
	}
	return waitForAccount(cmd, clientCtx, addr)
}
