// Package integration runs the whole tokenmind app in-process: real stores, real modules, real signed
// transactions delivered through FinalizeBlock and committed, so tests see what a node would.
package integration

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/app"
)

// ChainID of the in-process chain.
const ChainID = "tokenmind-test-1"

// DefaultBalance is what every named account starts with: 1,000,000 MIND.
var DefaultBalance = math.NewInt(1_000_000_000_000)

// Account is a named test key.
type Account struct {
	Name string
	Priv *secp256k1.PrivKey
	Addr sdk.AccAddress
}

// App is an in-process tokenmind node driven block by block.
type App struct {
	*app.App
	t        testing.TB
	valSet   *cmttypes.ValidatorSet
	height   int64
	time     time.Time
	accounts map[string]*Account
	names    []string
	rng      *rand.Rand
}

type config struct {
	genesis []func(genesis app.GenesisState, a *app.App)
	baseapp []func(*baseapp.BaseApp)
}

// Option configures the in-process chain.
type Option func(*config)

// WithGenesis changes the genesis before the chain starts.
func WithGenesis(f func(genesis app.GenesisState, a *app.App)) Option {
	return func(c *config) { c.genesis = append(c.genesis, f) }
}

// WithBaseAppOptions passes options to baseapp, e.g. baseapp.SetMinGasPrices.
func WithBaseAppOptions(o ...func(*baseapp.BaseApp)) Option {
	return func(c *config) { c.baseapp = append(c.baseapp, o...) }
}

// New starts a chain with the named accounts funded, commits block 1 and returns the app at height 1.
func New(tb testing.TB, names []string, opts ...Option) *App {
	tb.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{},
		append([]func(*baseapp.BaseApp){baseapp.SetChainID(ChainID)}, cfg.baseapp...)...)
	valSet, err := simtestutil.CreateRandomValidatorSet()
	if err != nil {
		tb.Fatal(err)
	}
	ia := &App{
		App: a, t: tb, valSet: valSet, accounts: map[string]*Account{}, rng: rand.New(rand.NewSource(1)),
		time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var genAccs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	for i, name := range names {
		priv := secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("tokenmind-test-%d-%s", i, name)))
		acc := &Account{Name: name, Priv: priv, Addr: sdk.AccAddress(priv.PubKey().Address())}
		ia.accounts[name] = acc
		ia.names = append(ia.names, name)
		genAccs = append(genAccs, authtypes.NewBaseAccount(acc.Addr, nil, uint64(i), 0))
		balances = append(balances, banktypes.Balance{
			Address: acc.Addr.String(),
			Coins:   sdk.NewCoins(sdk.NewCoin(app.BondDenom, DefaultBalance)),
		})
	}
	genesis, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, genAccs, balances...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range cfg.genesis {
		f(genesis, a)
	}
	stateBytes, err := json.Marshal(genesis)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.InitChain(&abci.RequestInitChain{
		ChainId: ChainID, ConsensusParams: consensusParams(), AppStateBytes: stateBytes,
		Time: ia.time,
	}); err != nil {
		tb.Fatal(err)
	}
	ia.NextBlock()
	return ia
}

// Account returns a named account.
func (a *App) Account(name string) *Account {
	acc, ok := a.accounts[name]
	if !ok {
		a.t.Fatalf("no test account %q", name)
	}
	return acc
}

// Height is the last committed height.
func (a *App) Height() int64 { return a.height }

// NextBlock finalizes and commits one block with the given raw txs and returns the results.
func (a *App) NextBlock(txs ...[]byte) *abci.ResponseFinalizeBlock {
	a.t.Helper()
	a.height++
	a.time = a.time.Add(time.Second)
	res, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: a.height, Time: a.time, Txs: txs, NextValidatorsHash: a.valSet.Hash(),
	})
	if err != nil {
		a.t.Fatalf("finalize block %d: %v", a.height, err)
	}
	if _, err := a.Commit(); err != nil {
		a.t.Fatalf("commit block %d: %v", a.height, err)
	}
	return res
}

// NextBlocks commits n empty blocks.
func (a *App) NextBlocks(n int) {
	for i := 0; i < n; i++ {
		a.NextBlock()
	}
}

// Ctx is a read context on the last committed state.
func (a *App) Ctx() sdk.Context {
	return a.NewContextLegacy(true, cmtproto.Header{Height: a.height, Time: a.time, ChainID: ChainID})
}

// SignTx builds and signs a tx; the first signer pays (zero fees: the test chain has no minimum gas price).
func (a *App) SignTx(msgs []sdk.Msg, signers ...*Account) []byte {
	a.t.Helper()
	ctx := a.Ctx()
	accNums := make([]uint64, len(signers))
	seqs := make([]uint64, len(signers))
	privs := make([]*secp256k1.PrivKey, len(signers))
	for i, s := range signers {
		acc := a.AccountKeeper.GetAccount(ctx, s.Addr)
		if acc == nil {
			a.t.Fatalf("signer %s (%s) has no account", s.Name, s.Addr)
		}
		accNums[i], seqs[i], privs[i] = acc.GetAccountNumber(), acc.GetSequence(), s.Priv
	}
	tx, err := simtestutil.GenSignedMockTx(a.rng, a.TxConfig(), msgs, sdk.NewCoins(), 2_000_000, ChainID, accNums, seqs, toPrivs(privs)...)
	if err != nil {
		a.t.Fatal(err)
	}
	bz, err := a.TxConfig().TxEncoder()(tx)
	if err != nil {
		a.t.Fatal(err)
	}
	return bz
}

// Deliver signs msgs, puts them in the next block alone and returns the tx result.
func (a *App) Deliver(msgs []sdk.Msg, signers ...*Account) *abci.ExecTxResult {
	a.t.Helper()
	res := a.NextBlock(a.SignTx(msgs, signers...))
	return res.TxResults[0]
}

// MustDeliver delivers and fails the test if the tx failed.
func (a *App) MustDeliver(msgs []sdk.Msg, signers ...*Account) *abci.ExecTxResult {
	a.t.Helper()
	r := a.Deliver(msgs, signers...)
	if r.Code != 0 {
		a.t.Fatalf("tx failed: codespace=%s code=%d log=%s", r.Codespace, r.Code, r.Log)
	}
	return r
}

// RequireError fails unless the tx failed with exactly the registered error want.
func (a *App) RequireError(r *abci.ExecTxResult, want *errorsmod.Error) {
	a.t.Helper()
	if r.Code != want.ABCICode() || r.Codespace != want.Codespace() {
		a.t.Fatalf("want error %s/%d (%s), got codespace=%q code=%d log=%s", want.Codespace(), want.ABCICode(),
			want.Error(), r.Codespace, r.Code, r.Log)
	}
}

// Balance returns an address's umind balance.
func (a *App) Balance(addr sdk.AccAddress) math.Int {
	return a.BankKeeper.GetBalance(a.Ctx(), addr, app.BondDenom).Amount
}

// Supply returns the total umind supply.
func (a *App) Supply() math.Int {
	return a.BankKeeper.GetSupply(a.Ctx(), app.BondDenom).Amount
}

// CheckTx runs a tx through CheckTx (the mempool's admission) and returns the result.
func (a *App) CheckTx(tx []byte) *abci.ResponseCheckTx {
	a.t.Helper()
	res, err := a.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
	if err != nil {
		a.t.Fatal(err)
	}
	return res
}

// SetGenesisModule replaces one module's genesis JSON, for use inside WithGenesis.
func SetGenesisModule(genesis app.GenesisState, a *app.App, module string, msg proto.Message) {
	genesis[module] = a.AppCodec().MustMarshalJSON(msg)
}

// WriteCtx returns a context whose writes land in the next block (use it to set up state that no Msg can, e.g.
// epoch outputs before x/emissions runs). Write everything before the next NextBlock or Deliver.
func (a *App) WriteCtx() sdk.Context {
	return a.NewNextBlockContext(cmtproto.Header{Height: a.height + 1, Time: a.time.Add(time.Second), ChainID: ChainID})
}

// MsgResponse decodes the first Msg response of a tx result.
func (a *App) MsgResponse(data []byte, resp proto.Message) {
	a.t.Helper()
	var msgData sdk.TxMsgData
	if err := a.AppCodec().Unmarshal(data, &msgData); err != nil {
		a.t.Fatal(err)
	}
	if len(msgData.MsgResponses) == 0 {
		a.t.Fatal("tx has no msg responses")
	}
	if err := a.AppCodec().Unmarshal(msgData.MsgResponses[0].Value, resp); err != nil {
		a.t.Fatal(err)
	}
}

// RequireEvent fails unless events contain a typed event of that proto name with the attribute key.
func RequireEvent(tb testing.TB, events []abci.Event, typ, attr string) {
	tb.Helper()
	for _, e := range events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == attr {
				return
			}
		}
	}
	tb.Fatalf("no %s event with attribute %s", typ, attr)
}

// consensusParams are the SDK's test defaults with the consensus-level authority set to our gov module account
// (the SDK's default spells it with the cosmos prefix).
func consensusParams() *cmtproto.ConsensusParams {
	cp := *simtestutil.DefaultConsensusParams
	cp.Authority = &cmtproto.AuthorityParams{Authority: app.GovAuthority()}
	return &cp
}
