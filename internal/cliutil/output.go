package cliutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
)

// Output formats of the commands with a table view. "text" (the SDK's default for humans) prints the table too.
const (
	OutputTable = "table"
	OutputJSON  = "json"
	OutputText  = "text"
)

// OutputFlagHelp is the --output help of commands that print tables.
const OutputFlagHelp = "table (the default; also 'text') or json (every field, zeros included)"

// WantsTable reports whether the command should print a table (-o table or text) or JSON (-o json); any other value
// is an error that names the accepted ones.
func WantsTable(cmd *cobra.Command, clientCtx client.Context) (bool, error) {
	f := clientCtx.OutputFormat
	if cmd.Flags().Changed(flags.FlagOutput) {
		f, _ = cmd.Flags().GetString(flags.FlagOutput)
	}
	switch strings.ToLower(f) {
	case "", OutputTable, OutputText:
		return true, nil
	case OutputJSON:
		return false, nil
	default:
		return false, fmt.Errorf("--output %q: want %s", f, OutputFlagHelp)
	}
}

// PrintJSON prints a response as JSON with every field, zeros included (uid 0, false, empty lists), unlike the
// generated commands, whose amino-JSON printer omits them.
func PrintJSON(clientCtx client.Context, msg proto.Message) error {
	return clientCtx.WithOutputFormat(OutputJSON).PrintProto(msg)
}

// Table writes aligned columns: Row adds one line, Flush writes them.
type Table struct {
	w *tabwriter.Writer
}

// NewTable starts a table with its header.
func NewTable(out io.Writer, header ...string) *Table {
	t := &Table{w: tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)}
	t.Row(header...)
	return t
}

// Row adds one line.
func (t *Table) Row(cells ...string) {
	_, _ = fmt.Fprintln(t.w, strings.Join(cells, "\t"))
}

// Flush writes the table.
func (t *Table) Flush() error { return t.w.Flush() }

// U16Fraction renders a fraction stored as u16 of 65535 with four decimals: 65535 → "1.0000", 32767 → "0.5000".
func U16Fraction(v uint32) string {
	// round half up to 4 decimals in integers: v*10000/65535
	x := (uint64(v)*20000 + 65535) / (2 * 65535)
	return fmt.Sprintf("%d.%04d", x/10000, x%10000)
}

// YesNo renders a flag in a table.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// WriteJSON writes v as indented JSON (for views that are not one proto message, such as the stake overview).
func WriteJSON(w io.Writer, v any) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", bz)
	return err
}
