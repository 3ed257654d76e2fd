// Benchmarks of the asymmetric ex post rule (docs/asymmetric.md section 7): building the lottery
// over priority rankings, from a random mixture of 8 rankings of n bidders with m equal-mass
// types each (BM_PriorityRankingsBuild/n/m) and from the optimum of two bidder classes on
// quantile grids (BM_PriorityRankingsOptimum/cells); and one auction's draw (n types, a ranking,
// the winner) against the baseline measured in the same run, the highest of n bids
// (BM_HighestOfBids/n): both O(n).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

#include "dia/asymmetric.hpp"
#include "dia/distribution.hpp"
#include "dia/priority_rankings.hpp"

namespace {

std::vector<dia::DiscreteTypes> uniform_bidders(std::size_t n, std::size_t m) {
  std::vector<dia::DiscreteTypes> out;
  for (std::size_t i = 0; i < n; ++i) {
    dia::DiscreteTypes t;
    for (std::size_t k = 0; k < m; ++k) {
      t.values.push_back(static_cast<double>((i + 1) * (k + 1)));
      t.probabilities.push_back(1.0 / static_cast<double>(m));
    }
    out.push_back(std::move(t));
  }
  return out;
}

// X of a mixture of `count` random rankings (all pairs listed), by the greedy formula: pair
// (i, v) wins with chance prod_{j != i} (mass of j's types not listed before it).
std::vector<std::vector<double>> mixture(const std::vector<dia::DiscreteTypes>& bidders, int count,
                                         std::mt19937_64& rng) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::vector<std::vector<double>> x;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    x.emplace_back(bidders[i].size(), 0.0);
    for (std::size_t t = 0; t < bidders[i].size(); ++t) pairs.push_back({i, t});
  }
  for (int k = 0; k < count; ++k) {
    std::shuffle(pairs.begin(), pairs.end(), rng);
    std::vector<double> outside(bidders.size(), 1.0);
    for (const auto& [i, t] : pairs) {
      double others = 1;
      for (std::size_t j = 0; j < bidders.size(); ++j) {
        if (j != i) others *= std::max(0.0, outside[j]);
      }
      x[i][t] += others / count;
      outside[i] -= bidders[i].probabilities[t];
    }
  }
  return x;
}

void report(benchmark::State& state, const dia::PriorityRankings& rule) {
  state.counters["pairs"] = static_cast<double>(rule.pairs());
  state.counters["rankings"] = static_cast<double>(rule.rankings());
  state.counters["error"] = rule.max_reduced_form_error();
  state.counters["lower_wins"] = rule.lower_bidder_wins();
}

void BM_PriorityRankingsBuild(benchmark::State& state) {
  const auto b = uniform_bidders(static_cast<std::size_t>(state.range(0)),
                                 static_cast<std::size_t>(state.range(1)));
  std::mt19937_64 rng(1);
  const auto x = mixture(b, 8, rng);
  for (auto _ : state) {
    auto rule = dia::PriorityRankings::build(b, x);
    if (!rule) throw std::runtime_error(rule.error().message);
    report(state, *rule);
  }
}

void BM_PriorityRankingsOptimum(benchmark::State& state) {
  std::vector<dia::DiscreteTypes> b;
  for (const char* spec : {"lognormal(0,0.5)", "lognormal(1,0.5)"}) {
    b.push_back(dia::quantile_grid(**dia::parse_distribution(spec),
                                   static_cast<std::size_t>(state.range(0))));
  }
  auto solved = dia::solve_asymmetric(b);
  if (!solved) throw std::runtime_error(solved.error().message);
  std::vector<std::vector<double>> x;
  for (const auto& r : solved->mechanism) x.push_back(r.allocation);
  for (auto _ : state) {
    auto rule = dia::PriorityRankings::build(b, x);
    if (!rule) throw std::runtime_error(rule.error().message);
    report(state, *rule);
  }
}

constexpr std::size_t kProfiles = 1 << 12;

void BM_PriorityRankingsDraw(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto b = uniform_bidders(n, 20);
  std::mt19937_64 rng(2);
  auto rule = dia::PriorityRankings::build(b, mixture(b, 8, rng));
  if (!rule) throw std::runtime_error(rule.error().message);
  std::vector<std::uint32_t> types(kProfiles * n);
  for (auto& t : types) t = static_cast<std::uint32_t>(rng() % 20);
  std::size_t p = 0;
  for (auto _ : state) {
    const std::span<const std::uint32_t> profile(types.data() + p * n, n);
    benchmark::DoNotOptimize(rule->winner(rule->draw_ranking(rng), profile));
    p = (p + 1) % kProfiles;
  }
  state.counters["rankings"] = static_cast<double>(rule->rankings());
}

void BM_HighestOfBids(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(2);
  std::vector<double> bids(kProfiles * n);
  for (auto& v : bids) v = static_cast<double>(rng() % 1000);
  std::size_t p = 0;
  for (auto _ : state) {
    const double* profile = bids.data() + p * n;
    benchmark::DoNotOptimize(std::max_element(profile, profile + n) - profile);
    p = (p + 1) % kProfiles;
  }
}

BENCHMARK(BM_PriorityRankingsBuild)
    ->Args({2, 50})
    ->Args({2, 100})
    ->Args({2, 200})
    ->Args({2, 500})
    ->Args({5, 40})
    ->Args({5, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PriorityRankingsOptimum)
    ->Arg(50)
    ->Arg(100)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PriorityRankingsDraw)->Arg(2)->Arg(5)->Arg(10)->Arg(50);
BENCHMARK(BM_HighestOfBids)->Arg(2)->Arg(5)->Arg(10)->Arg(50);

}  // namespace

BENCHMARK_MAIN();
