// Package yuma is a deterministic, bit-exact Go implementation of subtensor's Yuma Consensus
// (the "epoch"), written from ../shared/yuma/SPEC.md.
//
// Everything in this package uses integer arithmetic only. The fixed-point types reproduce the
// semantics of the substrate-fixed crate that subtensor uses:
//
//   - I32F32 (int64 raw bits, 32 fractional bits) for every epoch vector and matrix,
//   - I64F64 (128-bit raw bits, 64 fractional bits) for stake normalisation and the
//     bonds-moving-average ratio,
//   - the I96F32 / U96F32 / U64F64 conversions the reference uses to turn proportions into token
//     amounts and to aggregate mechanisms.
//
// Multiplication floors (towards −∞), division truncates (towards zero), SafeDiv returns 0 on a
// zero divisor or on overflow, and saturation happens exactly where the reference saturates.
//
// The package has four layers:
//
//  1. Fixed-point types and conversions (fixed.go, fixed128.go, exp.go).
//  2. The vector and matrix primitives of SPEC §3 and §10, dense and sparse (vector.go, dense.go,
//     sparse.go). They are exported so that test vectors and tools can exercise them one by one.
//  3. The epoch: RunEpoch (the sparse production epoch, epoch_mechanism) and RunEpochDense (the
//     dense test epoch, epoch_dense), both driven by an EpochInput and returning an EpochOutput
//     (epoch.go, epoch_dense.go).
//  4. Scheduling and emission helpers: BlocksUntilNextEpoch, LegacyBlocksUntilNextEpoch,
//     ActivityCutoffBlocks, SplitEmissions and AggregateMechanisms (schedule.go).
//
// No map is iterated, no floating point type is used and nothing depends on time or randomness,
// so the results are identical on every machine. Sparse epoch allocations grow with the number of
// stored weights and bonds (plus O(n) vectors), never with n².
package yuma
