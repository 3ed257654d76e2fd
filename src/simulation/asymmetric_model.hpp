// What an AsymmetricSimulator holds (internal): the mechanism, its ex post rule (the lottery over
// priority rankings, or a classic rule), a sampler of each bidder's type and each type's reward.
#pragma once

#include <boost/random/discrete_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dia/asymmetric_simulation.hpp"
#include "simulation/asymmetric_classic_rule.hpp"

namespace dia {

struct AsymmetricSimulator::Model {
  AsymmetricMechanism mechanism;
  std::vector<boost::random::discrete_distribution<std::uint32_t, double>> samplers;  // per bidder
  std::vector<std::vector<double>>
      reward;  // inspection, per bidder and type: s R / X, 0 where X = 0
  std::optional<detail::AsymmetricClassicRule> classic;
  std::vector<BidderMonteCarlo> expected;  // revenue_expected and sale_probability per bidder
  double expected_revenue = 0;
  double designed_revenue = 0;  // without noise; classic: asymmetric_classic_revenues'
  double paid_probability = 1;  // P(|noise| <= tolerance): a truthful winner is refunded

  const PriorityRankings& rule() const { return *mechanism.rule; }
  double value(std::size_t bidder, std::uint32_t type) const {
    return mechanism.bidders[bidder].values[type];
  }
  // Noise of one inspection (inspection with noise only).
  template <class Rng>
  double noise(Rng& rng) const {
    const InspectionNoise& n = mechanism.noise;
    if (n.kind == InspectionNoise::Kind::kNormal) return n.scale * detail::standard_normal(rng);
    return n.scale * (2.0 * detail::uniform01(rng) - 1.0);
  }

  // One auction of truthful bidders at these types: the winner, its net payment, the reward paid.
  struct Sale {
    int winner = -1;
    double payment = 0, reward = 0;
    bool denied = false;  // a truthful winner refused its reward by a noisy inspection
  };
  template <class Rng>
  Sale play(std::span<const std::uint32_t> types, Rng& rng) const {
    if (classic) {
      const auto s = classic->play(types, rng);
      return {s.winner, s.payment, 0.0, false};
    }
    const int w = rule().winner(rule().draw_ranking(rng), types);
    if (w < 0) return {};
    const auto i = static_cast<std::size_t>(w);
    const double v = value(i, types[i]);
    bool paid = true;
    if (mechanism.noise.active()) paid = std::abs(noise(rng)) <= mechanism.tolerance;
    const double r = paid ? reward[i][types[i]] : 0.0;
    return {w, v - r, r, !paid};
  }
};

}  // namespace dia
