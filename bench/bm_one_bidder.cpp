// Benchmarks of the one-bidder designer: the sweep and the audit at m = 10^6, and the sweep
// against the CLP LP (the baseline) at the same sizes. bench/run_one_bidder.sh reports ratios.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "dia/audit.hpp"
#include "dia/lp_check.hpp"
#include "dia/one_bidder.hpp"

namespace {

// Random types: increasing values with random gaps, uneven probabilities (fixed seed).
dia::DiscreteTypes random_types(std::size_t m) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  dia::DiscreteTypes t;
  t.values.reserve(m);
  t.probabilities.reserve(m);
  double v = 0, total = 0;
  for (std::size_t k = 0; k < m; ++k) {
    t.values.push_back(v += 1e-3 + unit(rng));
    t.probabilities.push_back(std::exp(-5 * unit(rng)));
    total += t.probabilities.back();
  }
  for (double& p : t.probabilities) p /= total;
  return t;
}

void BM_Sweep(benchmark::State& state) {
  const auto types = random_types(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dia::solve_one_bidder_sweep(types));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Sweep)->Arg(250)->Arg(500)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

void BM_Audit(benchmark::State& state) {
  const auto types = random_types(static_cast<std::size_t>(state.range(0)));
  const auto sweep = dia::solve_one_bidder_sweep(types);
  for (auto _ : state) {
    benchmark::DoNotOptimize(dia::audit_one_bidder(types, sweep.mechanism, &sweep.plan));
  }
}
BENCHMARK(BM_Audit)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The baseline: one solve each (minutes at m = 1000), so excluded unless asked for by filter.
void BM_Lp(benchmark::State& state) {
  const auto types = random_types(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dia::solve_one_bidder_lp(types));
}
BENCHMARK(BM_Lp)->Arg(250)->Arg(500)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
