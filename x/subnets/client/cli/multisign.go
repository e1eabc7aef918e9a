package cli

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
)

// signDirectMulti signs one tx with several keyring keys in SIGN_MODE_DIRECT. Every signer's SignerInfo must be
// in place before anyone signs (DIRECT signs over the AuthInfo), which the SDK's tx.Sign cannot do, so the
// placeholders are set first and each key then signs the same body and auth info with its own account number.
func signDirectMulti(ctx context.Context, clientCtx client.Context, txf tx.Factory, builder client.TxBuilder, names []string) error {
	type signer struct {
		name string
		data authsigning.SignerData
	}
	signers := make([]signer, 0, len(names))
	placeholders := make([]signing.SignatureV2, 0, len(names))
	for _, name := range names {
		rec, err := clientCtx.Keyring.Key(name)
		if err != nil {
			return fmt.Errorf("key %q not found in the keyring (tokenmindd keys list): %w", name, err)
		}
		pub, err := rec.GetPubKey()
		if err != nil {
			return err
		}
		addr := sdk.AccAddress(pub.Address())
		accNum, seq, err := clientCtx.AccountRetriever.GetAccountNumberSequence(clientCtx, addr)
		if err != nil {
			return fmt.Errorf("account %s (%s) not found on chain: it must hold funds before it can sign: %w", name, addr, err)
		}
		signers = append(signers, signer{name: name, data: authsigning.SignerData{
			ChainID: txf.ChainID(), AccountNumber: accNum, Sequence: seq, PubKey: pub, Address: addr.String(),
		}})
		placeholders = append(placeholders, signing.SignatureV2{
			PubKey: pub, Sequence: seq, Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT},
		})
	}
	if err := builder.SetSignatures(placeholders...); err != nil {
		return err
	}
	sigs := make([]signing.SignatureV2, len(signers))
	for i, s := range signers {
		bz, err := authsigning.GetSignBytesAdapter(ctx, clientCtx.TxConfig.SignModeHandler(), signing.SignMode_SIGN_MODE_DIRECT, s.data, builder.GetTx())
		if err != nil {
			return err
		}
		sig, _, err := clientCtx.Keyring.Sign(s.name, bz, signing.SignMode_SIGN_MODE_DIRECT)
		if err != nil {
			return fmt.Errorf("signing with %q: %w", s.name, err)
		}
		sigs[i] = signing.SignatureV2{
			PubKey: s.data.PubKey, Sequence: s.data.Sequence,
			Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT, Signature: sig},
		}
	}
	return builder.SetSignatures(sigs...)
}
