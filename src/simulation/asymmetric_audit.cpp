// The strategic audit of asymmetric bidders (docs/asymmetric.md section 8), bidder by bidder
// against truthful others. Bidder i of type v bidding type w's value gets the item with the
// rule's own interim chance Xhat_i(w) (recomputed from the rankings, not the design's X),
// deposits w and, lying, forfeits the reward: U(v, w) = (v - w) Xhat_i(w); truthful, it is
// refunded rho_i(v) = s R_i(v) / X_i(v): U(v, v) = Xhat_i(v) rho_i(v). A bid between two types
// plays as the lower one and deposits more, and a bid below the lowest type never wins: the
// types are every lie worth auditing.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "simulation/asymmetric_model.hpp"
#include "simulation/audit_grid.hpp"
#include "simulation/block_runner.hpp"
#include "simulation/classic_rule.hpp"
#include "simulation/random.hpp"

namespace dia {
namespace {

using Model = AsymmetricSimulator::Model;

// Paired auctions (common random numbers: the same others' types and the same ranking) of
// bidder i of type `type` bidding truthfully and bidding type `lie`; (mean, standard error) of
// the lie's gain.
std::pair<double, double> simulate_gain(const Model& m, std::size_t i, std::uint32_t type,
                                        std::uint32_t lie, std::uint64_t samples,
                                        std::uint64_t seed, std::uint64_t row) {
  pcg64 rng = detail::block_stream(seed, (std::uint64_t{i} << 32) | row, /*purpose=*/1);
  const std::size_t n = m.mechanism.bidders.size();
  std::array<std::uint32_t, detail::ClassicRule::kMaxBidders> types{};
  const double value = m.value(i, type), lie_value = m.value(i, lie);
  long double sum = 0, sum2 = 0;
  for (std::uint64_t s = 0; s < samples; ++s) {
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i) types[j] = m.samplers[j](rng);
    }
    const std::size_t k = m.rule().draw_ranking(rng);
    types[i] = type;
    const double truthful =
        m.rule().winner(k, {types.data(), n}) == static_cast<int>(i) ? m.reward[i][type] : 0.0;
    types[i] = lie;
    const double lying =
        m.rule().winner(k, {types.data(), n}) == static_cast<int>(i) ? value - lie_value : 0.0;
    const double d = lying - truthful;
    sum += d;
    sum2 += d * d;
  }
  const detail::MeanStderr gain = detail::shifted_mean(0.0, sum, sum2, samples);
  return {gain.mean, gain.standard_error};
}

StrategicAudit audit_bidder(const Model& m, std::size_t i, const AuditOptions& options,
                            double tolerance) {
  const DiscreteTypes& t = m.mechanism.bidders[i];
  const std::vector<double>& x = m.rule().allocation(i);
  const std::vector<std::size_t> values =
      detail::mass_spaced_atoms(t.probabilities, std::max<std::size_t>(2, options.grid));
  StrategicAudit out;
  out.values = values.size();
  out.bids = t.size();
  out.max_deviation_gain = -std::numeric_limits<double>::infinity();
  std::vector<double> best_gain, truthful_utility;
  std::vector<std::size_t> best_lie;
  for (std::size_t k : values) {
    const double v = t.values[k];
    const double truth = x[k] * m.reward[i][k];
    double best = -std::numeric_limits<double>::infinity();
    std::size_t lie = k;
    for (std::size_t l = 0; l < t.size(); ++l) {
      if (l == k) continue;
      const double u = (v - t.values[l]) * x[l];
      if (u > best) best = u, lie = l;
    }
    if (lie == k) best = 0.0, lie = k;  // one type: bidding nothing else; only truth
    best_gain.push_back(best - truth);
    truthful_utility.push_back(truth);
    best_lie.push_back(lie);
    if (best - truth > out.max_deviation_gain) {
      out.max_deviation_gain = best - truth;
      out.max_deviation_value = v;
      out.max_deviation_bid = t.values[lie];
    }
  }
  out.incentive_compatible = out.max_deviation_gain <= tolerance;
  out.simulated_samples = options.samples;
  const auto argmax = static_cast<std::size_t>(
      std::max_element(best_gain.begin(), best_gain.end()) - best_gain.begin());
  for (std::size_t r : detail::audit_rows(values.size(), options.rows, argmax)) {
    const std::size_t k = values[r];
    DeviationRow row{t.values[k], t.values[best_lie[r]], truthful_utility[r], best_gain[r], {}, {}};
    if (options.samples > 0 && best_lie[r] != k) {
      const auto [mean, se] =
          simulate_gain(m, i, static_cast<std::uint32_t>(k),
                        static_cast<std::uint32_t>(best_lie[r]), options.samples, options.seed, r);
      row.simulated_gain = mean;
      row.simulated_stderr = se;
      if (r == argmax) {
        out.simulated_gain = mean;
        out.simulated_stderr = se;
      }
    }
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace

std::vector<StrategicAudit> AsymmetricSimulator::audit(const AuditOptions& options) const {
  // As the symmetric audit: no lie may gain more than 1e-9 of the expected revenue (at least
  // 1e-9), the rounding of the design and of the rule.
  const double tolerance = 1e-9 * std::max(1.0, std::fabs(model_->expected_revenue));
  std::vector<StrategicAudit> out;
  for (std::size_t i = 0; i < bidders(); ++i) {
    out.push_back(audit_bidder(*model_, i, options, tolerance));
  }
  return out;
}

}  // namespace dia
