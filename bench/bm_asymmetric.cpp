// Benchmarks of the asymmetric designer (docs/asymmetric.md section 4): the certified
// row-generation solve on quantile grids of two bidder classes (lognormal(0,0.5) and
// lognormal(1,0.5)) and of 5 bidders uniform on [0, i], staged (the default: rows seeded from a
// coarse problem, a first phase with X monotone) against three baselines measured in the same run:
// the unstaged row generation, the LP with every IC row from the start (m(m-1)/2 per bidder;
// Border rows still by the oracle), and the full LP: every IC row and every family of value-upper
// sets (prod_i (m_i + 1) rows) from the start, at the sizes it can still do.
// bench/run_asymmetric.sh reports the ratios.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "dia/asymmetric.hpp"
#include "dia/distribution.hpp"

namespace {

// Args: setting (0: two classes, 1: five uniform bidders), cells per bidder.
std::vector<dia::DiscreteTypes> bidders(int setting, std::size_t cells) {
  std::vector<std::string> specs;
  if (setting == 0) {
    specs = {"lognormal(0,0.5)", "lognormal(1,0.5)"};
  } else {
    for (int i = 1; i <= 5; ++i) specs.push_back("uniform(0," + std::to_string(i) + ")");
  }
  std::vector<dia::DiscreteTypes> out;
  for (const auto& spec : specs)
    out.push_back(dia::quantile_grid(**dia::parse_distribution(spec), cells));
  return out;
}

void run(benchmark::State& state, dia::AsymmetricOptions options) {
  const auto b =
      bidders(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  dia::AsymmetricSolution last;
  for (auto _ : state) {
    auto s = dia::solve_asymmetric(b, options);
    if (!s) throw std::runtime_error(s.error().message);
    last = std::move(*s);
  }
  state.counters["revenue"] = last.revenue;
  state.counters["dual_gap"] = last.dual_gap;
  state.counters["rounds"] = last.rounds;
  state.counters["border_rows"] = static_cast<double>(last.border_rows);
  state.counters["ic_rows"] = static_cast<double>(last.ic_rows);
  state.counters["certified"] = last.dual_gap <= 1e-9 ? 1 : 0;
}

void BM_AsymmetricStaged(benchmark::State& state) { run(state, {}); }
void BM_AsymmetricUnstaged(benchmark::State& state) { run(state, {false, false}); }
void BM_AsymmetricAllIcRows(benchmark::State& state) { run(state, {true, false}); }
void BM_AsymmetricFullLp(benchmark::State& state) { run(state, {false, false, true}); }

BENCHMARK(BM_AsymmetricStaged)
    ->Args({0, 25})
    ->Args({0, 50})
    ->Args({0, 100})
    ->Args({0, 200})
    ->Args({0, 400})
    ->Args({0, 1000})
    ->Args({1, 4})
    ->Args({1, 6})
    ->Args({1, 9})
    ->Args({1, 50})
    ->Args({1, 100})
    ->Args({1, 200})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsymmetricUnstaged)
    ->Args({0, 100})
    ->Args({0, 200})
    ->Args({1, 50})
    ->Args({1, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsymmetricFullLp)
    ->Args({0, 25})
    ->Args({0, 50})
    ->Args({0, 100})
    ->Args({1, 4})
    ->Args({1, 6})
    ->Args({1, 9})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsymmetricAllIcRows)
    ->Args({0, 100})
    ->Args({0, 200})
    ->Args({1, 50})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
