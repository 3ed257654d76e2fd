// What an AsymmetricSimulator holds (internal): the mechanism, its lottery over priority rankings,
// a sampler of each bidder's type and each type's reward.
#pragma once

#include <boost/random/discrete_distribution.hpp>
#include <cstdint>
#include <vector>

#include "dia/asymmetric_simulation.hpp"

namespace dia {

struct AsymmetricSimulator::Model {
  AsymmetricMechanism mechanism;
  std::vector<boost::random::discrete_distribution<std::uint32_t, double>> samplers;  // per bidder
  std::vector<std::vector<double>> reward;  // per bidder and type: s R / X, 0 where X = 0
  std::vector<BidderMonteCarlo> expected;   // revenue_expected and sale_probability per bidder
  double expected_revenue = 0;

  const PriorityRankings& rule() const { return *mechanism.rule; }
  double value(std::size_t bidder, std::uint32_t type) const {
    return mechanism.bidders[bidder].values[type];
  }
};

}  // namespace dia
