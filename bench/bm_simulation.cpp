// Monte Carlo throughput of `dia simulate`: auctions per second for 2 bidders with uniform(0,1)
// values at 1 and 2 threads (BM_Simulate/<mechanism>/<threads>), the 1-thread run being the
// baseline of the speedup ratio that bench/run_simulation.sh reports.
#include <benchmark/benchmark.h>

#include "dia/simulation.hpp"

namespace {

constexpr std::uint64_t kAuctions = std::uint64_t{1} << 25;

void run(benchmark::State& state, dia::SimulatedMechanism mechanism, int bidders,
         const char* spec) {
  dia::SimulationConfig config;
  config.mechanism = mechanism;
  config.bidders = bidders;
  const auto sim = dia::Simulator::create(*dia::parse_distribution(spec), config);
  if (!sim) {
    state.SkipWithError(sim.error().line().c_str());
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const auto r = sim->run(kAuctions, seed++, threads);
    benchmark::DoNotOptimize(r.revenue_mean);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kAuctions));
}

void BM_Simulate_SecondPrice(benchmark::State& s) {
  run(s, dia::SimulatedMechanism::kSecondPrice, 2, "uniform(0,1)");
}
void BM_Simulate_Myerson(benchmark::State& s) {
  run(s, dia::SimulatedMechanism::kMyerson, 2, "uniform(0,1)");
}
void BM_Simulate_Inspection(benchmark::State& s) {
  run(s, dia::SimulatedMechanism::kInspection, 2, "uniform(0,1)");
}
void BM_Simulate_Inspection1(benchmark::State& s) {
  run(s, dia::SimulatedMechanism::kInspection, 1, "uniform(0,1)");
}
void BM_Simulate_BetaSecondPrice(benchmark::State& s) {
  run(s, dia::SimulatedMechanism::kSecondPrice, 2, "beta(2,3)");
}

#define DIA_THREADS ->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0)
BENCHMARK(BM_Simulate_SecondPrice) DIA_THREADS;
BENCHMARK(BM_Simulate_Myerson) DIA_THREADS;
BENCHMARK(BM_Simulate_Inspection) DIA_THREADS;
BENCHMARK(BM_Simulate_Inspection1) DIA_THREADS;
BENCHMARK(BM_Simulate_BetaSecondPrice) DIA_THREADS;

}  // namespace

BENCHMARK_MAIN();
