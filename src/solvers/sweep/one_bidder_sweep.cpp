// The one-bidder sweep (docs/model.md#sweep): a greedy transport plan for (DUAL) and the primal
// (X, R) rebuilt from its complementary slackness. Hand-written because it is our own science and
// O(m), where the generic LP needs minutes at m = 1000.
#include <cmath>
#include <span>

#include "dia/one_bidder.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// The greedy plan: sources in increasing order ship to the lowest target not yet covered; a source
// whose pointer reaches itself has useless mass left and stops. Returns the final target J.
struct GreedyPlan {
  CoveragePlan flows;
  std::vector<double> residual;          // uncovered demand p_j v_j - coverage_j
  std::vector<std::size_t> finisher;     // the source that completed target j (m where none did)
  std::vector<std::size_t> last_target;  // the last target a source served (m where none)
  std::size_t final_target = 0;          // J
};

GreedyPlan build_greedy_plan(const DiscreteTypes& types, std::span<const double> demand) {
  const std::size_t m = types.size();
  const auto& v = types.values;
  const auto& p = types.probabilities;
  GreedyPlan g;
  g.residual.resize(m);
  for (std::size_t j = 0; j < m; ++j) g.residual[j] = demand[j];
  g.finisher.assign(m, m);
  g.last_target.assign(m, m);
  g.flows.reserve(2 * m);
  std::size_t j = 0;
  for (std::size_t i = 1; i < m; ++i) {
    double mass = p[i];
    while (mass > 0) {
      if (j < i && g.residual[j] <= 0) {  // a zero value (or a negative demand) needs nothing
        g.finisher[j++] = i;
        continue;
      }
      if (j >= i) break;  // the rest of this source's mass covers nothing
      const double rate = v[i] - v[j];
      const double needed = g.residual[j] / rate;
      g.last_target[i] = j;
      if (mass >= needed) {
        g.flows.push_back({i, j, needed});
        g.residual[j] = 0;
        g.finisher[j++] = i;
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
  return build_greedy_plan(types, demand).flows;
}

GreedyAllocation greedy_plan_allocation(const DiscreteTypes& types,
                                        std::span<const double> demand) {
  const std::size_t m = types.size();
  DIA_CHECK(demand.size() == m && m >= 1);
  const auto& v = types.values;
  const GreedyPlan g = build_greedy_plan(types, demand);
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
  std::vector<double> demand(m);
  for (std::size_t j = 0; j < m; ++j) demand[j] = p[j] * v[j];
  GreedyPlan g = build_greedy_plan(types, demand);

  OneBidderSweep out;
  out.cutoff = std::min(g.final_target, m - 1);
  // X = 1 from the cutoff up; below it each finishing source s is indifferent between its targets
  // t and t+1: (v_s - v_t) X_t = (v_s - v_{t+1}) X_{t+1}. Long double keeps the product chain
  // accurate to ~m * 1e-19.
  std::vector<long double> x(m, 1.0L);
  for (std::size_t t = out.cutoff; t-- > 0;) {
    const std::size_t s = g.finisher[t];
    DIA_CHECK(s < m && s > t);
    x[t] = x[t + 1] * ((long double)v[s] - v[t + 1]) / ((long double)v[s] - v[t]);
  }
  out.mechanism.allocation.assign(x.begin(), x.end());
  out.mechanism.rent.assign(m, 0.0);
  out.best_alternative.assign(m, kNoAlternative);
  // Each source's rent is its deviation to any target it served (RENT).
  for (std::size_t s = 0; s < m; ++s) {
    const std::size_t t = g.last_target[s];
    if (t == m) continue;
    const long double rent = ((long double)v[s] - v[t]) * x[t];
    if (rent > 0) {
      out.mechanism.rent[s] = static_cast<double>(rent);
      out.best_alternative[s] = t;
    }
  }
  detail::CompensatedSum primal, dual;
  for (std::size_t k = 0; k < m; ++k) {
    primal.add(p[k] * ((long double)v[k] * x[k] - out.mechanism.rent[k]));
    dual.add(std::max(0.0, g.residual[k]));
  }
  out.revenue = primal.value();
  out.dual_revenue = dual.value();
  out.plan = std::move(g.flows);
  return out;
}

}  // namespace dia
