// The inspection mechanism's ex post rule compiled for fast play (internal): the highest-bidder
// lottery of docs/model.md#highest-bidder built by dia::HighestBidderLottery from the design, or,
// when the design sometimes sells to a lower bidder (q > 1), the Border lottery, with allocation,
// win probability and reward tabulated per design type.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "dia/ex_post_rule.hpp"
#include "simulation/auction.hpp"
#include "simulation/classic_rule.hpp"

namespace dia::detail {

class InspectionRule {
 public:
  // `types` and `allocation` from the design; the rule built from them.
  InspectionRule(const Distribution& distribution, const InspectionMechanism& mechanism,
                 ExPostRule rule, const SimulationConfig& config);

  template <class Rng>
  Outcome play(const Bid* bids, int n, Rng& rng) const {
    if (const auto* border = std::get_if<BorderLottery>(&rule_)) {
      std::array<double, ClassicRule::kMaxBidders> amounts;
      for (int i = 0; i < n; ++i) amounts[static_cast<std::size_t>(i)] = bids[i].bid;
      const int w = border->draw_winner(
          std::span<const double>(amounts.data(), static_cast<std::size_t>(n)), uniform01(rng));
      if (w < 0) return Outcome{};
      const Bid& b = bids[w];
      return settle(b, w, per_atom_ ? b.atom : locate(b.bid, b.u), rng);
    }
    const int w = highest_bid(bids, n, rng);
    const Bid& b = bids[w];
    double q = 0;
    std::size_t step = 0;
    if (per_atom_) {
      step = b.atom;
      q = q_[step];
    } else {
      step = locate(b.bid, b.u);
      if (step == kNone) return Outcome{w};
      const double x = x_[step];
      double g = 1;
      for (int i = 1; i < n_; ++i) g *= b.u;
      q = g > x ? x / g : 1.0;
    }
    if (!(uniform01(rng) < q)) return Outcome{w};
    return settle(b, w, step, rng);
  }

  // The winner `w` with bid `b` on design step `step` deposits its bid; an inspection finds it
  // truthful (within the tolerance of a noisy one) or not, and the reward follows.
  template <class Rng>
  Outcome settle(const Bid& b, int w, std::size_t step, Rng& rng) const {
    Outcome out{w};
    if (step == kNone) return out;
    out.sold = true;
    const bool truthful = b.bid == b.value;
    bool inspected_ok = truthful;
    if (noise_.active()) {
      const double observed = b.value + noise(rng);
      inspected_ok = std::abs(b.bid - observed) <= tolerance_;
    }
    out.truthful = truthful;
    out.denied = truthful && !inspected_ok;
    out.reward = inspected_ok ? reward(b.bid, step) : 0.0;
    out.payment = b.bid - out.reward;
    return out;
  }

  // Interim, for one bidder bidding `bid` against truthful others (exact;
  // docs/model.md#reduced-form).
  double allocation(double bid) const {
    return std::visit([bid](const auto& rule) { return rule.allocation(bid); }, rule_);
  }
  double winner_reward(double bid) const {
    return reward_scale_ *
           std::visit([bid](const auto& rule) { return rule.winner_reward(bid); }, rule_);
  }
  // Continuous values played on the design's equal-mass cells (draw cell floor(u m)).
  bool plays_grid() const { return grid_; }
  const std::vector<double>& step_values() const { return v_; }
  const std::vector<double>& step_allocation() const { return x_; }

  // The design's expected revenue per auction: sum_k n p_k (v_k X_k - s R_k P(reward paid)),
  // s the reward scale, P(reward paid) = P(|noise| <= tolerance) for a truthful winner.
  double expected_revenue(double paid_probability) const;

  template <class Rng>
  double noise(Rng& rng) const {
    if (noise_.kind == InspectionNoise::Kind::kNormal) return noise_.scale * standard_normal(rng);
    return noise_.scale * (2.0 * uniform01(rng) - 1.0);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t locate(double bid, double u) const;     // the largest step i with v_i <= bid
  double reward(double bid, std::size_t step) const;  // rho(bid) for an inspected-ok winner

  ExPostRule rule_;
  InspectionMechanism mechanism_;
  int n_ = 1;
  bool per_atom_ = false;  // discrete: steps are the atoms the sampler draws
  bool grid_ = false;      // continuous: steps are equal-mass quantile cells
  double reward_scale_ = 1;
  InspectionNoise noise_;
  double tolerance_ = 0;
  std::vector<double> v_, x_, q_, rho_;  // per step: value, X, q (per atom), rho (per atom)
  std::vector<std::uint32_t> hull_;      // lines of (RENT) on the upper envelope
  std::vector<std::uint32_t> hull_at_;   // per step: hull position best at the step's start
};

}  // namespace dia::detail
