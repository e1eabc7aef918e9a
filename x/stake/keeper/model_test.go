package keeper_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

// The reference model: every position's amount over time, kept as a history of (step, amount) changes, applied one
// by one. It knows nothing of snapshots, anchors or records: the stake of a position that counts at an epoch of a
// subnet is read off the history as the least amount held between the subnet's previous epoch that recorded the
// hotkey and now (0 if the position did not exist at any point in between), and 0 for every position when there is
// no such epoch (the hotkey's first epoch there, its UID replaced since, or it had no stake then).

type histPoint struct {
	step   int
	amount int64
}

type stakeModel struct {
	step    int
	hist    map[string][]histPoint // position key -> changes, in step order
	anchors map[string]int         // (netuid, hotkey) -> step of the epoch that recorded the hotkey there
}

func posKey(h, c sdk.AccAddress) string { return string(h) + "/" + string(c) }
func netKey(n uint32, h sdk.AccAddress) string {
	return fmt.Sprintf("%d/%s", n, h)
}

func (m *stakeModel) amount(h, c sdk.AccAddress) int64 {
	hs := m.hist[posKey(h, c)]
	if len(hs) == 0 {
		return 0
	}
	return hs[len(hs)-1].amount
}

// change records the position's new amount at the current step.
func (m *stakeModel) change(h, c sdk.AccAddress, delta int64) {
	k := posKey(h, c)
	m.hist[k] = append(m.hist[k], histPoint{m.step, m.amount(h, c) + delta})
}

// leastSince is the least amount the position held from step `from` (its amount then) to now.
func (m *stakeModel) leastSince(h, c sdk.AccAddress, from int) int64 {
	var atFrom int64 // 0 when the position did not exist yet
	least := int64(-1)
	for _, p := range m.hist[posKey(h, c)] {
		if p.step <= from {
			atFrom = p.amount
			continue
		}
		if least < 0 || p.amount < least {
			least = p.amount
		}
	}
	if least < 0 || atFrom < least {
		least = atFrom
	}
	return least
}

// counted is what counts of hotkey h at an epoch of netuid n now, per coldkey (positive only, in coldkeys order).
func (m *stakeModel) counted(n uint32, h sdk.AccAddress, coldkeys []sdk.AccAddress) ([]types.CountedPosition, int64) {
	from, ok := m.anchors[netKey(n, h)]
	if !ok {
		return nil, 0
	}
	var out []types.CountedPosition
	var total int64
	for _, c := range coldkeys {
		if v := m.leastSince(h, c, from); v > 0 {
			out = append(out, types.CountedPosition{Coldkey: c, Amount: math.NewInt(v)})
			total += v
		}
	}
	return out, total
}

// chooser supplies the random choices: a seeded PRNG in the test, the fuzzer's bytes in the fuzz target.
type chooser interface{ intn(n int) int }

type rngChooser struct{ r *rand.Rand }

func (c rngChooser) intn(n int) int { return c.r.IntN(n) }

type byteChooser struct {
	b   []byte
	end bool
}

func (c *byteChooser) intn(n int) int {
	if len(c.b) < 2 {
		c.end = true
		return 0
	}
	v := int(binary.LittleEndian.Uint16(c.b))
	c.b = c.b[2:]
	return v % n
}

// runStakeModel runs ops random operations — stake, unstake, move, an epoch with its payouts (snapshot, then credits
// staked in one batch as x/emissions does), a hotkey replaced on a subnet, snapshot pruning — on the keeper and on
// the model, and after each one requires every position, total, query and counted stake to match the model exactly.
func runStakeModel(t *testing.T, ch chooser, ops int, done func() bool) {
	t.Helper()
	f := testutil.NewFixture(t)
	hotkeys := make([]sdk.AccAddress, 4)
	coldkeys := make([]sdk.AccAddress, 5) // in byte order: the keeper lists positions in coldkey order
	for i := range coldkeys {
		coldkeys[i] = testutil.Addr(fmt.Sprintf("model-cold-%d", i))
		f.Fund(t, coldkeys[i], 1_000_000_000)
	}
	sortAddrs(coldkeys)
	for i := range hotkeys {
		hotkeys[i] = testutil.Addr(fmt.Sprintf("model-hot-%d", i))
		f.Subnets.Register(hotkeys[i], coldkeys[i])
	}
	subnets := map[uint32][]sdk.AccAddress{1: {hotkeys[0], hotkeys[1], hotkeys[2]}, 2: {hotkeys[1], hotkeys[2], hotkeys[3]}, 3: {hotkeys[3], hotkeys[0]}}
	m := &stakeModel{hist: map[string][]histPoint{}, anchors: map[string]int{}}
	minStake := types.DefaultMinStake.Int64()

	positions := func() (hs, cs []sdk.AccAddress) {
		for _, h := range hotkeys {
			for _, c := range coldkeys {
				if m.amount(h, c) > 0 {
					hs, cs = append(hs, h), append(cs, c)
				}
			}
		}
		return hs, cs
	}
	for op := 0; op < ops && !done(); op++ {
		m.step++
		switch kind := ch.intn(10); {
		case kind < 3: // stake
			c, h := coldkeys[ch.intn(len(coldkeys))], hotkeys[ch.intn(len(hotkeys))]
			amt := minStake + int64(ch.intn(50_000))
			_, err := f.MsgServer.AddStake(f.Ctx, &types.MsgAddStake{Coldkey: c.String(), Hotkey: h.String(), Amount: math.NewInt(amt)})
			require.NoError(t, err)
			m.change(h, c, amt)
		case kind < 5: // unstake, sometimes all of it
			hs, cs := positions()
			if len(hs) == 0 {
				continue
			}
			i := ch.intn(len(hs))
			have := m.amount(hs[i], cs[i])
			amt := have
			if ch.intn(3) > 0 {
				amt = 1 + int64(ch.intn(int(have)))
			}
			_, err := f.MsgServer.RemoveStake(f.Ctx, &types.MsgRemoveStake{Coldkey: cs[i].String(), Hotkey: hs[i].String(), Amount: math.NewInt(amt)})
			require.NoError(t, err)
			m.change(hs[i], cs[i], -amt)
		case kind < 6: // move
			hs, cs := positions()
			if len(hs) == 0 {
				continue
			}
			i := ch.intn(len(hs))
			to := hotkeys[ch.intn(len(hotkeys))]
			if to.Equals(hs[i]) {
				continue
			}
			have := m.amount(hs[i], cs[i])
			amt := have
			if ch.intn(3) > 0 {
				amt = 1 + int64(ch.intn(int(have)))
			}
			_, err := f.MsgServer.MoveStake(f.Ctx, &types.MsgMoveStake{
				Coldkey: cs[i].String(), FromHotkey: hs[i].String(),
				ToHotkey: to.String(), Amount: math.NewInt(amt),
			})
			require.NoError(t, err)
			m.change(hs[i], cs[i], -amt)
			m.change(to, cs[i], amt)
		case kind < 8: // an epoch of one subnet, then its payouts
			n := uint32(1 + ch.intn(3))
			list := subnets[n]
			got, err := f.Keeper.SnapshotEpochStake(f.Ctx, n, list)
			require.NoError(t, err)
			var credits []types.EmissionCredit
			sum := int64(0)
			for i, h := range list {
				want, total := m.counted(n, h, coldkeys)
				require.Equal(t, math.NewInt(total), got[i].Total, "op %d: counted stake of hotkey %d on subnet %d", op, i, n)
				require.Equal(t, want, got[i].Positions, "op %d: counted positions of hotkey %d on subnet %d", op, i, n)
				// Recorded now; the payouts below come after the snapshot, as in an epoch.
				if m.hotkeyTotal(h, coldkeys) > 0 {
					m.anchors[netKey(n, h)] = m.step
				} else {
					delete(m.anchors, netKey(n, h))
				}
				// Incentive to the owner (staked even without counted stake), dividends split by counted stake:
				// floor shares, the remainder to the first counted position.
				if inc := int64(ch.intn(20_000)); inc > 0 {
					credits = append(credits, types.EmissionCredit{Coldkey: ownerOf(hotkeys, coldkeys, h), Hotkey: h, Amount: math.NewInt(inc)})
					sum += inc
				}
				div := int64(ch.intn(100_000))
				if total == 0 || div == 0 {
					continue
				}
				paid := int64(0)
				parts := make([]int64, len(want))
				for j, p := range want {
					parts[j] = div * p.Amount.Int64() / total
					paid += parts[j]
				}
				parts[0] += div - paid
				for j, p := range want {
					if parts[j] > 0 {
						credits = append(credits, types.EmissionCredit{Coldkey: p.Coldkey, Hotkey: h, Amount: math.NewInt(parts[j])})
						sum += parts[j]
					}
				}
			}
			m.step++
			if sum > 0 {
				f.FundStakeModule(t, math.NewInt(sum))
			}
			require.NoError(t, f.Keeper.AddStakesFromEmission(f.Ctx, credits, nil))
			for _, cr := range credits { // one by one
				m.change(cr.Hotkey, cr.Coldkey, cr.Amount.Int64())
			}
		case kind < 9: // a hotkey's UID replaced on a subnet
			n := uint32(1 + ch.intn(3))
			h := subnets[n][ch.intn(len(subnets[n]))]
			require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, n, h))
			delete(m.anchors, netKey(n, h))
		default: // EndBlock's bounded pruning, with a small budget
			_, err := f.Keeper.PruneSnapshots(f.Ctx, 1+ch.intn(3))
			require.NoError(t, err)
		}
		requireMatchesModel(t, f, m, hotkeys, coldkeys, subnets, op)
	}
}

func (m *stakeModel) hotkeyTotal(h sdk.AccAddress, coldkeys []sdk.AccAddress) int64 {
	total := int64(0)
	for _, c := range coldkeys {
		total += m.amount(h, c)
	}
	return total
}

func ownerOf(hotkeys, coldkeys []sdk.AccAddress, h sdk.AccAddress) sdk.AccAddress {
	for i, hk := range hotkeys {
		if hk.Equals(h) {
			return coldkeys[i]
		}
	}
	panic("unknown hotkey")
}

func sortAddrs(a []sdk.AccAddress) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && string(a[j]) < string(a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// requireMatchesModel compares every reader of stake with the model: GetStake, hotkey and chain totals, the
// Delegators and Positions queries, IterateDelegators, the counted stake of every hotkey on every subnet (read
// without recording), and the invariants.
func requireMatchesModel(t *testing.T, f *testutil.Fixture, m *stakeModel, hotkeys, coldkeys []sdk.AccAddress,
	subnets map[uint32][]sdk.AccAddress, op int,
) {
	t.Helper()
	chain := int64(0)
	byCold := make([]int64, len(coldkeys))
	for _, h := range hotkeys {
		var delegators []types.StakePosition
		for ci, c := range coldkeys {
			want := m.amount(h, c)
			require.Equal(t, math.NewInt(want), f.Keeper.GetStake(f.Ctx, c, h), "op %d: position %s/%s", op, h, c)
			if want > 0 {
				delegators = append(delegators, types.StakePosition{Coldkey: c.String(), Hotkey: h.String(), Amount: math.NewInt(want)})
			}
			byCold[ci] += want
		}
		total := m.hotkeyTotal(h, coldkeys)
		chain += total
		require.Equal(t, math.NewInt(total), f.Keeper.GetTotalHotkeyStake(f.Ctx, h), "op %d: hotkey total", op)
		res, err := f.QueryServer.Delegators(f.Ctx, &types.QueryDelegatorsRequest{Hotkey: h.String()})
		require.NoError(t, err)
		require.Equal(t, delegators, res.Delegators, "op %d: delegators of %s", op, h)
		require.Equal(t, math.NewInt(total), res.Total)
		var iterated []types.StakePosition
		require.NoError(t, f.Keeper.IterateDelegators(f.Ctx, h, func(c sdk.AccAddress, a math.Int) bool {
			iterated = append(iterated, types.StakePosition{Coldkey: c.String(), Hotkey: h.String(), Amount: a})
			return false
		}))
		require.Equal(t, delegators, iterated)
	}
	require.Equal(t, math.NewInt(chain), f.Keeper.GetTotalStake(f.Ctx), "op %d: chain total", op)
	for ci, c := range coldkeys {
		res, err := f.QueryServer.Positions(f.Ctx, &types.QueryPositionsRequest{Coldkey: c.String()})
		require.NoError(t, err)
		require.Equal(t, math.NewInt(byCold[ci]), res.Total, "op %d: positions total of %s", op, c)
		var want []types.StakePosition
		for _, p := range res.Positions {
			h, err := sdk.AccAddressFromBech32(p.Hotkey)
			require.NoError(t, err)
			want = append(want, types.StakePosition{Coldkey: c.String(), Hotkey: p.Hotkey, Amount: math.NewInt(m.amount(h, c))})
		}
		require.Equal(t, want, res.Positions, "op %d: positions of %s", op, c)
		n := 0
		for _, h := range hotkeys {
			if m.amount(h, c) > 0 {
				n++
			}
		}
		require.Len(t, res.Positions, n, "op %d: positions of %s", op, c)
	}
	for _, n := range []uint32{1, 2, 3} {
		for _, h := range subnets[n] {
			want, total := m.counted(n, h, coldkeys)
			got, err := f.Keeper.EpochStakePositions(f.Ctx, n, h)
			require.NoError(t, err)
			require.Equal(t, math.NewInt(total), got.Total, "op %d: counted on subnet %d", op, n)
			require.Equal(t, want, got.Positions, "op %d: counted positions on subnet %d", op, n)
		}
	}
	require.NoError(t, f.Keeper.CheckInvariants(f.Ctx), "op %d", op)
}

// TestStakeMatchesOneByOneModel: after random sequences of stake, unstake, move, epoch payouts, UID replacements and
// pruning, every position's stake, every total and every counted stake is what the one-by-one model gives, to the
// umind.
func TestStakeMatchesOneByOneModel(t *testing.T) {
	seeds := []uint64{1, 2, 3, 20261203}
	ops := 300
	if testing.Short() {
		seeds, ops = seeds[:1], 150
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			runStakeModel(t, rngChooser{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, ops, func() bool { return false })
		})
	}
}

// FuzzStakeModel drives the same comparison from the fuzzer's bytes (two bytes per choice).
func FuzzStakeModel(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 2, 0, 7, 0, 1, 0, 3, 0, 5, 0, 7, 0, 2, 0, 9, 0, 4, 0, 7, 0, 2, 0, 8, 0, 1, 0, 9, 0, 0, 0})
	f.Add([]byte("stake, unstake, move, epoch, replace and prune in some order"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ch := &byteChooser{b: data}
		runStakeModel(t, ch, 200, func() bool { return ch.end })
	})
}
