package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func testCmd() (*cobra.Command, *common, *string, *[]string) {
	c := &common{}
	root := &cobra.Command{Use: "neuron"}
	c.register(root)
	var model string
	var announce []string
	sub := &cobra.Command{Use: "miner", RunE: func(*cobra.Command, []string) error { return nil }}
	sub.Flags().StringVar(&model, "model", "full", "")
	sub.Flags().StringSliceVar(&announce, "announce", nil, "")
	root.AddCommand(sub)
	return sub, c, &model, &announce
}

func TestConfigFileSetsFlagsCommandLineWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "neuron.toml")
	cfg := "key = \"miner7\"\nnetuid = 3\nmodel = \"lite\"\nannounce = [\"/dns4/miner-7/tcp/4001\"]\nnode = \"10.0.0.1:9090\"\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	sub, c, model, announce := testCmd()
	if err := sub.Root().PersistentFlags().Set("node", "127.0.0.1:9191"); err != nil { // given on the command line
		t.Fatal(err)
	}
	if err := applyConfigFile(sub, path, true); err != nil {
		t.Fatal(err)
	}
	if c.key != "miner7" || c.netuid != 3 || *model != "lite" || len(*announce) != 1 || (*announce)[0] != "/dns4/miner-7/tcp/4001" {
		t.Fatalf("config not applied: key %q netuid %d model %q announce %v", c.key, c.netuid, *model, *announce)
	}
	if c.node != "127.0.0.1:9191" {
		t.Fatalf("the command-line --node was overridden by the file: %q", c.node)
	}
}

func TestConfigFileErrors(t *testing.T) {
	dir := t.TempDir()
	sub, _, _, _ := testCmd()
	if err := applyConfigFile(sub, filepath.Join(dir, "absent.toml"), false); err != nil {
		t.Fatalf("a missing default config file must be fine: %v", err)
	}
	if err := applyConfigFile(sub, filepath.Join(dir, "absent.toml"), true); err == nil {
		t.Fatal("a missing explicit --config file was accepted")
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("modle = \"full\"\n"), 0o600); err != nil { //nolint:misspell // the typo is what is tested
		t.Fatal(err)
	}
	if err := applyConfigFile(sub, bad, true); err == nil || !strings.Contains(err.Error(), "modle") { //nolint:misspell // the typo is what is tested
		t.Fatalf("a typo in the config file was not reported: %v", err)
	}
	wrong := filepath.Join(dir, "wrong.toml")
	if err := os.WriteFile(wrong, []byte("netuid = \"many\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := applyConfigFile(sub, wrong, true); err == nil {
		t.Fatal("a non-numeric netuid was accepted")
	}
}

// A key of another command (a miner's "model") is ignored by a command that has no such flag, so one home's file
// serves every command run on that home; a key that is no flag of any command is still an error.
func TestConfigFileKeysOfOtherCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "neuron.toml")
	if err := os.WriteFile(path, []byte("key = \"miner7\"\nmodel = \"lite\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	miner, c, _, _ := testCmd()
	keys := &cobra.Command{Use: "keys", RunE: func(*cobra.Command, []string) error { return nil }}
	miner.Root().AddCommand(keys)
	if err := applyConfigFile(keys, path, true); err != nil {
		t.Fatalf("a miner setting broke another command: %v", err)
	}
	if c.key != "miner7" {
		t.Fatalf("the shared setting key was not applied: %q", c.key)
	}
	if err := os.WriteFile(path, []byte("modle = \"lite\"\n"), 0o600); err != nil { //nolint:misspell // the typo is what is tested
		t.Fatal(err)
	}
	if err := applyConfigFile(keys, path, true); err == nil || !strings.Contains(err.Error(), "modle") { //nolint:misspell // the typo is what is tested
		t.Fatalf("a typo was not reported: %v", err)
	}
}
