package app

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"

	paymentskeeper "github.com/tokenmind/tokenmind/x/payments/keeper"
	paymentstypes "github.com/tokenmind/tokenmind/x/payments/types"
	subnetskeeper "github.com/tokenmind/tokenmind/x/subnets/keeper"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// MaxFreeHotkeyTxGas bounds the gas of a fee-free hotkey transaction.
const MaxFreeHotkeyTxGas = 2_000_000

// HotkeyFeeDecorator makes neuron upkeep free: a transaction whose every Msg is an operation a registered hotkey
// performs on its own subnet (MsgServe, MsgSetWeights,
// MsgCommitWeights, MsgRevealWeights, and x/payments' MsgClaim from a gateway hotkey registered on the channel's
// subnet) and that pays no fee skips fee deduction, provided each Msg would
// succeed now. A Msg that would fail (unregistered hotkey, rate limit) is rejected here, in CheckTx, so free
// transactions cannot spam blocks; the rate limits of the Msgs themselves bound how often a hotkey can use this.
// Transactions that pay a fee, or contain any other Msg, go through the SDK's DeductFeeDecorator unchanged.
type HotkeyFeeDecorator struct {
	subnets  *subnetskeeper.Keeper
	payments *paymentskeeper.Keeper
	inner    ante.DeductFeeDecorator
}

func (d HotkeyFeeDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	free, err := d.freeHotkeyTx(ctx, tx)
	if err != nil {
		return ctx, err
	}
	if free {
		return next(ctx, tx, simulate)
	}
	return d.inner.AnteHandle(ctx, tx, simulate, next)
}

func (d HotkeyFeeDecorator) freeHotkeyTx(ctx sdk.Context, tx sdk.Tx) (bool, error) {
	feeTx, ok := tx.(sdk.FeeTx)
	if !ok || !feeTx.GetFee().IsZero() || len(feeTx.FeeGranter()) != 0 {
		return false, nil
	}
	msgs := tx.GetMsgs()
	if len(msgs) == 0 {
		return false, nil
	}
	for _, m := range msgs {
		switch m.(type) {
		case *subnetstypes.MsgServe, *subnetstypes.MsgSetWeights, *subnetstypes.MsgCommitWeights, *subnetstypes.MsgRevealWeights,
			*paymentstypes.MsgClaim:
		default:
			return false, nil
		}
	}
	if feeTx.GetGas() > MaxFreeHotkeyTxGas {
		return false, fmt.Errorf("fee-free hotkey transactions may use at most %d gas; lower --gas or pay a fee", MaxFreeHotkeyTxGas)
	}
	for _, m := range msgs {
		var err error
		switch msg := m.(type) {
		case *subnetstypes.MsgServe:
			_, _, err = d.subnets.CheckServe(ctx, msg)
		case *subnetstypes.MsgSetWeights:
			err = d.subnets.CheckSetWeights(ctx, msg)
		case *subnetstypes.MsgCommitWeights:
			err = d.subnets.CheckCommitWeights(ctx, msg)
		case *subnetstypes.MsgRevealWeights:
			err = d.subnets.CheckRevealWeights(ctx, msg)
		case *paymentstypes.MsgClaim:
			// Gateway upkeep: signature, amounts, rate limit and registration, checked before the fee is waived.
			err = d.payments.CheckClaim(ctx, msg)
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

func newAnteHandler(options ante.HandlerOptions, subnets *subnetskeeper.Keeper, payments *paymentskeeper.Keeper) sdk.AnteHandler {
	return sdk.ChainAnteDecorators(
		ante.NewSetUpContextDecorator(),
		ante.NewExtensionOptionsDecorator(options.ExtensionOptionChecker),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(options.AccountKeeper),
		ante.NewConsumeGasForTxSizeDecorator(options.AccountKeeper),
		HotkeyFeeDecorator{
			subnets:  subnets,
			payments: payments,
			inner:    ante.NewDeductFeeDecorator(options.AccountKeeper, options.BankKeeper, options.FeegrantKeeper, options.TxFeeChecker),
		},
		ante.NewSetPubKeyDecorator(options.AccountKeeper),
		ante.NewValidateSigCountDecorator(options.AccountKeeper),
		ante.NewSigGasConsumeDecorator(options.AccountKeeper, options.SigGasConsumer),
		ante.NewSigVerificationDecorator(options.AccountKeeper, options.SignModeHandler, options.SigVerifyOptions...),
		ante.NewIncrementSequenceDecorator(options.AccountKeeper),
	)
}
