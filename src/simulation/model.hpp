// What a Simulator holds (internal): the distribution, its sampler and the compiled rule.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "dia/classic.hpp"
#include "dia/simulation.hpp"
#include "simulation/classic_rule.hpp"
#include "simulation/inspection_rule.hpp"
#include "simulation/value_sampler.hpp"

namespace dia::detail {

class SimulationModel {
 public:
  SimulationModel(DistributionPtr d, SimulationConfig c, ClassicRevenues cr)
      : distribution(std::move(d)), config(std::move(c)), classic(cr), sampler(distribution) {}

  DistributionPtr distribution;
  SimulationConfig config;
  ClassicRevenues classic;
  ValueSampler sampler;
  std::optional<InspectionRule> inspection;
  std::optional<ClassicRule> classic_rule;
  double designed_revenue = 0;
  double expected_revenue = 0;
  std::vector<std::string> notes;

  // Plays one auction with the compiled rule.
  template <class Rng>
  Outcome play(const Bid* bids, Rng& rng) const {
    return inspection ? inspection->play(bids, config.bidders, rng)
                      : classic_rule->play(bids, config.bidders, rng);
  }

  // A truthful bidder's draw: a value, or for inspection on a continuum the design cell's type.
  template <class Rng>
  Bid draw(Rng& rng) const {
    const Draw d = sampler.draw(rng);
    if (inspection && inspection->plays_grid()) {
      const auto& v = inspection->step_values();
      const auto k =
          std::min(static_cast<std::size_t>(d.u * static_cast<double>(v.size())), v.size() - 1);
      return {v[k], v[k], d.u, static_cast<std::uint32_t>(k)};
    }
    return {d.value, d.value, d.u, d.atom};
  }

  // A bid as the rules see it: its CDF level (continuous) or atom (discrete).
  Bid make_bid(double value, double bid) const;
};

}  // namespace dia::detail
