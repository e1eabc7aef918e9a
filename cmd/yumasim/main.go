// Command yumasim runs Yuma Consensus scenarios offline.
//
//	yumasim simulate [--output table|json] FILE
//
// FILE is a scenario in the format of shared/yuma/vectors.json (a single epoch vector, an array
// of them, or a whole vectors document); "-" reads standard input. Every epoch's per-uid outputs
// are printed; the exit status is 1 when an expectation of the scenario fails and 2 on a usage
// or input error. The logic lives in package yuma/scenario (scenario.Simulate) so that
// `tokenmindd yuma simulate` can expose the same command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tokenmind/tokenmind/yuma/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: yumasim simulate [--output table|json] FILE")
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "simulate" {
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("output", scenario.OutputTable, "output format: table or json")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		usage(stderr)
		return 2
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "yumasim:", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	err := scenario.Simulate(in, stdout, scenario.SimulateOptions{Output: *output})
	switch {
	case err == nil:
		return 0
	case errors.Is(err, scenario.ErrExpectations):
		fmt.Fprintln(stderr, "yumasim:", err)
		return 1
	default:
		fmt.Fprintln(stderr, "yumasim:", err)
		return 2
	}
}
