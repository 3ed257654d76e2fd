// Benchmarks of building the general Border lottery (docs/model.md#ex-post) for an optimal X with
// q > 1: the transfer form by max flow (the baseline) against the hierarchy form, on the bimodal
// mixture's structured optimum for 3 bidders at growing grids. Run:
//   build/release/bench/bm_border_lottery
#include <benchmark/benchmark.h>

#include <map>
#include <stdexcept>

#include "dia/border_lottery.hpp"
#include "dia/distribution.hpp"
#include "dia/symmetric.hpp"

namespace {

struct Optimum {
  dia::DiscreteTypes types;
  std::vector<double> allocation;
};

const Optimum& bimodal_optimum(std::size_t cells) {
  static std::map<std::size_t, Optimum> cache;
  auto it = cache.find(cells);
  if (it != cache.end()) return it->second;
  const auto d = dia::parse_distribution("mixture(0.5:uniform(0,1),0.5:uniform(2,3))");
  auto types = dia::quantile_grid(**d, cells);
  auto solved = dia::solve_symmetric_structured(types, 3);
  if (!solved) throw std::runtime_error("no structured optimum");
  std::vector<double> x = solved->mechanism.allocation;
  dia::enforce_border(types, x, 3);
  return cache.emplace(cells, Optimum{std::move(types), std::move(x)}).first->second;
}

void BM_TransferLottery(benchmark::State& state) {
  const Optimum& o = bimodal_optimum(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto rule = dia::build_transfer_lottery(o.types, o.allocation, 3);
    if (!rule) throw std::runtime_error(rule.error().line());
    state.counters["lower_bidder_wins"] = rule->lower_bidder_wins;
  }
}

void BM_HierarchyLottery(benchmark::State& state) {
  const Optimum& o = bimodal_optimum(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto rule = dia::build_hierarchy_lottery(o.types, o.allocation, 3);
    if (!rule) throw std::runtime_error(rule.error().line());
    state.counters["lower_bidder_wins"] = rule->lower_bidder_wins;
    state.counters["hierarchies"] = static_cast<double>(rule->weights.size());
  }
}

BENCHMARK(BM_TransferLottery)->Arg(2000)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HierarchyLottery)->Arg(2000)->Arg(5000)->Arg(20000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
