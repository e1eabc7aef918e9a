package keeper

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	"github.com/tokenmind/tokenmind/yuma"
)

// Paying an epoch: the owner cut (liquid) and the stake payouts (miners, validators' take, delegators), staked
// through x/stake in batches. What each position receives is decided here; how x/stake records it (one record per
// paid position and one per paid hotkey, shared with the epoch's stake snapshots) is in x/stake's README.

// Payout is one amount paid by an epoch.
type Payout struct {
	UID     uint32
	Hotkey  sdk.AccAddress
	Coldkey sdk.AccAddress
	Amount  math.Int
	Kind    types.PayoutKind
}

// PlanPayouts turns an epoch's output into payments, without moving coins: the owner cut (liquid, to the subnet
// owner), each miner's server emission (staked to its hotkey for its coldkey), and each validator's validator
// emission split into the take (staked for the hotkey's owner) and the rest to the hotkey's delegators in
// proportion to the stake of theirs that counts at this epoch (st.Counted: the least each position held since the
// subnet's previous epoch; largest remainder, ties to the lower coldkey). A position opened since the previous epoch
// gets nothing. When no position of the hotkey counts, the delegators' share is not paid: it stays in the subnet's
// pool for the next epoch (neither the owner nor stake that just arrived earns it). Σ amounts = owner cut + Σ server
// emission + Σ validator emission − Σ delegator shares of validators without counted stake.
func (k *Keeper) PlanPayouts(ctx context.Context, st *EpochState, out *yuma.EpochOutput) ([]Payout, error) {
	var pays []Payout
	if st.OwnerCut.IsPositive() {
		owner, err := sdk.AccAddressFromBech32(st.Subnet.Owner)
		if err != nil {
			return nil, err
		}
		pays = append(pays, Payout{UID: ^uint32(0), Coldkey: owner, Amount: st.OwnerCut, Kind: types.PAYOUT_KIND_OWNER})
	}
	for i := range st.Neurons {
		hk, ck := st.Hotkeys[i], st.Coldkeys[i]
		if e := out.ServerEmission[i]; e > 0 {
			pays = append(pays, Payout{UID: uint32(i), Hotkey: hk, Coldkey: ck, Amount: math.NewIntFromUint64(e), Kind: types.PAYOUT_KIND_INCENTIVE})
		}
		v := math.NewIntFromUint64(out.ValidatorEmission[i])
		if !v.IsPositive() {
			continue
		}
		take := bps(v, k.stake.GetTake(ctx, hk))
		rest := v.Sub(take)
		var counted []staketypes.CountedPosition
		if i < len(st.Counted) {
			counted = st.Counted[i].Positions
		}
		amts := make([]math.Int, len(counted))
		for j, p := range counted {
			amts[j] = p.Amount
		}
		// Parts sum to exactly rest when any position counts, and are all zero otherwise (rest stays in the pool).
		parts := SplitLargestRemainder(rest, amts)
		if take.IsPositive() {
			pays = append(pays, Payout{UID: uint32(i), Hotkey: hk, Coldkey: ck, Amount: take, Kind: types.PAYOUT_KIND_TAKE})
		}
		for j, p := range parts {
			if p.IsPositive() {
				pays = append(pays, Payout{UID: uint32(i), Hotkey: hk, Coldkey: counted[j].Coldkey, Amount: p, Kind: types.PAYOUT_KIND_DELEGATION})
			}
		}
	}
	return pays, nil
}

// payOut plans and executes the payouts; it returns what left the pool.
func (k *Keeper) payOut(ctx context.Context, st *EpochState, out *yuma.EpochOutput) (math.Int, error) {
	pays, err := k.PlanPayouts(ctx, st, out)
	if err != nil {
		return math.Int{}, err
	}
	staked, paid := math.ZeroInt(), math.ZeroInt()
	for _, p := range pays {
		paid = paid.Add(p.Amount)
		if p.Kind != types.PAYOUT_KIND_OWNER {
			staked = staked.Add(p.Amount)
		}
	}
	if staked.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.stakeModule, k.coins(staked)); err != nil {
			return math.Int{}, err
		}
	}
	// Each payout emits, in order, what paying it emits (bank transfer events for the owner's cut, EventStakeFromEmission
	// for a staked amount), then its EventPayout. Consecutive staked payouts are staked in one batch, which emits
	// the same events in the same order and leaves the same state as staking them one by one.
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	emitPayout := func(p Payout) {
		ev := types.EventPayout{Netuid: st.Subnet.Netuid, Uid: p.UID, Coldkey: p.Coldkey.String(), Amount: p.Amount, Kind: p.Kind}
		if len(p.Hotkey) > 0 {
			ev.Hotkey = p.Hotkey.String()
		}
		em.EmitEvent(ev.ToEvent()) // = EmitTypedEvent(&ev), without jsonpb
	}
	var credits []staketypes.EmissionCredit
	for i := 0; i < len(pays); {
		if pays[i].Kind == types.PAYOUT_KIND_OWNER {
			p := pays[i]
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, p.Coldkey, k.coins(p.Amount)); err != nil {
				return math.Int{}, err
			}
			emitPayout(p)
			i++
			continue
		}
		j := i
		for j < len(pays) && pays[j].Kind != types.PAYOUT_KIND_OWNER {
			j++
		}
		run := pays[i:j]
		credits = credits[:0]
		for _, p := range run {
			credits = append(credits, staketypes.EmissionCredit{Coldkey: p.Coldkey, Hotkey: p.Hotkey, Amount: p.Amount})
		}
		if err := k.stake.AddStakesFromEmission(ctx, credits, func(c int) error { emitPayout(run[c]); return nil }); err != nil {
			return math.Int{}, err
		}
		i = j
	}
	return paid, nil
}
