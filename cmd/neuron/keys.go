package main

import (
	"fmt"

	"github.com/spf13/cobra"
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
