package keeper_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// keysWritten counts the keys one steady-state epoch of the bench subnet writes and deletes (each key once, by its
// last operation), per store, prefix byte and operation: "subnets/07 set" → count.
func keysWritten(t *testing.T, n, v, d int) map[string]int {
	t.Helper()
	c, netuid := benchSubnet(t, n, v, d)
	r := runOnce(t, c, netuid, func(ctx sdk.Context, p types.Params, s types.SubnetSchedule, now uint64) (math.Int, error) {
		return c.EmissionsKeeper.RunEpoch(ctx, p, s, now)
	})
	if r.err != "" {
		t.Fatal(r.err)
	}
	counts := map[string]int{}
	for _, name := range comparedStores {
		for _, w := range r.written[name] {
			op, key, _ := strings.Cut(w, " ")
			counts[fmt.Sprintf("%s/%s %s", name, key[:2], op)]++
		}
	}
	var lines []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range counts {
			if !yield(k) {
				return
			}
		}
	}) {
		lines = append(lines, fmt.Sprintf("%s: %d", k, counts[k]))
	}
	t.Logf("one epoch of %d UIDs × %d validators (%d delegators each), keys by store/prefix and last operation:\n%s",
		n, v, d, strings.Join(lines, "\n"))
	return counts
}

// TestEpochKeysWritten: an epoch writes its outputs as ceil(n/256) chunks, bond rows of validators only, and deletes
// no bond row that was not there. Run with -v to see the counts per prefix (docs/PERFORMANCE.md);
// EPOCH_KEYS_UIDS=4096 measures the large subnet.
func TestEpochKeysWritten(t *testing.T) {
	n := 1024
	if s := os.Getenv("EPOCH_KEYS_UIDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []int{0, 16} {
		counts := keysWritten(t, n, 64, d)
		sub := func(prefix byte, op string) int {
			return counts[fmt.Sprintf("%s/%02x %s", subnetstypes.StoreKey, prefix, op)]
		}
		if got, want := sub(subnetstypes.EpochOutputsKey[0], "set"), (n+subnetstypes.EpochOutputChunkSize-1)/subnetstypes.EpochOutputChunkSize; got != want {
			t.Errorf("d=%d: %d epoch output keys written, want %d chunks", d, got, want)
		}
		if got := sub(subnetstypes.BondsKey[0], "set"); got == 0 || got > 64 {
			t.Errorf("d=%d: %d bond rows written, want 1 to 64 (rows of validators only)", d, got)
		}
		if got := sub(subnetstypes.BondsKey[0], "delete"); got != 0 {
			t.Errorf("d=%d: %d bond rows deleted, none was stored", d, got)
		}
		if counts[staketypes.StoreKey+"/01 set"] == 0 {
			t.Errorf("d=%d: no stake position written: the epoch paid nothing", d)
		}
	}
}
