package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestErrorMessage: what tokenmindd prints for the errors a user meets — no source position, no gRPC status text.
func TestErrorMessage(t *testing.T) {
	// A real validation error from x/subnets (errorsmod-wrapped: fmt's %v would append "[.../msgs.go:NN]").
	invalid := (&subnetstypes.MsgCreateSubnet{
		Owner:    "mind1p2jnp385xswlrgkufesvrfj4q7xztpdkc9g86a",
		Identity: subnetstypes.SubnetIdentity{TaskKind: "ner"}, MaxCost: math.ZeroInt(),
	}).ValidateBasic()
	if invalid == nil {
		t.Fatal("MsgCreateSubnet without a name validated")
	}
	if !strings.Contains(fmt.Sprintf("%v", invalid), ".go:") {
		t.Fatalf("%%v of an errorsmod error no longer carries a source position (%v): this test no longer shows the fix", invalid)
	}
	// What the SDK's ABCI query path makes of a query server's NotFound status: the status text inside the log,
	// baseapp's SDK error after it, and a status of that again on the client.
	doubled := status.Error(codes.NotFound, status.Error(codes.NotFound,
		"netuid 7 (list subnets with: tokenmindd q subnets subnets): subnet not found").Error()+": key not found")

	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"validation error without source position", invalid, "name is required: invalid subnet identity"},
		{"doubled NotFound", doubled, "netuid 7 (list subnets with: tokenmindd q subnets subnets): subnet not found"},
		{
			"InvalidArgument", status.Error(codes.InvalidArgument, status.Error(codes.InvalidArgument, `hotkey "x" is not a mind1... address`).Error()+": invalid request"),
			`hotkey "x" is not a mind1... address`,
		},
		{"wrapped status", fmt.Errorf("balance of mind1abc: %w", doubled), "balance of mind1abc: netuid 7 (list subnets with: tokenmindd q subnets subnets): subnet not found"},
		{"plain error unchanged", errors.New("--hotkey is required: the keyring name"), "--hotkey is required: the keyring name"},
		{"key not found kept without status", errors.New("x: key not found"), "x: key not found"},
	} {
		if got := ErrorMessage(tc.err); got != tc.want {
			t.Errorf("%s: ErrorMessage = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNameArgument(t *testing.T) {
	for _, tc := range []struct {
		use, err, want string
	}{
		{
			"add [hotkey] [amount]", `invalid argument "mind1xyz" for "--0" flag: invalid account address or key name: decoding bech32 failed: invalid separator index 4`,
			`argument 1 [hotkey]: "mind1xyz" is not valid: invalid account address or key name: decoding bech32 failed: invalid separator index 4; want a mind1... address or the name of a key in the keyring (tokenmindd keys list)`,
		},
		{
			"add [hotkey] [amount]", `invalid argument "1.5" for "--1" flag: amount "1.5" has decimals, but umind (the unit when no denom is given) is the smallest unit; for MIND say so: 1.5MIND`,
			`argument 2 [amount]: amount "1.5" has decimals, but umind (the unit when no denom is given) is the smallest unit; for MIND say so: 1.5MIND`,
		},
		{
			"price [netuid]", `invalid argument "one" for "--0" flag: strconv.ParseUint: parsing "one": invalid syntax`,
			`argument 1 [netuid]: "one" is not valid: not a whole number; want a subnet number such as 1 (tokenmindd q subnets subnets)`,
		},
		{
			"set-take [hotkey] [take-bps]", `invalid argument "99999999999" for "--1" flag: strconv.ParseUint: parsing "99999999999": value out of range`,
			`argument 2 [take-bps]: "99999999999" is not valid: too large; want basis points, a whole number from 0 to 10000 (1800 = 18%)`,
		},
		{"odd", `invalid argument "x" for "--3" flag: bad`, `argument 4: "x" is not valid: bad`},
		{"add [hotkey] [amount]", `some other error`, `some other error`},
	} {
		if got := NameArgument(tc.use, errors.New(tc.err)).Error(); got != tc.want {
			t.Errorf("NameArgument(%q, %q)\n got  %q\n want %q", tc.use, tc.err, got, tc.want)
		}
	}
	if NameArgument("x", nil) != nil {
		t.Error("NameArgument(nil) is not nil")
	}
}

// runCLI runs tokenmindd in-process as main does (no node: these commands fail before anything is sent).
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	home := t.TempDir()
	root.SetArgs(append(args, "--home", home))
	err := svrcmd.Execute(root, "TOKENMIND", home)
	return out.String(), err
}

// TestCommandErrors: bad arguments are refused in the CLI, before anything is sent, with a message that names the
// argument and what it should look like.
func TestCommandErrors(t *testing.T) {
	const hot = "mind1eg0w8euj4j7zw3aerz4k67cpcjxtdtakzsdmdu"
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{
			[]string{"tx", "stake", "add", "mind1xyz", "5", "--from", "alice"},
			[]string{`argument 1 [hotkey]: "mind1xyz" is not valid`, "want a mind1... address or the name of a key"},
		},
		{
			[]string{"tx", "stake", "add", hot, "-5", "--from", "alice"},
			[]string{"-5 is negative", "usage: tokenmindd tx stake add [hotkey] [amount]"},
		},
		{
			[]string{"tx", "stake", "add", hot, "1.5", "--from", "alice"},
			[]string{`argument 2 [amount]: amount "1.5" has decimals`, "1.5MIND"},
		},
		{
			[]string{"tx", "stake", "add", hot, "10uatom", "--from", "alice"},
			[]string{`argument 2 [amount]: amount "10uatom" is in "uatom": only umind and MIND are accepted`},
		},
		{
			[]string{"tx", "stake", "remove", hot, "0", "--from", "alice"},
			[]string{`argument 2 [amount]: amount "0" is zero`},
		},
		{
			[]string{"tx", "stake", "move", hot, hot, "1.0000001MIND", "--from", "alice"},
			[]string{`argument 3 [amount]: amount "1.0000001MIND" has 7 decimals`},
		},
		{
			[]string{"q", "stake", "delegators", "mind1xyz"},
			[]string{`argument 1 [hotkey]: "mind1xyz" is not valid`},
		},
		{
			[]string{"q", "stake", "stake", hot},
			[]string{"accepts 2 arg(s), received 1", "usage: tokenmindd query stake stake [coldkey] [hotkey]"},
		},
		{
			[]string{"q", "subnets", "neuron", "one", "0"},
			[]string{`argument [netuid]: "one" is not a subnet number`},
		},
		{
			[]string{"q", "subnets", "hotkey", "nokey"},
			[]string{`argument [hotkey]: "nokey" is neither a mind1... address`, "tokenmindd keys list"},
		},
		{
			[]string{"q", "stake", "overview", "mind1xyz"},
			[]string{`argument [coldkey]: "mind1xyz" is neither a mind1... address`},
		},
		{
			[]string{"q", "subnets", "metagraph", "1", "-o", "yaml"},
			[]string{`--output "yaml": want table`},
		},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil {
			t.Errorf("tokenmindd %s succeeded:\n%s", strings.Join(tc.args, " "), out)
			continue
		}
		msg := ErrorMessage(err)
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("tokenmindd %s:\n got  %q\n want it to contain %q", strings.Join(tc.args, " "), msg, w)
			}
		}
		if strings.Contains(msg, `"--0"`) || strings.Contains(msg, "unknown shorthand flag") {
			t.Errorf("tokenmindd %s: raw flag error leaked: %q", strings.Join(tc.args, " "), msg)
		}
	}
}

// TestAmountFormsReachTheMsg: the forms an amount may take become the umind the Msg carries (printed with
// --generate-only, so nothing is sent).
func TestAmountFormsReachTheMsg(t *testing.T) {
	const hot, cold = "mind1eg0w8euj4j7zw3aerz4k67cpcjxtdtakzsdmdu", "mind1p2jnp385xswlrgkufesvrfj4q7xztpdkc9g86a"
	for in, want := range map[string]string{"10": `"10"`, "10umind": `"10"`, "1.5MIND": `"1500000"`, "2 MIND": `"2000000"`} {
		out, err := runCLI(t, "tx", "stake", "add", hot, in, "--from", cold, "--generate-only", "--chain-id", "x")
		if err != nil {
			t.Fatalf("stake add %s: %v\n%s", in, ErrorMessage(err), out)
		}
		if !strings.Contains(out, `"amount":`+want) {
			t.Errorf("stake add %s: tx has no amount %s:\n%s", in, want, out)
		}
	}
}
