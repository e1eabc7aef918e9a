package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// configPath is where neuron reads its settings unless --config says otherwise: <home>/config/neuron.toml.
func configPath(home string) string { return filepath.Join(home, "config", "neuron.toml") }

// applyConfigFile sets every flag of cmd that was not given on the command line from the TOML file, whose keys are
// the flag names (e.g. key = "miner1", node = "127.0.0.1:9090", model = "full"). Command-line flags win. A missing
// file is not an error unless it was named explicitly; a key that is no flag of any neuron command is, so typos do
// not pass silently. Keys of other commands are ignored, so one home's file serves every command run on it.
func applyConfigFile(cmd *cobra.Command, path string, explicit bool) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) && !explicit {
			return nil
		}
		return fmt.Errorf("config file %s: %w", path, err)
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("toml")
	if err := v.ReadInConfig(); err != nil {
		return fmt.Errorf("reading config file %s: %w", path, err)
	}
	// The command's own flags and those it inherits from its parents (persistent flags).
	flags := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	flags.AddFlagSet(cmd.Flags())
	flags.AddFlagSet(cmd.InheritedFlags())
	// A key that is a flag of another neuron command (e.g. a miner's "model" while running "keys show-peer-id" or
	// "health" with the miner's --home) is left alone; a key that is no flag of any command is a typo.
	known := allFlagNames(cmd.Root())
	for _, key := range v.AllKeys() {
		if flags.Lookup(key) == nil && !known[key] {
			return fmt.Errorf("config file %s: unknown setting %q (settings are flag names; see %s --help)",
				path, key, cmd.CommandPath())
		}
	}
	var firstErr error
	flags.VisitAll(func(f *pflag.Flag) {
		if firstErr != nil || f.Changed || !v.IsSet(f.Name) {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			if err := sv.Replace(v.GetStringSlice(f.Name)); err != nil {
				firstErr = fmt.Errorf("config file %s: %s: %w", path, f.Name, err)
			}
			return
		}
		if err := f.Value.Set(v.GetString(f.Name)); err != nil {
			firstErr = fmt.Errorf("config file %s: %s: %w", path, f.Name, err)
		}
	})
	return firstErr
}

// allFlagNames is the set of flag names of root and every command below it.
func allFlagNames(root *cobra.Command) map[string]bool {
	names := map[string]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) { names[f.Name] = true }
		c.Flags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return names
}
