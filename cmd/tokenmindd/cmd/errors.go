package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/internal/amount"
)

var (
	// The SDK's ABCI query path puts a gRPC status error's whole text (code and desc) into the ABCI log, and the
	// client makes a status of that log again: "rpc error: code = NotFound desc = rpc error: code = NotFound desc =".
	grpcPrefix = regexp.MustCompile(`rpc error: code = \w+ desc = `)
	// baseapp appends the SDK error it maps the status code to (gRPCErrorToSDKError).
	grpcSuffixes = []string{": key not found", ": invalid request", ": unknown request", ": unauthorized"}

	// autocli binds positional arguments through a flag set whose flags are named 0, 1, ...
	positionalErr = regexp.MustCompile(`^invalid argument "((?:[^"\\]|\\.)*)" for "--(\d+)" flag: (.*)$`)
	useArg        = regexp.MustCompile(`\[([^\]]+)\]`)
	// pflag reads "-5" as the shorthand flag -5.
	negativeArg = regexp.MustCompile(`^unknown shorthand flag: '.' in (-[0-9.]\S*)$`)
)

// ErrorMessage is what tokenmindd prints for a failed command. It is err.Error(), never fmt's %v of it (for errorsmod
// errors %v appends the source position, e.g. " [x/subnets/types/msgs.go:73]"), with the gRPC status text removed:
// "rpc error: code = NotFound desc = " (doubled by the SDK's query path) and the SDK error baseapp appends to it.
func ErrorMessage(err error) string {
	msg := err.Error()
	if !grpcPrefix.MatchString(msg) {
		return msg
	}
	msg = grpcPrefix.ReplaceAllString(msg, "")
	for _, s := range grpcSuffixes {
		msg = strings.TrimSuffix(msg, s)
	}
	return msg
}

// explainArgErrors makes every command's argument errors say which argument is wrong and what it should look like,
// and turns "unknown shorthand flag: '5' in -5" into a word about negative numbers.
func explainArgErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if m := negativeArg.FindStringSubmatch(err.Error()); m != nil {
			return fmt.Errorf("%s is negative: no argument of this command takes a negative number (amounts are "+
				"more than 0; %s)\nusage: %s", m[1], amount.Forms, c.UseLine())
		}
		return err
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				return NameArgument(cmd.Use, run(cmd, args))
			}
		}
		if check := c.Args; check != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return fmt.Errorf("%w\nusage: %s", err, cmd.UseLine())
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// NameArgument rewrites autocli's error for a bad positional argument, `invalid argument "mind1xyz" for "--0" flag:
// ...`, into one that names the argument as the command's usage does ([hotkey]) and says what it should look like.
// Other errors are returned unchanged.
func NameArgument(use string, err error) error {
	if err == nil {
		return nil
	}
	m := positionalErr.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	value, cause := m[1], m[3]
	idx, _ := strconv.Atoi(m[2])
	names := useArg.FindAllStringSubmatch(use, -1)
	name := fmt.Sprintf("argument %d", idx+1)
	if idx < len(names) {
		name = fmt.Sprintf("argument %d [%s]", idx+1, names[idx][1])
		if want := argumentForm(names[idx][1]); want != "" {
			cause = fmt.Sprintf("%s; want %s", simplifyCause(cause), want)
		}
	}
	if strings.Contains(cause, strconv.Quote(value)) { // the cause quotes the value already (amounts)
		return fmt.Errorf("%s: %s", name, cause)
	}
	return fmt.Errorf("%s: %q is not valid: %s", name, value, cause)
}

// argumentForm says what an argument of the given usage name looks like.
func argumentForm(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "hotkey"), strings.Contains(n, "coldkey"), strings.Contains(n, "address"),
		strings.Contains(n, "owner"), strings.Contains(n, "authority"):
		return "a mind1... address or the name of a key in the keyring (tokenmindd keys list)"
	case n == "netuid":
		return "a subnet number such as 1 (tokenmindd q subnets subnets)"
	case n == "uid":
		return "a UID such as 0 (tokenmindd q subnets metagraph NETUID)"
	case strings.Contains(n, "bps"):
		return "basis points, a whole number from 0 to 10000 (1800 = 18%)"
	case strings.Contains(n, "amount"):
		return "" // amount.Parse's error already lists the accepted forms
	}
	return ""
}

// simplifyCause turns strconv's wording into plain words.
func simplifyCause(cause string) string {
	switch {
	case strings.HasPrefix(cause, "strconv.") && strings.HasSuffix(cause, "invalid syntax"):
		return "not a whole number"
	case strings.HasPrefix(cause, "strconv.") && strings.HasSuffix(cause, "value out of range"):
		return "too large"
	}
	return cause
}
