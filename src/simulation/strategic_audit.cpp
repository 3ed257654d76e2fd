// The strategic audit: exact interim utilities of every bid on a grid against truthful others
// (docs/model.md#reduced-form), the largest gain from lying, and simulated gains beside it; and
// noisy inspection (docs/model.md#noisy): deviation gains, denied rewards and the tolerance search.
//
// Interim utility of value v bidding w: U(v, w) = v X(w) - P(w) + X(w) rho(w) P(reward | v, w),
// with X the interim allocation, P the expected payment before rewards and rho the winner's
// reward. Inspection: P(w) = w X(w) (the deposit), P(reward) = [w == v] exactly, or
// P(|w - v - noise| <= t) with noise. Classic rules on atoms: X and P are exact sums over the
// others' top class (ClassicRule); on a continuum P(w) = w X(w) - int_r^w X (threshold payments,
// the integral by adaptive Gauss-Kronrod on the pieces where X is smooth).
#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <limits>

#include "dia/cancel.hpp"
#include "simulation/audit_grid.hpp"
#include "simulation/block_runner.hpp"
#include "simulation/model.hpp"
#include "simulation/tolerance_search.hpp"

namespace dia {
namespace {

using detail::Bid;
using detail::SimulationModel;

struct BidInterim {
  double bid = 0, x = 0, payment = 0, rho = 0;
};

// Values (= bids) of the audit grid: quantile midpoints, or atoms (every one, or evenly spaced).
std::vector<double> value_grid(const SimulationModel& m, std::size_t size) {
  const Distribution& d = *m.distribution;
  std::vector<double> out;
  if (m.inspection && m.inspection->plays_grid()) {
    // The design's own types (evenly spaced cells), which are what the auctions play.
    const auto& v = m.inspection->step_values();
    for (std::size_t j = 0; j < size; ++j) {
      const std::size_t k = (2 * j + 1) * v.size() / (2 * size);
      if (out.empty() || out.back() != v[k]) out.push_back(v[k]);
    }
    return out;
  }
  if (d.is_discrete()) {
    const DiscreteTypes& t = d.atoms();
    for (std::size_t k : detail::mass_spaced_atoms(t.probabilities, size)) {
      out.push_back(t.values[k]);
    }
    return out;
  }
  for (std::size_t j = 0; j < size; ++j) {
    out.push_back(d.quantile((static_cast<double>(j) + 0.5) / static_cast<double>(size)));
  }
  return out;
}

// X, the payment before rewards and the reward of every bid (sorted ascending).
std::vector<BidInterim> interim_table(const SimulationModel& m, const std::vector<double>& bids) {
  std::vector<BidInterim> out(bids.size());
  if (m.inspection) {
    for (std::size_t i = 0; i < bids.size(); ++i) {
      const double w = bids[i];
      const double x = m.inspection->allocation(w);
      out[i] = {w, x, w * x, m.inspection->winner_reward(w)};
    }
    return out;
  }
  const detail::ClassicRule& rule = *m.classic_rule;
  if (rule.discrete()) {
    for (std::size_t i = 0; i < bids.size(); ++i) {
      const Bid b = m.make_bid(bids[i], bids[i]);
      out[i] = {bids[i], rule.interim_allocation(b), rule.interim_payment_discrete(b), 0.0};
    }
    return out;
  }
  // Continuum: P(w) = w X(w) - int_r^w X, cumulated over pieces split where X changes form.
  auto x_at = [&](double t) { return rule.interim_allocation(m.make_bid(t, t)); };
  std::vector<double> cuts = rule.breakpoints();
  cuts.insert(cuts.end(), bids.begin(), bids.end());
  std::sort(cuts.begin(), cuts.end());
  const double r = rule.reserve_value();
  double integral = 0, at = r;
  std::size_t c = 0;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const double w = bids[i];
    for (; c < cuts.size() && cuts[c] <= w; ++c) {
      if (cuts[c] <= at) continue;
      integral += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(x_at, at, cuts[c],
                                                                                8, 1e-13);
      at = cuts[c];
    }
    const double x = x_at(w);
    out[i] = {w, x, w >= r ? w * x - integral : 0.0, 0.0};
  }
  return out;
}

struct GainSearch {
  double gain = -std::numeric_limits<double>::infinity();
  double value = 0, bid = 0;
  std::vector<double> best_bid, best_gain, truthful;  // per value
};

// The largest gain from lying for each value, exactly, at a noise scale and tolerance.
// `extra` are additional candidate lies (inspection: the design's step starts).
GainSearch search_gains(const SimulationModel& m, const std::vector<BidInterim>& grid,
                        const std::vector<BidInterim>& extra, double noise_scale,
                        double tolerance) {
  InspectionNoise noise = m.config.noise;
  noise.scale = noise_scale;
  const bool noisy = m.inspection && noise.active();
  auto utility = [&](double v, const BidInterim& b, bool truthful) {
    double u = v * b.x - b.payment;
    if (m.inspection) {
      const double paid =
          noisy ? noise.probability_between(b.bid - v - tolerance, b.bid - v + tolerance)
                : (truthful ? 1.0 : 0.0);
      u += b.x * b.rho * paid;
    }
    return u;
  };
  GainSearch out;
  for (const BidInterim& own : grid) {
    const double v = own.bid;
    const double truth = utility(v, own, true);
    double best = -std::numeric_limits<double>::infinity(), best_bid = v;
    auto consider = [&](const BidInterim& b) {
      if (b.bid == v) return;
      const double u = utility(v, b, false);
      if (u > best) {
        best = u;
        best_bid = b.bid;
      }
    };
    for (const BidInterim& b : grid) consider(b);
    for (const BidInterim& b : extra) {
      if (!noisy && b.bid >= v) break;  // noiseless: lies above v never pay (sorted)
      consider(b);
    }
    const double gain = best - truth;
    out.best_bid.push_back(best_bid);
    out.best_gain.push_back(gain);
    out.truthful.push_back(truth);
    if (gain > out.gain) {
      out.gain = gain;
      out.value = v;
      out.bid = best_bid;
    }
  }
  return out;
}

// Candidate lies beyond the grid for inspection: the design's step starts (where (v - w) X(w) is
// largest within a step), every one without noise, at most `limit` evenly spaced with noise.
std::vector<BidInterim> step_candidates(const SimulationModel& m, std::size_t limit) {
  std::vector<BidInterim> out;
  if (!m.inspection) return out;
  const auto& v = m.inspection->step_values();
  const std::size_t stride = std::max<std::size_t>(1, v.size() / std::max<std::size_t>(limit, 1));
  std::vector<double> bids;
  for (std::size_t i = 0; i < v.size(); i += stride) bids.push_back(v[i]);
  return interim_table(m, bids);
}

constexpr std::size_t kNoisyStepCandidates = 512;

// Simulated gain of bidding `bid` instead of `value` with common random numbers: the same
// opponents and lottery draws for both bids; returns (mean, standard error).
std::pair<double, double> simulate_gain(const SimulationModel& m, double value, double bid,
                                        std::uint64_t samples, std::uint64_t seed,
                                        std::uint64_t row) {
  pcg64 rng = detail::block_stream(seed, row, /*purpose=*/1);
  const int n = m.config.bidders;
  detail::Bid truthful[detail::ClassicRule::kMaxBidders], lying[detail::ClassicRule::kMaxBidders];
  truthful[0] = m.make_bid(value, value);
  lying[0] = m.make_bid(value, bid);
  long double sum = 0, sum2 = 0;
  for (std::uint64_t s = 0; s < samples; ++s) {
    if (s % 65536 == 0) throw_if_cancelled();
    for (int j = 1; j < n; ++j) truthful[j] = lying[j] = m.draw(rng);
    pcg64 copy = rng;
    const detail::Outcome a = m.play(truthful, rng);
    const detail::Outcome b = m.play(lying, copy);
    const double ua = a.sold && a.winner == 0 ? value - a.payment : 0.0;
    const double ub = b.sold && b.winner == 0 ? value - b.payment : 0.0;
    const double d = ub - ua;
    sum += d;
    sum2 += d * d;
  }
  const detail::MeanStderr gain = detail::shifted_mean(0.0, sum, sum2, samples);
  return {gain.mean, gain.standard_error};
}

}  // namespace

StrategicAudit Simulator::audit(const AuditOptions& options) const {
  const SimulationModel& m = *model_;
  const std::vector<double> values = value_grid(m, std::max<std::size_t>(2, options.grid));
  const std::vector<BidInterim> grid = interim_table(m, values);
  const bool noisy = m.inspection && m.config.noise.active();
  const std::vector<BidInterim> extra =
      step_candidates(m, noisy ? kNoisyStepCandidates : std::numeric_limits<std::size_t>::max());
  const GainSearch g = search_gains(m, grid, extra, m.config.noise.scale, m.config.tolerance);
  StrategicAudit out;
  out.values = values.size();
  out.bids = values.size() + extra.size();
  out.max_deviation_gain = g.gain;
  out.max_deviation_value = g.value;
  out.max_deviation_bid = g.bid;
  out.incentive_compatible = g.gain <= 1e-9 * std::max(1.0, std::fabs(m.expected_revenue));
  out.simulated_samples = options.samples;
  // Rows: evenly spaced values and the maximum.
  const auto argmax = static_cast<std::size_t>(
      std::max_element(g.best_gain.begin(), g.best_gain.end()) - g.best_gain.begin());
  for (std::size_t i : detail::audit_rows(values.size(), options.rows, argmax)) {
    DeviationRow row{values[i], g.best_bid[i], g.truthful[i], g.best_gain[i], {}, {}};
    if (options.samples > 0) {
      const auto [mean, se] =
          simulate_gain(m, values[i], g.best_bid[i], options.samples, options.seed, i);
      row.simulated_gain = mean;
      row.simulated_stderr = se;
      if (i == argmax) {
        out.simulated_gain = mean;
        out.simulated_stderr = se;
      }
    }
    out.rows.push_back(row);
  }
  return out;
}

NoisyPoint Simulator::noisy_point(double noise_scale, double tolerance, std::size_t grid) const {
  const SimulationModel& m = *model_;
  DIA_CHECK(m.inspection.has_value());
  InspectionNoise noise = m.config.noise;
  noise.scale = noise_scale;
  const double paid = noise.active() ? noise.probability_between(-tolerance, tolerance) : 1.0;
  const std::vector<BidInterim> table =
      interim_table(m, value_grid(m, std::max<std::size_t>(2, grid)));
  const std::vector<BidInterim> extra = step_candidates(m, kNoisyStepCandidates);
  const GainSearch g = search_gains(m, table, extra, noise_scale, tolerance);
  return {noise_scale, tolerance, m.inspection->expected_revenue(paid), g.gain, 1.0 - paid};
}

ToleranceSearch Simulator::search_tolerance(double epsilon, std::size_t grid) const {
  const SimulationModel& m = *model_;
  DIA_CHECK(m.inspection.has_value() && m.config.noise.active());
  return detail::search_tolerance(m.config.noise, epsilon, m.designed_revenue, [&](double t) {
    return noisy_point(m.config.noise.scale, t, grid);
  });
}

}  // namespace dia
