package vectortest

import (
	"fmt"
	"strings"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
)

// splitmix64 is a tiny deterministic generator for property checks (not for consensus).
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (s *splitmix64) intn(n int) int { return int(s.next() % uint64(n)) }

// propertyRounds is how many random graphs each (majority, shape) pair gets.
const propertyRounds = 20

// weightedMedianProperty re-runs the randomized property test of weighted_median described by the
// vector: n = 100 uids, stake either all 1 or random in {0, 1} (then normalised), non-decreasing
// scores, minority = max(total − majority, 0). The result must be one of the scores at the first
// cumulative-stake position >= minority (also the next score when the cumulative stake equals the
// minority exactly), for the sorted order and for random permutations of it.
func weightedMedianProperty(m *mathCase, in *descriptionIn) error {
	desc := in.Description
	if !strings.HasPrefix(desc, "randomized: n=100, majority in [0,1e-7,0.25,0.49,0.49,0.49,0.5,0.51,0.51,0.51,0.9999999,1] (f32)") {
		return fmt.Errorf("unknown property %q", desc)
	}
	if err := m.noExpected(); err != nil {
		return err
	}
	var majorities []yuma.I32F32
	for _, s := range []string{"0", "1e-7", "0.25", "0.49", "0.49", "0.49", "0.5", "0.51", "0.51", "0.51", "0.9999999", "1"} {
		f, err := literal.Fixed(s, literal.EncF32)
		if err != nil {
			return err
		}
		majorities = append(majorities, f)
	}
	const n = 100
	rng := splitmix64(20240601)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	perm := make([]int, n)
	for round := 0; round < propertyRounds; round++ {
		for _, majority := range majorities {
			for _, allowEqual := range []bool{false, true} {
				stake := make([]yuma.I32F32, n)
				score := make([]yuma.I32F32, n)
				var last yuma.I32F32
				for i := 0; i < n; i++ {
					if allowEqual {
						if rng.intn(2) == 1 {
							stake[i] = yuma.I32F32One
						}
						if rng.intn(2) == 1 {
							last += yuma.I32F32One
						}
						score[i] = last
					} else {
						stake[i] = yuma.I32F32One
						score[i] = yuma.I32F32FromInt(int64(i))
					}
				}
				yuma.InplaceNormalize(stake)
				total := yuma.Sum(stake)
				minority := total - majority
				if minority < 0 {
					minority = 0
				}
				var medians []yuma.I32F32
				contains := func(x yuma.I32F32) bool {
					for _, y := range medians {
						if y == x {
							return true
						}
					}
					return false
				}
				var medianStake, cum yuma.I32F32
				set := false
				for i := 0; i < n; i++ {
					cum += stake[i]
					if !set && cum >= minority {
						medianStake, set = cum, true
					}
					if set {
						if medianStake < cum {
							if medianStake == minority && !contains(score[i]) {
								medians = append(medians, score[i])
							}
							break
						}
						if !contains(score[i]) {
							medians = append(medians, score[i])
						}
					}
				}
				if len(medians) == 0 {
					medians = append(medians, 0)
				}
				got := yuma.WeightedMedian(stake, score, idx, minority, 0, total)
				if !contains(got) {
					m.c.check(false, "round %d majority %s: median %s not in %v", round, majority, got, medians)
					return nil
				}
				for p := 0; p < 10; p++ {
					for i := range perm {
						perm[i] = i
					}
					for i := n - 1; i > 0; i-- {
						j := rng.intn(i + 1)
						perm[i], perm[j] = perm[j], perm[i]
					}
					ps := make([]yuma.I32F32, n)
					pc := make([]yuma.I32F32, n)
					for i, k := range perm {
						ps[i], pc[i] = stake[k], score[k]
					}
					got := yuma.WeightedMedian(ps, pc, idx, minority, 0, total)
					if !contains(got) {
						m.c.check(false, "round %d majority %s permuted: median %s not in %v", round, majority, got, medians)
						return nil
					}
				}
			}
		}
	}
	m.c.check(true, "")
	return nil
}
