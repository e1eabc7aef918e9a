package stake_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tokenmind/tokenmind/x/stake"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

// TestAutoCLICoversEveryRPC fails when a Msg or Query is added without a CLI command.
func TestAutoCLICoversEveryRPC(t *testing.T) {
	opts := stake.AppModule{}.AutoCLIOptions()
	covered := func(rpcs []string, service string, methods []string) {
		set := map[string]bool{}
		for _, r := range rpcs {
			set[r] = true
		}
		for _, m := range methods {
			require.True(t, set[m], "%s.%s has no autocli command", service, m)
		}
	}
	var txs, qs []string
	for _, o := range opts.Tx.RpcCommandOptions {
		txs = append(txs, o.RpcMethod)
		if o.RpcMethod == "UpdateParams" {
			require.True(t, o.GovProposal, "UpdateParams must be a gov proposal")
		}
	}
	for _, o := range opts.Query.RpcCommandOptions {
		qs = append(qs, o.RpcMethod)
	}
	var msgMethods, queryMethods []string
	for _, m := range types.Msg_serviceDesc.Methods {
		msgMethods = append(msgMethods, m.MethodName)
	}
	for _, m := range types.Query_serviceDesc.Methods {
		queryMethods = append(queryMethods, m.MethodName)
	}
	require.Equal(t, types.Msg_serviceDesc.ServiceName, opts.Tx.Service)
	require.Equal(t, types.Query_serviceDesc.ServiceName, opts.Query.Service)
	covered(txs, "Msg", msgMethods)
	covered(qs, "Query", queryMethods)
}
