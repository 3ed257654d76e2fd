// Quantile grids of 10^6 cells (the continuous designer's input): closed-form families against
// those whose quantile needs a root finder or an incomplete-beta inverse.
#include <benchmark/benchmark.h>

#include "dia/distribution.hpp"

namespace {

void BM_QuantileGrid(benchmark::State& state, const char* spec) {
  const auto d = *dia::parse_distribution(spec);
  for (auto _ : state) {
    benchmark::DoNotOptimize(dia::quantile_grid(*d, static_cast<std::size_t>(state.range(0))));
  }
}
BENCHMARK_CAPTURE(BM_QuantileGrid, uniform, "uniform(0,1)")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_QuantileGrid, exponential, "exponential(1)")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_QuantileGrid, lognormal, "lognormal(0,1)")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_QuantileGrid, beta, "beta(2,3)")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
