// The one-bidder sweep (docs/model.md#sweep): a greedy transport plan for (DUAL) and the primal
// (X, R) rebuilt from its complementary slackness. Hand-written because it is our own science and
// O(m), where the generic LP needs minutes at m = 1000.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "dia/one_bidder.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/huge_pages.hpp"

namespace dia {
namespace {

// The greedy plan: sources in increasing order ship to the lowest target not yet covered; a source
// whose pointer reaches itself has useless mass left and stops. The flows come out sorted by
// source and by target, so a source's last flow names the last target it served.
struct GreedyPlan {
  CoveragePlan flows;
  std::vector<double> residual;         // uncovered demand p_j v_j - coverage_j
  std::vector<std::uint32_t> finisher;  // the source that completed target j (m where none did)
  std::size_t final_target = 0;         // J
};

// `demand` becomes the residual in place (at m = 10^6 no second array: issue 14 counts memory).
GreedyPlan build_greedy_plan(const DiscreteTypes& types, std::vector<double> demand) {
  const std::size_t m = types.size();
  // 32-bit indices halve the array; 4 * 10^9 types would not fit in memory anyway.
  DIA_CHECK(m < std::numeric_limits<std::uint32_t>::max());
  const auto& v = types.values;
  const auto& p = types.probabilities;
  GreedyPlan g;
  g.residual = std::move(demand);
  g.finisher = detail::huge_vector(m, static_cast<std::uint32_t>(m));
  // At most one flow per target completed plus one per source exhausted.
  detail::reserve_huge(g.flows, 2 * m);
  std::size_t j = 0;
  for (std::size_t i = 1; i < m; ++i) {
    double mass = p[i];
    while (mass > 0) {
      if (j < i && g.residual[j] <= 0) {  // a zero value (or a negative demand) needs nothing
        g.finisher[j++] = static_cast<std::uint32_t>(i);
        continue;
      }
      if (j >= i) break;  // the rest of this source's mass covers nothing
      const double rate = v[i] - v[j];
      const double needed = g.residual[j] / rate;
      if (mass >= needed) {
        g.flows.push_back({i, j, needed});
        g.residual[j] = 0;
        g.finisher[j++] = static_cast<std::uint32_t>(i);
        mass -= needed;
      } else {
        g.flows.push_back({i, j, mass});
        g.residual[j] -= mass * rate;
        mass = 0;
      }
    }
  }
  g.final_target = j;
  return g;
}

}  // namespace

CoveragePlan greedy_coverage_plan(const DiscreteTypes& types, std::span<const double> demand) {
  DIA_CHECK(demand.size() == types.size());
  return build_greedy_plan(types, std::vector<double>(demand.begin(), demand.end())).flows;
}

GreedyAllocation greedy_plan_allocation(const DiscreteTypes& types,
                                        std::span<const double> demand) {
  const std::size_t m = types.size();
  DIA_CHECK(demand.size() == m && m >= 1);
  const auto& v = types.values;
  const GreedyPlan g = build_greedy_plan(types, std::vector<double>(demand.begin(), demand.end()));
  // As in the sweep: 1 from the final target up, the indifference chain of each finishing source
  // below; then 0 wherever the demand is not positive (that lowers the objective's negative terms
  // and every rent, so it can only gain).
  std::vector<long double> x(m, 1.0L);
  for (std::size_t t = std::min(g.final_target, m); t-- > 0;) {
    const std::size_t s = g.finisher[t];
    x[t] = t + 1 < m && s < m
               ? x[t + 1] * ((long double)v[s] - v[t + 1]) / ((long double)v[s] - v[t])
               : 0.0L;
  }
  GreedyAllocation out;
  out.allocation.resize(m);
  detail::CompensatedSum dual;
  for (std::size_t k = 0; k < m; ++k) {
    out.allocation[k] = demand[k] > 0 ? static_cast<double>(x[k]) : 0.0;
    dual.add(std::max(0.0, g.residual[k]));
  }
  out.dual_value = dual.value();
  return out;
}

OneBidderSweep solve_one_bidder_sweep(const DiscreteTypes& types) {
  const std::size_t m = types.size();
  DIA_CHECK(m >= 1);
  const auto& v = types.values;
  const auto& p = types.probabilities;
  std::vector<double> demand;
  detail::reserve_huge(demand, m);
  for (std::size_t j = 0; j < m; ++j) demand.push_back(p[j] * v[j]);
  GreedyPlan g = build_greedy_plan(types, std::move(demand));

  OneBidderSweep out;
  out.cutoff = std::min(g.final_target, m - 1);
  {
    detail::CompensatedSum dual;
    for (std::size_t k = 0; k < m; ++k) dual.add(std::max(0.0, g.residual[k]));
    out.dual_revenue = dual.value();
    // Each array is freed once used (swap: `= {}` would keep the capacity): peak memory counts.
    std::vector<double>().swap(g.residual);
  }
  // X = 1 from the cutoff up; below it each finishing source s is indifferent between its targets
  // t and t+1: (v_s - v_t) X_t = (v_s - v_{t+1}) X_{t+1}. Long double keeps the product chain
  // accurate to ~m * 1e-19; only the types below the cutoff are stored.
  std::vector<long double> below = detail::huge_vector<long double>(out.cutoff);
  const auto x = [&](std::size_t t) { return t < below.size() ? below[t] : 1.0L; };
  for (std::size_t t = out.cutoff; t-- > 0;) {
    const std::size_t s = g.finisher[t];
    DIA_CHECK(s < m && s > t);
    below[t] = x(t + 1) * ((long double)v[s] - v[t + 1]) / ((long double)v[s] - v[t]);
  }
  std::vector<std::uint32_t>().swap(g.finisher);
  out.mechanism.allocation = detail::huge_vector(m, 1.0);
  std::copy(below.begin(), below.end(), out.mechanism.allocation.begin());
  out.mechanism.rent = detail::huge_vector(m, 0.0);
  // Each source's rent is its deviation to any target it served (RENT), e.g. its last.
  for (std::size_t f = 0; f < g.flows.size(); ++f) {
    const std::size_t s = g.flows[f].source, t = g.flows[f].target;
    if (f + 1 < g.flows.size() && g.flows[f + 1].source == s) continue;
    const long double rent = ((long double)v[s] - v[t]) * x(t);
    if (rent > 0) out.mechanism.rent[s] = static_cast<double>(rent);
  }
  detail::CompensatedSum primal;
  for (std::size_t k = 0; k < m; ++k) {
    primal.add(p[k] * ((long double)v[k] * x(k) - out.mechanism.rent[k]));
  }
  out.revenue = primal.value();
  out.plan = std::move(g.flows);
  return out;
}

}  // namespace dia
