package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/yuma/scenario"
)

// YumaCmd groups the offline Yuma Consensus tools.
func YumaCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "yuma", Short: "Offline Yuma Consensus tools (no node needed)"}
	cmd.AddCommand(yumaSimulateCmd())
	return cmd
}

func yumaSimulateCmd() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "simulate [scenario.json|-]",
		Short: "Run a Yuma Consensus scenario and print each epoch's per-UID outputs",
		Long: `Runs a scenario in the format of the Yuma test vectors (initial state, steps of actions and epochs, optional
expectations) through the same Yuma package the chain uses, and prints each epoch's stake, consensus, incentive,
dividends, validator trust, emission, bonds and permits per UID. Exits non-zero when an expectation fails.
The format is documented in yuma/README.md; yuma/testdata/example_scenario.json is a worked example.`,
		Example: "tokenmindd yuma simulate yuma/testdata/example_scenario.json --output json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("opening scenario: %w", err)
				}
				defer f.Close()
				in = f
			}
			return scenario.Simulate(in, cmd.OutOrStdout(), scenario.SimulateOptions{Output: output})
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", scenario.OutputTable, "output format: table or json")
	return cmd
}
