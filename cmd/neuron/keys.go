package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/neuron/validator"
)

func keysCmd(c *common) *cobra.Command {
	keys := &cobra.Command{Use: "keys", Short: "inspect hotkeys"}
	keys.AddCommand(&cobra.Command{
		Use:   "show-peer-id",
		Short: "print the libp2p peer ID derived from the hotkey (--key)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := c.identity()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), id.PeerID.String())
			return err
		},
	})
	return keys
}

func receiptsCmd() *cobra.Command {
	r := &cobra.Command{Use: "receipts", Short: "work with the signed answers a validator keeps"}
	var quiet bool
	verify := &cobra.Command{
		Use:   "verify FILE",
		Short: "check every receipt in a validator's receipt log (<home>/neuron/receipts-<netuid>.jsonl): hashes of the exact request and response bytes, and the miner's signature",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			ok, bad, err := validator.VerifyReceiptFile(args[0], func(r validator.ReceiptRecord, err error) {
				if err != nil {
					fmt.Fprintf(out, "INVALID %v\n", err)
				} else if !quiet {
					fmt.Fprintf(out, "ok  %s uid %d %s %s %s\n", r.Time.Format(time.RFC3339), r.UID, r.Hotkey, r.Task, r.Status)
				}
			})
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Fprintf(out, "%d receipts verified, %d invalid\n", ok, bad)
			if bad > 0 {
				return fmt.Errorf("%d receipts in %s do not verify", bad, args[0])
			}
			return nil
		},
	}
	verify.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only invalid receipts and the summary")
	r.AddCommand(verify)
	return r
}
