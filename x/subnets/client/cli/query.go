package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/tokenmind/tokenmind/internal/amount"
	"github.com/tokenmind/tokenmind/internal/cliutil"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

const (
	flagIncludeWeights = "include-weights"
	flagIncludeBonds   = "include-bonds"
)

// NewQueryCmd returns the hand-written x/subnets queries: those whose output must show zero values (uid 0, no
// immunity left) or reads better as a table. autocli adds the rest under the same parent.
func NewQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Query subnets, neurons, the metagraph, registration prices and immunity",
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewMetagraphCmd(), NewImmunityCmd(), NewHotkeyCmd(), NewNeuronCmd(), NewNeuronByHotkeyCmd())
	return cmd
}

func queryFlags(cmd *cobra.Command) {
	flags.AddQueryFlagsToCmd(cmd)
	flags.AddKeyringFlags(cmd.Flags())
}

func parseNetuid(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("argument [netuid]: %q is not a subnet number; want a number from 1, such as 1 (tokenmindd q subnets subnets)", s)
	}
	return uint32(v), nil
}

func parseUID(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("argument [uid]: %q is not a UID; want a whole number such as 0 (tokenmindd q subnets metagraph NETUID)", s)
	}
	return uint32(v), nil
}

// subnetTableCmd is a query of one subnet ([netuid]) printed as a table by default or as JSON with every field:
// run gets the parsed netuid and whether a table is wanted.
func subnetTableCmd(cmd *cobra.Command, run func(cmd *cobra.Command, clientCtx client.Context, netuid uint32, table bool) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		clientCtx, err := client.GetClientQueryContext(cmd)
		if err != nil {
			return err
		}
		netuid, err := parseNetuid(args[0])
		if err != nil {
			return err
		}
		table, err := cliutil.WantsTable(cmd, clientCtx)
		if err != nil {
			return err
		}
		return run(cmd, clientCtx.WithOutput(cmd.OutOrStdout()), netuid, table)
	}
	queryFlags(cmd)
	cmd.Flags().Lookup(flags.FlagOutput).Usage = cliutil.OutputFlagHelp
	return cmd
}

// NewMetagraphCmd prints every UID of a subnet: a table by default, every field with -o json.
func NewMetagraphCmd() *cobra.Command {
	cmd := subnetTableCmd(&cobra.Command{
		Use:   "metagraph [netuid]",
		Short: "Show every UID of a subnet: stake, incentive, dividends, emission, serving (-o json for every field)",
		Example: "tokenmindd q subnets metagraph 1\n" +
			"tokenmindd q subnets metagraph 1 --include-weights -o json",
	}, func(cmd *cobra.Command, clientCtx client.Context, netuid uint32, table bool) error {
		weights, _ := cmd.Flags().GetBool(flagIncludeWeights)
		bonds, _ := cmd.Flags().GetBool(flagIncludeBonds)
		res, err := types.NewQueryClient(clientCtx).Metagraph(cmd.Context(),
			&types.QueryMetagraphRequest{Netuid: netuid, IncludeWeights: weights, IncludeBonds: bonds})
		if err != nil {
			return err
		}
		if !table {
			return cliutil.PrintJSON(clientCtx, res)
		}
		return WriteMetagraph(cmd.OutOrStdout(), res)
	})
	cmd.Flags().Bool(flagIncludeWeights, false, "also show each UID's weight row")
	cmd.Flags().Bool(flagIncludeBonds, false, "also show each UID's bond row")
	return cmd
}

// WriteMetagraph writes the metagraph as a table: one line per UID, fractions of 1 with four decimals, amounts in
// MIND. Weight and bond rows, when asked for, follow as uid:value lists.
func WriteMetagraph(w io.Writer, res *types.QueryMetagraphResponse) error {
	s := res.Subnet
	hp := s.Hyperparameters
	if _, err := fmt.Fprintf(w, "subnet %d %q (task %s) at height %d: %d of %d UIDs, tempo %d, registration %s MIND\n",
		s.Netuid, s.Identity.Name, s.Identity.TaskKind, res.Height, s.N, hp.MaxAllowedUids, hp.Tempo,
		amount.FormatMIND(s.Burn)); err != nil {
		return err
	}
	t := cliutil.NewTable(w, "UID", "STAKE(MIND)", "INCENTIVE", "DIVIDENDS", "CONSENSUS", "VTRUST", "VPERMIT",
		"EMISSION(MIND)", "UPDATED", "ACTIVE", "IMMUNE", "HOTKEY", "COLDKEY", "SERVING")
	for _, e := range res.Neurons {
		n, o := e.Neuron, e.Output
		serving := strings.Join(n.Serving.Multiaddrs, ",")
		if serving == "" {
			serving = "-"
		}
		t.Row(strconv.FormatUint(uint64(n.Uid), 10), amount.FormatMIND(e.Stake), cliutil.U16Fraction(o.Incentive),
			cliutil.U16Fraction(o.Dividends), cliutil.U16Fraction(o.Consensus), cliutil.U16Fraction(o.ValidatorTrust),
			cliutil.YesNo(o.ValidatorPermit), amount.FormatMIND(o.Emission), strconv.FormatUint(n.LastUpdate, 10),
			cliutil.YesNo(e.Active), strconv.FormatUint(e.ImmunityRemaining, 10), n.Hotkey, n.Coldkey, serving)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	for _, e := range res.Neurons {
		if len(e.Weights) > 0 {
			if _, err := fmt.Fprintf(w, "weights of uid %d: %s\n", e.Neuron.Uid, row(e.Weights)); err != nil {
				return err
			}
		}
		if len(e.Bonds) > 0 {
			if _, err := fmt.Fprintf(w, "bonds of uid %d: %s\n", e.Neuron.Uid, row(e.Bonds)); err != nil {
				return err
			}
		}
	}
	return nil
}

func row(entries []types.WeightEntry) string {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = fmt.Sprintf("%d:%d", e.Uid, e.Value)
	}
	return strings.Join(parts, ",")
}

// NewImmunityCmd prints immunity per UID and which UID a registration would replace once the subnet is full.
func NewImmunityCmd() *cobra.Command {
	return subnetTableCmd(&cobra.Command{
		Use:   "immunity [netuid]",
		Short: "Show immunity per UID and which UID a registration would replace when the subnet is full",
	}, func(cmd *cobra.Command, clientCtx client.Context, netuid uint32, table bool) error {
		q := types.NewQueryClient(clientCtx)
		res, err := q.Immunity(cmd.Context(), &types.QueryImmunityRequest{Netuid: netuid})
		if err != nil {
			return err
		}
		if !table {
			return cliutil.PrintJSON(clientCtx, res)
		}
		sub, err := q.Subnet(cmd.Context(), &types.QuerySubnetRequest{Netuid: netuid})
		if err != nil {
			return err
		}
		return WriteImmunity(cmd.OutOrStdout(), sub.Subnet, res)
	})
}

// WriteImmunity writes the immunity table and, always, what a registration does now and which UID goes next.
func WriteImmunity(w io.Writer, s types.Subnet, res *types.QueryImmunityResponse) error {
	t := cliutil.NewTable(w, "UID", "IMMUNITY LEFT (BLOCKS)", "OWNER-PROTECTED", "HOTKEY")
	for _, u := range res.Uids {
		t.Row(strconv.FormatUint(uint64(u.Uid), 10), strconv.FormatUint(u.ImmunityRemaining, 10),
			cliutil.YesNo(u.OwnerProtected), u.Hotkey)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, ImmunitySummary(s, res)+"\n")
	return err
}

// ImmunitySummary says whether the subnet is full and which UID a registration replaces (now, or once full); when
// none can be replaced, when the first immunity ends.
func ImmunitySummary(s types.Subnet, res *types.QueryImmunityResponse) string {
	maxUIDs := s.Hyperparameters.MaxAllowedUids
	var b strings.Builder
	if res.Full {
		fmt.Fprintf(&b, "subnet %d is full (%d of %d UIDs): a registration replaces a neuron", s.Netuid, s.N, maxUIDs)
	} else {
		fmt.Fprintf(&b, "subnet %d has %d of %d UIDs: a registration now takes a free UID", s.Netuid, s.N, maxUIDs)
	}
	if res.HasNextReplaced {
		who := ""
		for _, u := range res.Uids {
			if u.Uid == res.NextReplacedUid {
				who = " (" + u.Hotkey + ")"
			}
		}
		if res.Full {
			fmt.Fprintf(&b, "\nnext replaced: uid %d%s, the lowest emission at the last epoch among non-immune neurons",
				res.NextReplacedUid, who)
		} else {
			fmt.Fprintf(&b, "\nnext replaced once full: uid %d%s, the lowest emission at the last epoch among non-immune neurons",
				res.NextReplacedUid, who)
		}
		return b.String()
	}
	first, firstUID, found := uint64(0), uint32(0), false
	for _, u := range res.Uids {
		if !u.OwnerProtected && u.ImmunityRemaining > 0 && (!found || u.ImmunityRemaining < first) {
			first, firstUID, found = u.ImmunityRemaining, u.Uid, true
		}
	}
	switch {
	case found:
		fmt.Fprintf(&b, "\nnext replaced: none now, every neuron is immune or owner-protected; the first immunity "+
			"ends in %d blocks (uid %d)", first, firstUID)
	case len(res.Uids) == 0:
		b.WriteString("\nnext replaced: none, the subnet has no neurons")
	default:
		b.WriteString("\nnext replaced: none, every neuron is owner-protected")
	}
	return b.String()
}

// NewHotkeyCmd shows a hotkey's owner and where it is registered, or says that it is not registered.
func NewHotkeyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "hotkey [hotkey]",
		Short:   "Show a hotkey's owner (coldkey) and the subnets and UIDs it is registered on",
		Example: "tokenmindd q subnets hotkey miner1\ntokenmindd q subnets hotkey mind1... -o json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			hotkey, err := cliutil.AddressOrKey(clientCtx, "hotkey", args[0])
			if err != nil {
				return err
			}
			table, err := cliutil.WantsTable(cmd, clientCtx)
			if err != nil {
				return err
			}
			q := types.NewQueryClient(clientCtx)
			res, err := q.HotkeySubnets(cmd.Context(), &types.QueryHotkeySubnetsRequest{Hotkey: hotkey.String()})
			if err != nil {
				return err
			}
			if res.Coldkey == "" && len(res.Netuids) == 0 {
				return fmt.Errorf("hotkey %s is not registered: it has no owner and no UID on any subnet "+
					"(register it: tokenmindd tx subnets register NETUID --hotkey NAME --from COLDKEY)", hotkey)
			}
			if !table {
				return cliutil.PrintJSON(clientCtx.WithOutput(cmd.OutOrStdout()), res)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "hotkey %s\nowner  %s\n", hotkey, res.Coldkey)
			if len(res.Netuids) == 0 {
				_, err := fmt.Fprintln(w, "registered on no subnet now (its UIDs were replaced)")
				return err
			}
			t := cliutil.NewTable(w, "NETUID", "UID")
			for _, netuid := range res.Netuids {
				n, err := q.NeuronByHotkey(cmd.Context(), &types.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: hotkey.String()})
				if err != nil {
					return err
				}
				t.Row(strconv.FormatUint(uint64(netuid), 10), strconv.FormatUint(uint64(n.Neuron.Neuron.Uid), 10))
			}
			return t.Flush()
		},
	}
	queryFlags(cmd)
	cmd.Flags().Lookup(flags.FlagOutput).Usage = cliutil.OutputFlagHelp
	return cmd
}

// NewNeuronCmd shows one UID with every field (uid 0 included).
func NewNeuronCmd() *cobra.Command {
	return neuronCmd("neuron [netuid] [uid]", "Show a neuron by UID, with its epoch outputs, weights and bonds",
		func(cmd *cobra.Command, clientCtx client.Context, netuid uint32, arg string) (*types.QueryNeuronResponse, error) {
			uid, err := parseUID(arg)
			if err != nil {
				return nil, err
			}
			return types.NewQueryClient(clientCtx).Neuron(cmd.Context(), &types.QueryNeuronRequest{Netuid: netuid, Uid: uid})
		})
}

// NewNeuronByHotkeyCmd shows the UID a hotkey holds on a subnet, with every field.
func NewNeuronByHotkeyCmd() *cobra.Command {
	return neuronCmd("neuron-by-hotkey [netuid] [hotkey]", "Show a neuron by hotkey (a mind1... address or a key name)",
		func(cmd *cobra.Command, clientCtx client.Context, netuid uint32, arg string) (*types.QueryNeuronResponse, error) {
			hotkey, err := cliutil.AddressOrKey(clientCtx, "hotkey", arg)
			if err != nil {
				return nil, err
			}
			return types.NewQueryClient(clientCtx).NeuronByHotkey(cmd.Context(),
				&types.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: hotkey.String()})
		})
}

// neuronCmd is a query of one neuron by [netuid] and a second argument, printed with every field.
func neuronCmd(use, short string, query func(*cobra.Command, client.Context, uint32, string) (*types.QueryNeuronResponse, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			res, err := query(cmd, clientCtx, netuid, args[1])
			if err != nil {
				return err
			}
			return clientCtx.WithOutput(cmd.OutOrStdout()).PrintProto(res)
		},
	}
	queryFlags(cmd)
	return cmd
}
