// Benchmarks of the n-bidder designer: a certified solve (the structured construction of
// docs/model.md#structured plus the audit of its Border-multiplier certificate) on quantile grids
// of uniform(0,1) and beta(2,5), against the baseline, the full (LP) with Border rows through CLP,
// at the sizes it can still do. bench/run_symmetric.sh reports the ratios.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "dia/audit.hpp"
#include "dia/distribution.hpp"
#include "dia/lp_check.hpp"
#include "dia/symmetric.hpp"

namespace {

dia::DiscreteTypes grid(int family, std::size_t cells) {
  return dia::quantile_grid(**dia::parse_distribution(family == 0 ? "uniform(0,1)" : "beta(2,5)"),
                            cells);
}

// Args: family (0 uniform, 1 beta), cells, bidders.
void BM_CertifiedStructured(benchmark::State& state) {
  const auto types =
      grid(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  const int n = static_cast<int>(state.range(2));
  double gap = 0;
  bool certified = false;
  for (auto _ : state) {
    const auto s = dia::solve_symmetric_structured(types, n);
    if (!s) throw std::runtime_error("no Border-feasible switch point");
    dia::AuditTolerances tolerances = dia::kSymmetricAuditTolerances;
    tolerances.dual_gap = dia::kStructuredGridGap;  // as the designer on a quantile grid
    const auto audit = dia::audit_symmetric(types, n, s->mechanism, &s->certificate, tolerances);
    gap = audit.dual_gap;
    certified = audit.passed;
  }
  state.counters["dual_gap"] = gap;
  state.counters["certified"] = certified;
}

void BM_FullLp(benchmark::State& state) {
  const auto types =
      grid(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  const int n = static_cast<int>(state.range(2));
  for (auto _ : state) benchmark::DoNotOptimize(dia::solve_symmetric_lp(types, n));
}

void certified_sizes(benchmark::internal::Benchmark* b) {
  for (int family : {0, 1}) {
    for (int n = 2; n <= 10; ++n) b->Args({family, 10000, n});
    for (int cells : {200, 400})
      for (int n : {2, 5, 10}) b->Args({family, cells, n});
  }
}
BENCHMARK(BM_CertifiedStructured)->Apply(certified_sizes)->Unit(benchmark::kMillisecond);

void lp_sizes(benchmark::internal::Benchmark* b) {
  for (int family : {0, 1})
    for (int cells : {200, 400})
      for (int n : {2, 5, 10}) b->Args({family, cells, n});
}
BENCHMARK(BM_FullLp)->Apply(lp_sizes)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
