package cli

import (
	"fmt"
	"reflect"
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

	"github.com/tokenmind/tokenmind/internal/amount"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// NewSetHyperparametersCmd reads a subnet's hyperparameters, applies key=value changes and submits them.
func NewSetHyperparametersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-hyperparameters [netuid] [key=value]...",
		Short: "Change a subnet's hyperparameters (owner only): unchanged keys keep their current values",
		Long: `Reads the subnet's current hyperparameters, applies each key=value and submits the whole set.
Keys are the JSON names shown by: tokenmindd q subnets subnet NETUID (e.g. tempo, immunity_period, min_burn,
commit_reveal_enabled). Values are decimal: true or false for flags, whole numbers otherwise (min_burn and max_burn
are amounts: 500000, 500000umind or 0.5MIND); each key may be given once. Values must lie within the governance bounds (tokenmindd q subnets params).
A tempo change takes effect at the subnet's next epoch.`,
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
			hp, err := ApplyHyperparameterChanges(res.Subnet.Hyperparameters, args[1:])
			if err != nil {
				return err
			}
			msg := &types.MsgSetHyperparameters{Owner: clientCtx.GetFromAddress().String(), Netuid: uint32(netuid), Hyperparameters: hp}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// hyperparameterKey is one settable field of types.Hyperparameters, found by reflection over the generated struct so
// that no list of names is kept by hand.
type hyperparameterKey struct {
	name     string // proto name, as in `tokenmindd q subnets subnet` (e.g. max_allowed_uids)
	jsonName string // proto3 JSON name (e.g. maxAllowedUids), also accepted
	index    int
}

var mathIntType = reflect.TypeOf(math.Int{})

// hyperparameterKeys lists the fields of types.Hyperparameters in proto order.
func hyperparameterKeys() []hyperparameterKey {
	t := reflect.TypeOf(types.Hyperparameters{})
	var keys []hyperparameterKey
	for i := 0; i < t.NumField(); i++ {
		k := hyperparameterKey{index: i}
		for _, part := range strings.Split(t.Field(i).Tag.Get("protobuf"), ",") {
			if v, ok := strings.CutPrefix(part, "name="); ok {
				k.name = v
			} else if v, ok := strings.CutPrefix(part, "json="); ok {
				k.jsonName = v
			}
		}
		if k.name != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// ApplyHyperparameterChanges applies key=value changes to hp and returns the result; hp itself is not modified.
// Keys are the proto names shown by `tokenmindd q subnets subnet` (camelCase JSON names are accepted too). Values
// are decimal: true/false for flags, whole numbers within the field's type for numbers, amounts (umind, or MIND with
// decimals) for min_burn and max_burn. Each error names the key and says what value is wanted. Governance bounds are
// checked by the chain.
func ApplyHyperparameterChanges(hp types.Hyperparameters, changes []string) (types.Hyperparameters, error) {
	keys := hyperparameterKeys()
	out := hp
	v := reflect.ValueOf(&out).Elem()
	seen := make([]bool, len(keys))
	for _, c := range changes {
		name, value, ok := strings.Cut(c, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return hp, fmt.Errorf("%q: want key=value, e.g. tempo=360", c)
		}
		ki := -1
		for i, k := range keys {
			if name == k.name || (k.jsonName != "" && name == k.jsonName) {
				ki = i
				break
			}
		}
		if ki < 0 {
			names := make([]string, len(keys))
			for i, k := range keys {
				names[i] = k.name
			}
			sort.Strings(names)
			return hp, fmt.Errorf("unknown hyperparameter %q; known: %s", name, strings.Join(names, ", "))
		}
		key := keys[ki]
		if seen[ki] {
			return hp, fmt.Errorf("%s is given twice; give each key once", key.name)
		}
		seen[ki] = true
		f := v.Field(key.index)
		if err := setHyperparameter(f, value); err != nil {
			return hp, fmt.Errorf("%s: %w", key.name, err)
		}
	}
	return out, nil
}

// setHyperparameter parses a decimal value into one field; the error says what is wanted.
func setHyperparameter(f reflect.Value, value string) error {
	if f.Type() == mathIntType { // min_burn, max_burn: amounts, in umind or MIND like every amount of the CLI
		n, err := amount.Parse(value, true)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(n))
		return nil
	}
	switch f.Kind() {
	case reflect.Bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", value)
		}
		f.SetBool(b)
	case reflect.Uint32, reflect.Uint64:
		bits := f.Type().Bits()
		n, err := strconv.ParseUint(value, 10, bits)
		if err != nil || !amount.IsDigits(value) {
			return fmt.Errorf("want a whole number from 0 to %d, got %q", ^uint64(0)>>(64-bits), value)
		}
		f.SetUint(n)
	case reflect.Int32, reflect.Int64:
		bits := f.Type().Bits()
		n, err := strconv.ParseInt(value, 10, bits)
		if err != nil || !amount.IsDigits(strings.TrimPrefix(value, "-")) {
			hi := int64(^uint64(0) >> (65 - bits))
			return fmt.Errorf("want a whole number from %d to %d, got %q", -hi-1, hi, value)
		}
		f.SetInt(n)
	default:
		return fmt.Errorf("cannot be set from the command line (type %s)", f.Type())
	}
	return nil
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
