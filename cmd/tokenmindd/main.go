// Command tokenmindd is the tokenmind chain daemon and CLI.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/cmd/tokenmindd/cmd"
)

func main() {
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "TOKENMIND", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), "Error:", cmd.ErrorMessage(err))
		os.Exit(1)
	}
}
