// Package cli has the x/stake commands autocli cannot express: the portfolio view of a coldkey.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"

	"cosmossdk.io/math"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/internal/amount"
	"github.com/tokenmind/tokenmind/internal/cliutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// pageLimit is the page size the overview reads lists with; it follows next_key until the end.
const pageLimit = 200

// Overview is a coldkey's portfolio: its balance, the hotkeys it owns with where each is registered and what each
// earned at its subnets' last epochs, its stake on other hotkeys, and its pending unbondings. Amounts are umind.
type Overview struct {
	Coldkey       string          `json:"coldkey"`
	Height        uint64          `json:"height"`
	Balance       math.Int        `json:"balance"`
	Staked        math.Int        `json:"staked"`
	Unbonding     math.Int        `json:"unbonding"`
	SubnetsOwned  []uint32        `json:"subnets_owned"`
	Hotkeys       []OwnedHotkey   `json:"hotkeys"`
	Delegations   []Delegation    `json:"delegations"`
	Unbondings    []PendingUnbond `json:"unbondings"`
	TotalEmission math.Int        `json:"total_emission"`
}

// OwnedHotkey is one hotkey the coldkey registered (owns).
type OwnedHotkey struct {
	Hotkey        string         `json:"hotkey"`
	TotalStake    math.Int       `json:"total_stake"`
	OwnStake      math.Int       `json:"own_stake"`
	TakeBps       uint32         `json:"take_bps"`
	Delegators    []Delegation   `json:"delegators"`
	Registrations []Registration `json:"registrations"`
}

// Registration is the hotkey's UID on one subnet and its outputs at that subnet's last epoch (fractions are u16 of
// 65535, emission in umind).
type Registration struct {
	Netuid            uint32   `json:"netuid"`
	UID               uint32   `json:"uid"`
	Incentive         uint32   `json:"incentive"`
	Dividends         uint32   `json:"dividends"`
	Emission          math.Int `json:"emission"`
	ValidatorPermit   bool     `json:"validator_permit"`
	EpochHeight       uint64   `json:"epoch_height"`
	Active            bool     `json:"active"`
	ImmunityRemaining uint64   `json:"immunity_remaining"`
}

// Delegation is one stake position: a coldkey's stake on a hotkey.
type Delegation struct {
	Coldkey string   `json:"coldkey"`
	Hotkey  string   `json:"hotkey"`
	Amount  math.Int `json:"amount"`
}

// PendingUnbond is removed stake waiting to be paid back.
type PendingUnbond struct {
	Hotkey           string   `json:"hotkey"`
	Amount           math.Int `json:"amount"`
	CompletionHeight int64    `json:"completion_height"`
}

// BuildOverview reads a coldkey's portfolio with the existing queries: every subnet's metagraph (the UIDs whose
// coldkey it is), its stake positions, each owned hotkey's delegators and take, its unbondings and its balance.
func BuildOverview(ctx context.Context, conn grpc.ClientConnInterface, coldkey string) (*Overview, error) {
	sq, kq := subnetstypes.NewQueryClient(conn), types.NewQueryClient(conn)
	o := &Overview{
		Coldkey: coldkey, Staked: math.ZeroInt(), Unbonding: math.ZeroInt(), TotalEmission: math.ZeroInt(),
		SubnetsOwned: []uint32{}, Hotkeys: []OwnedHotkey{}, Delegations: []Delegation{}, Unbondings: []PendingUnbond{},
	}

	bal, err := banktypes.NewQueryClient(conn).Balance(ctx, &banktypes.QueryBalanceRequest{Address: coldkey, Denom: amount.Denom})
	if err != nil {
		return nil, fmt.Errorf("balance of %s: %w", coldkey, err)
	}
	o.Balance = bal.Balance.Amount

	owned := map[string]*OwnedHotkey{}
	var order []string
	own := func(hotkey string) *OwnedHotkey {
		if h, ok := owned[hotkey]; ok {
			return h
		}
		h := &OwnedHotkey{
			Hotkey: hotkey, TotalStake: math.ZeroInt(), OwnStake: math.ZeroInt(),
			Delegators: []Delegation{}, Registrations: []Registration{},
		}
		owned[hotkey] = h
		order = append(order, hotkey)
		return h
	}

	var next []byte
	for {
		subnets, err := sq.Subnets(ctx, &subnetstypes.QuerySubnetsRequest{Pagination: &query.PageRequest{Key: next, Limit: pageLimit}})
		if err != nil {
			return nil, fmt.Errorf("listing subnets: %w", err)
		}
		for _, s := range subnets.Subnets {
			if s.Owner == coldkey {
				o.SubnetsOwned = append(o.SubnetsOwned, s.Netuid)
			}
			mg, err := sq.Metagraph(ctx, &subnetstypes.QueryMetagraphRequest{Netuid: s.Netuid})
			if err != nil {
				return nil, fmt.Errorf("metagraph of subnet %d: %w", s.Netuid, err)
			}
			if mg.Height > o.Height {
				o.Height = mg.Height
			}
			for _, e := range mg.Neurons {
				if e.Neuron.Coldkey != coldkey {
					continue
				}
				h := own(e.Neuron.Hotkey)
				h.Registrations = append(h.Registrations, Registration{
					Netuid: s.Netuid, UID: e.Neuron.Uid, Incentive: e.Output.Incentive, Dividends: e.Output.Dividends,
					Emission: e.Output.Emission, ValidatorPermit: e.Output.ValidatorPermit, EpochHeight: e.Output.EpochHeight,
					Active: e.Active, ImmunityRemaining: e.ImmunityRemaining,
				})
				o.TotalEmission = o.TotalEmission.Add(e.Output.Emission)
			}
		}
		if next = subnets.GetPagination().GetNextKey(); len(next) == 0 {
			break
		}
	}

	// Positions: stake on hotkeys it owns counts as own stake; a hotkey it owns that holds no UID now (replaced) is
	// found through its owner record; the rest are delegations.
	for next = nil; ; {
		pos, err := kq.Positions(ctx, &types.QueryPositionsRequest{Coldkey: coldkey, Pagination: &query.PageRequest{Key: next, Limit: pageLimit}})
		if err != nil {
			return nil, fmt.Errorf("stake positions of %s: %w", coldkey, err)
		}
		o.Staked = pos.Total
		for _, p := range pos.Positions {
			if _, ok := owned[p.Hotkey]; !ok {
				hs, err := sq.HotkeySubnets(ctx, &subnetstypes.QueryHotkeySubnetsRequest{Hotkey: p.Hotkey})
				if err != nil {
					return nil, fmt.Errorf("owner of hotkey %s: %w", p.Hotkey, err)
				}
				if hs.Coldkey != coldkey {
					o.Delegations = append(o.Delegations, Delegation{Coldkey: coldkey, Hotkey: p.Hotkey, Amount: p.Amount})
					continue
				}
				own(p.Hotkey)
			}
			owned[p.Hotkey].OwnStake = p.Amount
		}
		if next = pos.GetPagination().GetNextKey(); len(next) == 0 {
			break
		}
	}

	for _, hk := range order {
		h := owned[hk]
		for next = nil; ; {
			d, err := kq.Delegators(ctx, &types.QueryDelegatorsRequest{Hotkey: hk, Pagination: &query.PageRequest{Key: next, Limit: pageLimit}})
			if err != nil {
				return nil, fmt.Errorf("delegators of %s: %w", hk, err)
			}
			h.TotalStake = d.Total
			for _, p := range d.Delegators {
				h.Delegators = append(h.Delegators, Delegation{Coldkey: p.Coldkey, Hotkey: hk, Amount: p.Amount})
			}
			if next = d.GetPagination().GetNextKey(); len(next) == 0 {
				break
			}
		}
		take, err := kq.Take(ctx, &types.QueryTakeRequest{Hotkey: hk})
		if err != nil {
			return nil, fmt.Errorf("take of %s: %w", hk, err)
		}
		h.TakeBps = take.TakeBps
		o.Hotkeys = append(o.Hotkeys, *h)
	}
	sort.SliceStable(o.Hotkeys, func(i, j int) bool { return o.Hotkeys[i].Hotkey < o.Hotkeys[j].Hotkey })

	for next = nil; ; {
		u, err := kq.Unbondings(ctx, &types.QueryUnbondingsRequest{Coldkey: coldkey, Pagination: &query.PageRequest{Key: next, Limit: pageLimit}})
		if err != nil {
			return nil, fmt.Errorf("unbondings of %s: %w", coldkey, err)
		}
		for _, e := range u.Unbondings {
			o.Unbondings = append(o.Unbondings, PendingUnbond{Hotkey: e.Hotkey, Amount: e.Amount, CompletionHeight: e.CompletionHeight})
			o.Unbonding = o.Unbonding.Add(e.Amount)
		}
		if next = u.GetPagination().GetNextKey(); len(next) == 0 {
			break
		}
	}
	sort.SliceStable(o.Unbondings, func(i, j int) bool { return o.Unbondings[i].CompletionHeight < o.Unbondings[j].CompletionHeight })
	return o, nil
}

// WriteOverview writes the portfolio as tables: a summary, one line per registration of each owned hotkey (a hotkey
// with no UID gets one line with "-"), stake on others' hotkeys, and pending unbondings with the blocks left.
func WriteOverview(w io.Writer, o *Overview) error {
	fmt.Fprintf(w, "coldkey %s at height %d\n", o.Coldkey, o.Height)
	fmt.Fprintf(w, "balance %s MIND   staked %s MIND   unbonding %s MIND   last-epoch emission of its hotkeys %s MIND\n",
		amount.FormatMIND(o.Balance), amount.FormatMIND(o.Staked), amount.FormatMIND(o.Unbonding),
		amount.FormatMIND(o.TotalEmission))
	if len(o.SubnetsOwned) > 0 {
		fmt.Fprintf(w, "owns subnets %s\n", joinUint(o.SubnetsOwned))
	}

	fmt.Fprintf(w, "\nHOTKEYS (%d)\n", len(o.Hotkeys))
	if len(o.Hotkeys) == 0 {
		fmt.Fprintln(w, "none: register one with tokenmindd tx subnets register NETUID --hotkey NAME --from COLDKEY")
	} else {
		t := cliutil.NewTable(w, "HOTKEY", "NETUID", "UID", "STAKE(MIND)", "OWN(MIND)", "DELEGATORS", "TAKE",
			"INCENTIVE", "DIVIDENDS", "EMISSION(MIND)", "VPERMIT", "ACTIVE")
		for _, h := range o.Hotkeys {
			common := []string{h.Hotkey}
			stake := []string{
				amount.FormatMIND(h.TotalStake), amount.FormatMIND(h.OwnStake),
				strconv.Itoa(len(h.Delegators)), fmt.Sprintf("%d.%02d%%", h.TakeBps/100, h.TakeBps%100),
			}
			if len(h.Registrations) == 0 {
				t.Row(append(append(common, "-", "-"), append(stake, "-", "-", "-", "-", "-")...)...)
				continue
			}
			for _, r := range h.Registrations {
				cells := append(append([]string{}, common...), strconv.FormatUint(uint64(r.Netuid), 10),
					strconv.FormatUint(uint64(r.UID), 10))
				cells = append(cells, stake...)
				cells = append(cells, cliutil.U16Fraction(r.Incentive), cliutil.U16Fraction(r.Dividends),
					amount.FormatMIND(r.Emission), cliutil.YesNo(r.ValidatorPermit), cliutil.YesNo(r.Active))
				t.Row(cells...)
			}
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nSTAKE ON OTHER HOTKEYS (%d)\n", len(o.Delegations))
	if len(o.Delegations) > 0 {
		t := cliutil.NewTable(w, "HOTKEY", "AMOUNT(MIND)")
		for _, d := range o.Delegations {
			t.Row(d.Hotkey, amount.FormatMIND(d.Amount))
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nUNBONDING (%d)\n", len(o.Unbondings))
	if len(o.Unbondings) > 0 {
		t := cliutil.NewTable(w, "HOTKEY", "AMOUNT(MIND)", "PAID AT HEIGHT", "BLOCKS LEFT")
		for _, u := range o.Unbondings {
			left := u.CompletionHeight - int64(o.Height)
			if left < 0 {
				left = 0
			}
			t.Row(u.Hotkey, amount.FormatMIND(u.Amount), strconv.FormatInt(u.CompletionHeight, 10), strconv.FormatInt(left, 10))
		}
		return t.Flush()
	}
	return nil
}

func joinUint(v []uint32) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += ", "
		}
		s += strconv.FormatUint(uint64(x), 10)
	}
	return s
}

// NewOverviewCmd is `tokenmindd q stake overview COLDKEY`.
func NewOverviewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "overview [coldkey]",
		Short: "A coldkey's portfolio: balance, its hotkeys (subnet, uid, stake, delegators, last epoch's earnings), stake on others, unbondings",
		Long: `Shows, for a coldkey (a mind1... address or a key name), every hotkey it owns: where each is registered
(netuid, uid), its total stake, the coldkey's own stake on it, its delegators and take, and its incentive, dividends
and emission at each subnet's last epoch; then the coldkey's stake on hotkeys of others and its pending unbondings.
A table by default; -o json prints every field (amounts in umind, fractions as u16 of 65535).`,
		Example: "tokenmindd q stake overview alice\ntokenmindd q stake overview mind1... -o json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			coldkey, err := cliutil.AddressOrKey(clientCtx, "coldkey", args[0])
			if err != nil {
				return err
			}
			table, err := cliutil.WantsTable(cmd, clientCtx)
			if err != nil {
				return err
			}
			o, err := BuildOverview(cmd.Context(), clientCtx, coldkey.String())
			if err != nil {
				return err
			}
			if table {
				return WriteOverview(cmd.OutOrStdout(), o)
			}
			return cliutil.WriteJSON(cmd.OutOrStdout(), o)
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	flags.AddKeyringFlags(cmd.Flags())
	cmd.Flags().Lookup(flags.FlagOutput).Usage = cliutil.OutputFlagHelp
	return cmd
}

// NewQueryCmd returns the hand-written x/stake queries; autocli adds the generated ones under the same parent.
func NewQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Query stake positions, delegators, takes, unbondings and a coldkey's overview",
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewOverviewCmd())
	return cmd
}
