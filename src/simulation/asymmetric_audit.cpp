// The strategic audit of asymmetric bidders (docs/asymmetric.md section 8), bidder by bidder
// against truthful others, and noisy inspection. Inspection: bidder i of type v bidding type w's
// value gets the item with the rule's own interim chance Xhat_i(w) (recomputed from the rankings,
// not the design's X), deposits w and is refunded rho_i(w) = s R_i(w) / X_i(w) when the inspection
// passes it: U(v, w) = (v - w) Xhat_i(w) + Xhat_i(w) rho_i(w) P(pass | v, w), with P(pass) =
// [w = v] exactly, P(|w - v - noise| <= t) with noise. Classic mechanisms: U(v, w) = v X_i(w) -
// P_i(w) from the rule's exact interim table. A bid between two types plays as the lower one and
// pays more (inspection: deposits more; classic: the rules take types as bids), and a bid below
// the lowest type never wins: the types are every lie worth auditing.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "dia/cancel.hpp"
#include "simulation/asymmetric_model.hpp"
#include "simulation/audit_grid.hpp"
#include "simulation/block_runner.hpp"
#include "simulation/classic_rule.hpp"
#include "simulation/random.hpp"
#include "simulation/tolerance_search.hpp"

namespace dia {
namespace {

using Model = AsymmetricSimulator::Model;

// Paired auctions (common random numbers: the same others' types, the same ranking or tie
// draw, the same inspection noise) of bidder i of type `type` bidding truthfully and bidding type
// `lie`; (mean, standard error) of the lie's gain.
std::pair<double, double> simulate_gain(const Model& m, std::size_t i, std::uint32_t type,
                                        std::uint32_t lie, std::uint64_t samples,
                                        std::uint64_t seed, std::uint64_t row) {
  pcg64 rng = detail::block_stream(seed, (std::uint64_t{i} << 32) | row, /*purpose=*/1);
  const std::size_t n = m.mechanism.bidders.size();
  std::array<std::uint32_t, detail::ClassicRule::kMaxBidders> types{};
  const double value = m.value(i, type), bid = m.value(i, lie);
  const bool noisy = m.mechanism.noise.active();
  const double t = m.mechanism.tolerance;
  const std::span<const std::uint32_t> profile{types.data(), n};
  long double sum = 0, sum2 = 0;
  for (std::uint64_t s = 0; s < samples; ++s) {
    if (s % 65536 == 0) throw_if_cancelled();
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i) types[j] = m.samplers[j](rng);
    }
    double truthful = 0, lying = 0;
    if (m.classic) {
      pcg64 copy = rng;
      types[i] = type;
      const auto a = m.classic->play(profile, rng);
      types[i] = lie;
      const auto b = m.classic->play(profile, copy);
      if (a.winner == static_cast<int>(i)) truthful = value - a.payment;
      if (b.winner == static_cast<int>(i)) lying = value - b.payment;
    } else {
      const std::size_t k = m.rule().draw_ranking(rng);
      const double e = noisy ? m.noise(rng) : 0.0;
      types[i] = type;
      if (m.rule().winner(k, profile) == static_cast<int>(i)) {
        truthful = !noisy || std::abs(e) <= t ? m.reward[i][type] : 0.0;
      }
      types[i] = lie;
      if (m.rule().winner(k, profile) == static_cast<int>(i)) {
        lying = value - bid + (noisy && std::abs(bid - value - e) <= t ? m.reward[i][lie] : 0.0);
      }
    }
    const double d = lying - truthful;
    sum += d;
    sum2 += d * d;
  }
  const detail::MeanStderr gain = detail::shifted_mean(0.0, sum, sum2, samples);
  return {gain.mean, gain.standard_error};
}

// Bidder i's interim utility of value v (type k) bidding type l at this noise.
struct Utility {
  const Model& m;
  std::size_t i;
  InspectionNoise noise;
  double tolerance;

  double operator()(std::size_t k, std::size_t l) const {
    const DiscreteTypes& t = m.mechanism.bidders[i];
    const double v = t.values[k], w = t.values[l];
    if (m.classic) {
      const auto& interim = m.classic->interim(i);
      return v * interim.allocation[l] - interim.payment[l];
    }
    const double x = m.rule().allocation(i)[l];
    const double pass = noise.active()
                            ? noise.probability_between(w - v - tolerance, w - v + tolerance)
                            : (k == l ? 1.0 : 0.0);
    return (v - w) * x + x * m.reward[i][l] * pass;
  }
};

// Per audited value (at most `grid`, evenly spaced in probability): the truthful utility, the best
// lie among every other type and its gain.
struct BidderGains {
  std::vector<std::size_t> values, best_lie;
  std::vector<double> truthful, gain;
  std::size_t argmax = 0;
};

BidderGains bidder_gains(const Utility& u, std::size_t grid) {
  const DiscreteTypes& t = u.m.mechanism.bidders[u.i];
  BidderGains out;
  out.values = detail::mass_spaced_atoms(t.probabilities, std::max<std::size_t>(2, grid));
  for (std::size_t k : out.values) {
    const double truth = u(k, k);
    double best = -std::numeric_limits<double>::infinity();
    std::size_t lie = k;
    for (std::size_t l = 0; l < t.size(); ++l) {
      if (l == k) continue;
      const double value = u(k, l);
      if (value > best) best = value, lie = l;
    }
    if (lie == k) best = truth;  // one type: nothing else to bid
    out.truthful.push_back(truth);
    out.gain.push_back(best - truth);
    out.best_lie.push_back(lie);
    if (out.gain.back() > out.gain[out.argmax]) out.argmax = out.gain.size() - 1;
  }
  return out;
}

StrategicAudit audit_bidder(const Model& m, std::size_t i, const AuditOptions& options,
                            double tolerance) {
  const DiscreteTypes& t = m.mechanism.bidders[i];
  const BidderGains g =
      bidder_gains({m, i, m.mechanism.noise, m.mechanism.tolerance}, options.grid);
  StrategicAudit out;
  out.values = g.values.size();
  out.bids = t.size();
  out.max_deviation_gain = g.gain[g.argmax];
  out.max_deviation_value = t.values[g.values[g.argmax]];
  out.max_deviation_bid = t.values[g.best_lie[g.argmax]];
  out.incentive_compatible = out.max_deviation_gain <= tolerance;
  out.simulated_samples = options.samples;
  for (std::size_t r : detail::audit_rows(g.values.size(), options.rows, g.argmax)) {
    const std::size_t k = g.values[r];
    DeviationRow row{t.values[k], t.values[g.best_lie[r]], g.truthful[r], g.gain[r], {}, {}};
    if (options.samples > 0 && g.best_lie[r] != k) {
      const auto [mean, se] = simulate_gain(m, i, static_cast<std::uint32_t>(k),
                                            static_cast<std::uint32_t>(g.best_lie[r]),
                                            options.samples, options.seed, r);
      row.simulated_gain = mean;
      row.simulated_stderr = se;
      if (r == g.argmax) {
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
    throw_if_cancelled();
    out.push_back(audit_bidder(*model_, i, options, tolerance));
  }
  return out;
}

NoisyPoint AsymmetricSimulator::noisy_point(double noise_scale, double tolerance,
                                            std::size_t grid) const {
  const Model& m = *model_;
  DIA_CHECK(inspection());
  InspectionNoise noise = m.mechanism.noise;
  noise.scale = noise_scale;
  const double paid = noise.active() ? noise.probability_between(-tolerance, tolerance) : 1.0;
  long double revenue = 0;
  double gain = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < bidders(); ++i) {
    const DiscreteTypes& t = m.mechanism.bidders[i];
    const ReducedForm& r = m.mechanism.reduced[i];
    for (std::size_t k = 0; k < t.size(); ++k) {
      revenue += t.probabilities[k] *
                 (t.values[k] * r.allocation[k] - m.mechanism.reward_scale * r.rent[k] * paid);
    }
    const BidderGains g = bidder_gains({m, i, noise, tolerance}, grid);
    gain = std::max(gain, g.gain[g.argmax]);
  }
  return {noise_scale, tolerance, static_cast<double>(revenue), gain, 1.0 - paid};
}

ToleranceSearch AsymmetricSimulator::search_tolerance(double epsilon, std::size_t grid) const {
  DIA_CHECK(inspection() && model_->mechanism.noise.active());
  const InspectionNoise& noise = model_->mechanism.noise;
  return detail::search_tolerance(noise, epsilon, model_->designed_revenue,
                                  [&](double t) { return noisy_point(noise.scale, t, grid); });
}

}  // namespace dia
