package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"cosmossdk.io/math"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// NewSetHyperparametersCmd reads a subnet's hyperparameters, applies key=value changes and submits them.
func NewSetHyperparametersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-hyperparameters [netuid] [key=value]...",
		Short: "Change a subnet's hyperparameters (owner only): unchanged keys keep their current values",
		Long: `Reads the subnet's current hyperparameters, applies each key=value and submits the whole set.
Keys are the JSON names shown by: tokenmindd q subnets subnet NETUID (e.g. tempo, immunity_period, min_burn,
commit_reveal_enabled). Values must lie within the governance bounds (tokenmindd q subnets params). A tempo change
takes effect at the subnet's next epoch.`,
		Example: "tokenmindd tx subnets set-hyperparameters 1 tempo=100 weights_rate_limit=10 commit_reveal_enabled=true --from alice",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := strconv.ParseUint(args[0], 10, 32)
			if err != nil || netuid == 0 {
				return fmt.Errorf("netuid %q: want a subnet number >= 1", args[0])
			}
			res, err := types.NewQueryClient(clientCtx).Subnet(cmd.Context(), &types.QuerySubnetRequest{Netuid: uint32(netuid)})
			if err != nil {
				return err
			}
			hp, err := ApplyHyperparameterChanges(clientCtx, res.Subnet.Hyperparameters, args[1:])
			if err != nil {
				return err
			}
			msg := &types.MsgSetHyperparameters{Owner: clientCtx.GetFromAddress().String(), Netuid: uint32(netuid), Hyperparameters: hp}
			if err := msg.Validate(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// ApplyHyperparameterChanges applies key=value pairs to hp through its JSON form, so every field is settable by its
// proto JSON name with no hand-kept list.
func ApplyHyperparameterChanges(clientCtx client.Context, hp types.Hyperparameters, changes []string) (types.Hyperparameters, error) {
	bz, err := clientCtx.Codec.MarshalJSON(&hp)
	if err != nil {
		return hp, err
	}
	fields := map[string]any{}
	if err := json.Unmarshal(bz, &fields); err != nil {
		return hp, err
	}
	for _, c := range changes {
		key, value, ok := strings.Cut(c, "=")
		if !ok {
			return hp, fmt.Errorf("%q: want key=value", c)
		}
		cur, known := fields[key]
		if !known {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return hp, fmt.Errorf("unknown hyperparameter %q; known: %s", key, strings.Join(names, ", "))
		}
		switch cur.(type) {
		case bool:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return hp, fmt.Errorf("%s: want true or false, got %q", key, value)
			}
			fields[key] = b
		case float64:
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return hp, fmt.Errorf("%s: want an integer, got %q", key, value)
			}
			fields[key] = n
		default:
			if v, ok := math.NewIntFromString(value); !ok || v.IsNegative() {
				return hp, fmt.Errorf("%s: want a non-negative integer, got %q", key, value)
			}
			fields[key] = value
		}
	}
	bz, err = json.Marshal(fields)
	if err != nil {
		return hp, err
	}
	var out types.Hyperparameters
	if err := clientCtx.Codec.UnmarshalJSON(bz, &out); err != nil {
		return hp, fmt.Errorf("invalid hyperparameter value: %w", err)
	}
	return out, nil
}

// waitForAccount polls until the account exists (its funding tx was included), at most 30 s.
func waitForAccount(cmd *cobra.Command, clientCtx client.Context, addr sdk.AccAddress) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, _, err := clientCtx.AccountRetriever.GetAccountNumberSequence(clientCtx, addr); err == nil {
			return nil
		}
		select {
		case <-cmd.Context().Done():
			return cmd.Context().Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("account %s did not appear within 30s; is the node producing blocks?", addr)
}
