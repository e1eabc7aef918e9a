package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// metric reads one sample (exact name with labels, as Prometheus prints it) from a metrics endpoint; ok=false when
// the endpoint or the sample is missing.
func metric(addr, sample string) (float64, bool) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(body), "\n") {
		if v, found := strings.CutPrefix(l, sample+" "); found {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}

// logLines returns the JSON log records of a neuron whose msg is msg.
func (p *neuronProc) logLines(msg string) []map[string]any {
	f, err := os.Open(p.log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func (p *neuronProc) alive() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return false
	default:
		return true
	}
}

// eventually polls cond every interval until it holds or d passes; it returns how long it took.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool, onFail func() string) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %s\n%s", what, d, onFail())
		}
		time.Sleep(500 * time.Millisecond)
	}
	return time.Since(start)
}

// validatorState is the neuron validator's persisted state file (neuron/validator/state.go).
type validatorState struct {
	LastPost uint64 `json:"last_post_height"`
	Pending  *struct {
		CommitHeight uint64 `json:"commit_height"`
		RevealEpoch  uint64 `json:"reveal_epoch"`
	} `json:"pending_commit"`
}

func readJSON(t *testing.T, path string, v any) bool {
	t.Helper()
	bz, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	if err := json.Unmarshal(bz, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return true
}

// TestNeuronFaults runs the neuron-level fault scenarios of the multi-node localnet with the real binaries on
// loopback: a chain, three miners (full, lite, broken: two request slots each) and a neuron validator with its
// gateway, on a subnet that uses commit-reveal. The miners admit the validator by its on-chain validator permit only.
//
//  3. A miner is cut off (SIGSTOP: its connections stay open, nothing answers): the validator's rounds still end at
//     the query timeout, the miner's score and then its incentive fall; after SIGCONT both come back.
//  4. The validator restarts while a weights commit is pending: the restarted process reveals that commit, its score
//     book continues where it stopped, and weights keep arriving every tempo.
//  5. A burst of queries larger than the miners can serve: every refusal is a typed RESOURCE_EXHAUSTED, nothing
//     crashes, and the gateway answers again once the burst ends.
func TestNeuronFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process fault test")
	}
	const tempo = 20
	n := StartNode(t, func(g map[string]any) {
		hp := dig(g, "app_state", "subnets", "params", "default_hyperparameters")
		hp["tempo"] = fmt.Sprint(tempo)
		hp["weights_rate_limit"] = "5"
		hp["commit_reveal_enabled"] = true
		hp["commit_reveal_period"] = "1"
	})
	n.CreateSubnet("entity extraction", "ner", "alice")
	n.Register(1, "alice", "validator1")
	n.Register(1, "bob", "miner1")
	n.Register(1, "bob", "miner2")
	n.Register(1, "bob", "miner3")
	valAddr, fullAddr, liteAddr := n.KeyAddr("validator1"), n.KeyAddr("miner1"), n.KeyAddr("miner2")
	n.TxOK("tx", "stake", "add", valAddr, "100000000", "--from", "alice")

	base := []string{"--home", n.Home(), "--keyring-backend", "test", "--node", n.GRPCAddr(), "--chain-id", n.ChainID(), "--netuid", "1", "--log-format", "json"}
	miners := map[string]*neuronProc{}
	for _, m := range [][2]string{{"miner1", "full"}, {"miner2", "lite"}, {"miner3", "broken"}} {
		// No --allow-peer: the miners admit the validator only once the chain gives it a validator permit (its stake
		// wins one at the first epoch), so this also runs the chain-fed handshake gater end to end.
		miners[m[0]] = startNeuron(t, append([]string{
			"miner", "--key", m[0], "--task", "ner", "--model", m[1], "--max-concurrent", "2",
			"--listen", "/ip4/127.0.0.1/tcp/0", "--metagraph-interval", "1s", "--addr-check-interval", "2s",
		}, base...)...)
	}
	for key, m := range miners {
		addr := n.KeyAddr(key)
		eventually(t, 60*time.Second, key+" serving on chain", func() bool { return len(n.servingAddrs(t, 1, addr)) > 0 }, m.tail)
	}

	const queryTimeout = 2 * time.Second
	gwAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	valArgs := append([]string{
		"validator", "--key", "validator1", "--round-interval", "1s", "--query-timeout", queryTimeout.String(),
		"--metagraph-interval", "1s", "--alpha", "0.5", "--gateway-addr", gwAddr, "--gateway-rate", "0",
		"--metrics-addr", metricsAddr, "--listen", "/ip4/127.0.0.1/tcp/0",
	}, base...)
	val := startNeuron(t, valArgs...)

	incentive := func(hotkey string) int {
		for _, r := range n.metagraph(1) {
			if r.Neuron.Hotkey == hotkey {
				return r.Output.Incentive
			}
		}
		return -1
	}
	var fullUID int
	for _, r := range n.metagraph(1) {
		if r.Neuron.Hotkey == fullAddr {
			fullUID = r.Neuron.Uid
		}
	}
	fullScoreMetric := fmt.Sprintf(`neuron_validator_miner_score{uid="%d"}`, fullUID)
	fullScore := func() float64 { v, _ := metric(metricsAddr, fullScoreMetric); return v }

	// Steady state: commit-reveal weights have turned into incentive with the full model on top.
	took := eventually(t, 180*time.Second, "incentive full > lite > 0", func() bool {
		f, l := incentive(fullAddr), incentive(liteAddr)
		return f > l && l > 0
	}, val.tail)
	incBefore, scoreBefore := incentive(fullAddr), fullScore()
	t.Logf("steady state after %s: full miner incentive %d, score %.3f; lite incentive %d", took.Round(time.Second), incBefore, scoreBefore, incentive(liteAddr))

	// 3. Cut the full miner off.
	roundsBefore := len(val.logLines("round done"))
	cutAt := time.Now()
	if err := miners["miner1"].cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	var cutRounds []map[string]any
	eventually(t, 60*time.Second, "three rounds with the cut-off miner failing", func() bool {
		cutRounds = nil
		for _, r := range val.logLines("round done")[roundsBefore:] {
			if r["failed"].(float64) >= 1 {
				cutRounds = append(cutRounds, r)
			}
		}
		return len(cutRounds) >= 3
	}, val.tail)
	longest := 0.0
	for _, r := range cutRounds {
		ms := r["duration_ms"].(float64)
		longest = max(longest, ms)
		if ms > float64((queryTimeout + 1500*time.Millisecond).Milliseconds()) {
			t.Fatalf("a round with a cut-off miner took %.0f ms; the query timeout is %s", ms, queryTimeout)
		}
	}
	eventually(t, 60*time.Second, "the cut-off miner's score falls below a quarter", func() bool { return fullScore() < scoreBefore/4 }, val.tail)
	scoreFell := time.Since(cutAt)
	eventually(t, 150*time.Second, "the cut-off miner's incentive halves", func() bool { return incentive(fullAddr) < incBefore/2 }, val.tail)
	incFell := time.Since(cutAt)
	t.Logf("scenario 3, cut off: %d rounds with it failing, the longest %.0f ms (query timeout %s); its score %.3f -> %.3f within %s, its incentive %d -> %d within %s of the cut",
		len(cutRounds), longest, queryTimeout, scoreBefore, fullScore(), scoreFell.Round(time.Second), incBefore, incentive(fullAddr), incFell.Round(time.Second))
	contAt := time.Now()
	if err := miners["miner1"].cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	eventually(t, 60*time.Second, "the returned miner's score recovers", func() bool { return fullScore() > scoreBefore*0.75 }, miners["miner1"].tail)
	scoreBack := time.Since(contAt)
	eventually(t, 150*time.Second, "the returned miner's incentive recovers to the top", func() bool {
		f := incentive(fullAddr)
		return f > incBefore/2 && f > incentive(liteAddr)
	}, val.tail)
	t.Logf("scenario 3, back: score %.3f within %s, incentive %d (top again) within %s of its return", fullScore(), scoreBack.Round(time.Second), incentive(fullAddr), time.Since(contAt).Round(time.Second))

	// 4. Restart the validator while a commit is pending (committed on chain, not yet revealed).
	statePath := filepath.Join(n.Home(), "neuron", "validator-1.json")
	scoresPath := filepath.Join(n.Home(), "neuron", "scores-1.json")
	type book struct {
		Entries map[string]struct {
			Samples uint64 `json:"samples"`
		} `json:"entries"`
	}
	var st validatorState
	var saved book
	for attempt := 0; ; attempt++ {
		eventually(t, 90*time.Second, "a landed commit awaiting its reveal", func() bool {
			return readJSON(t, statePath, &st) && st.Pending != nil && st.LastPost == st.Pending.CommitHeight
		}, val.tail)
		val.stop()
		st = validatorState{}
		readJSON(t, statePath, &st)
		if st.Pending != nil {
			break
		}
		if attempt == 3 {
			t.Fatal("the validator revealed before every stop; no pending commit to carry over")
		}
		val = startNeuron(t, valArgs...) // it revealed between our look and the stop: try the next commit
	}
	readJSON(t, scoresPath, &saved)
	samplesBefore := saved.Entries[strconv.Itoa(fullUID)].Samples
	restarted := time.Now()
	val = startNeuron(t, valArgs...)
	// The restarted process takes the commit up from its state file: it reveals it, or — when the stopped process had
	// already broadcast that reveal as it was stopped and the chain included it — the chain answers that nothing is
	// pending and the commit is dropped. Either way the commit made before the restart is acted on, not lost.
	outcome := ""
	revealed := eventually(t, 90*time.Second, "the restarted validator takes up the commit made before the restart", func() bool {
		for _, r := range val.logLines("weights tx included") {
			if r["kind"] == "reveal" && uint64(r["commit_height"].(float64)) == st.Pending.CommitHeight {
				outcome = "revealed by the restarted process"
				return true
			}
		}
		for _, r := range val.logLines("dropping the pending commit") {
			if uint64(r["commit_height"].(float64)) == st.Pending.CommitHeight {
				outcome = "already revealed by the stopping process (the chain had nothing pending)"
				return true
			}
		}
		return false
	}, val.tail)
	var after book
	eventually(t, 30*time.Second, "the score book continues after the restart", func() bool {
		return readJSON(t, scoresPath, &after) && after.Entries[strconv.Itoa(fullUID)].Samples > samplesBefore
	}, val.tail)
	var updates []uint64
	eventually(t, 120*time.Second, "two more weight updates on chain after the restart", func() bool {
		var lu uint64
		var mg struct {
			Neurons []struct {
				Neuron struct {
					Hotkey     string   `json:"hotkey"`
					LastUpdate flexUint `json:"last_update"`
				} `json:"neuron"`
			} `json:"neurons"`
		}
		if err := json.Unmarshal(n.Query("q", "subnets", "metagraph", "1"), &mg); err != nil {
			t.Fatal(err)
		}
		for _, e := range mg.Neurons {
			if e.Neuron.Hotkey == valAddr {
				lu = uint64(e.Neuron.LastUpdate)
			}
		}
		if len(updates) == 0 || lu > updates[len(updates)-1] {
			updates = append(updates, lu)
		}
		return len(updates) >= 3
	}, val.tail)
	for i := 1; i < len(updates); i++ {
		if gap := updates[i] - updates[i-1]; gap > 3*tempo {
			t.Fatalf("weights updates at heights %v: a gap of %d blocks (tempo %d)", updates, gap, tempo)
		}
	}
	t.Logf("scenario 4: pending commit of height %d %s, %s after the restart; score samples %d -> %d; weight updates at heights %v (tempo %d) within %s",
		st.Pending.CommitHeight, outcome, revealed.Round(time.Second), samplesBefore, after.Entries[strconv.Itoa(fullUID)].Samples, updates, tempo, time.Since(restarted).Round(time.Second))

	// 5. A burst of queries on long texts, each for the single best miner (two request slots).
	conn, err := grpc.NewClient(gwAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec())))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	gw := types.NewGatewayClient(conn)
	long := strings.Repeat("Angela Merkel met Emmanuel Macron in Berlin on Tuesday. ", 200)[:ner.MaxTextBytes-64]
	payload, _ := json.Marshal(ner.Request{Text: long})
	const total, parallel = 240, 48
	var mu sync.Mutex
	codesSeen := map[codes.Code]int{}
	var firstOther error
	jobs := make(chan struct{}, total)
	for i := 0; i < total; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	burstStart := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				_, err := gw.Query(ctx, &types.GatewayQueryRequest{Task: ner.Name, Payload: payload, TopK: 1})
				cancel()
				c := status.Code(err)
				mu.Lock()
				codesSeen[c]++
				if c != codes.OK && c != codes.ResourceExhausted && firstOther == nil {
					firstOther = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	burst := time.Since(burstStart)
	if firstOther != nil || codesSeen[codes.ResourceExhausted] == 0 || codesSeen[codes.OK] == 0 {
		t.Fatalf("burst of %d (%d at once): codes %v; want OK and RESOURCE_EXHAUSTED only (first other: %v)\n%s", total, parallel, codesSeen, firstOther, val.tail())
	}
	for name, p := range map[string]*neuronProc{"validator": val, "miner1": miners["miner1"], "miner2": miners["miner2"], "miner3": miners["miner3"]} {
		if !p.alive() {
			t.Fatalf("%s died during the burst\n%s", name, p.tail())
		}
	}
	if v, ok := metric(metricsAddr, `neuron_gateway_requests_total{code="ResourceExhausted",method="Query"}`); !ok || v == 0 {
		t.Fatalf("the gateway's metrics do not count the refusals (%v, %v)", v, ok)
	}
	back := eventually(t, 30*time.Second, "a query succeeds after the burst", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := gw.Query(ctx, &types.GatewayQueryRequest{Task: ner.Name, Payload: payload})
		return err == nil
	}, val.tail)
	t.Logf("scenario 5: %d queries (%d at once) in %s: %d OK, %d RESOURCE_EXHAUSTED; service back %s after the burst",
		total, parallel, burst.Round(time.Millisecond), codesSeen[codes.OK], codesSeen[codes.ResourceExhausted], back.Round(time.Millisecond))
}
