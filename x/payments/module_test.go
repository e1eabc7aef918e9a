package payments_test

import (
	"testing"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tokenmind/tokenmind/x/payments"
	"github.com/tokenmind/tokenmind/x/payments/types"
)

// TestAutoCLIMatchesServices: every Msg and Query RPC has a command, and every positional argument names a field of
// the RPC's request message (a wrong name would make tokenmindd fail at start-up).
func TestAutoCLIMatchesServices(t *testing.T) {
	opts := payments.AppModule{}.AutoCLIOptions()
	for _, svc := range []*autocliv1.ServiceCommandDescriptor{opts.Tx, opts.Query} {
		d, err := proto.HybridResolver.FindDescriptorByName(protoreflect.FullName(svc.Service))
		if err != nil {
			t.Fatalf("service %s: %v", svc.Service, err)
		}
		methods := d.(protoreflect.ServiceDescriptor).Methods()
		byName := map[string]*autocliv1.RpcCommandOptions{}
		for _, o := range svc.RpcCommandOptions {
			byName[o.RpcMethod] = o
		}
		for i := 0; i < methods.Len(); i++ {
			m := methods.Get(i)
			o, ok := byName[string(m.Name())]
			if !ok {
				t.Errorf("%s.%s has no autocli command", svc.Service, m.Name())
				continue
			}
			for _, arg := range o.PositionalArgs {
				if m.Input().Fields().ByName(protoreflect.Name(arg.ProtoField)) == nil {
					t.Errorf("%s: positional argument %q is not a field of %s", m.Name(), arg.ProtoField, m.Input().FullName())
				}
			}
			if m.Name() == "UpdateParams" && !o.GovProposal {
				t.Error("UpdateParams must be submitted as a gov proposal")
			}
		}
	}
	if opts.Tx.Service != types.Msg_serviceDesc.ServiceName || opts.Query.Service != types.Query_serviceDesc.ServiceName {
		t.Fatal("autocli names the wrong services")
	}
}
