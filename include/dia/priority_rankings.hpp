// The ex post rule for independent bidders with different type spaces (docs/asymmetric.md
// section 7): a lottery over priority rankings of (bidder, type) pairs. Ranking k, drawn with
// probability weight(k), lists some of the pairs; at a profile of types the item goes to the
// present pair ranked first, and to nobody when no present pair is ranked (they are below the
// ranking's cut).
#pragma once

#include <boost/random/discrete_distribution.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia {

class PriorityRankings {
 public:
  static constexpr std::uint32_t kBelowCut = 0xffffffffu;

  // The decomposition of docs/asymmetric.md section 7 of the reduced form `allocations[i]` (X_i
  // on `bidders[i]`'s types, Border-feasible to 1e-9): at most N + 1 rankings for N pairs with
  // X > 0. Fails (kInvalidArgument) on mismatched shapes, X outside [0, 1], a family violating
  // Border's condition by more than 1e-9 (the message names it), or a rule whose own reduced
  // form misses X by more than 1e-7.
  static Expected<PriorityRankings> build(const std::vector<DiscreteTypes>& bidders,
                                          const std::vector<std::vector<double>>& allocations);

  std::size_t bidders() const { return offsets_.size() - 1; }
  std::size_t pairs() const { return offsets_.back(); }  // N: every (bidder, type) pair
  std::size_t rankings() const { return weights_.size(); }
  double weight(std::size_t k) const { return weights_[k]; }
  // Bidder i's type t in ranking k: 0 is the first place; kBelowCut never gets the item.
  std::uint32_t priority(std::size_t k, std::size_t bidder, std::size_t type) const {
    return priority_[k * pairs() + offsets_[bidder] + type];
  }

  // The winner of ranking k at the profile `types` (bidder i's type index types[i]), or -1. O(n).
  int winner(std::size_t k, std::span<const std::uint32_t> types) const {
    const std::uint32_t* row = priority_.data() + k * pairs();
    std::uint32_t best = kBelowCut;
    int who = -1;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const std::uint32_t place = row[offsets_[i] + types[i]];
      if (place < best) best = place, who = static_cast<int>(i);
    }
    return who;
  }
  // A ranking drawn with probability weight(k) (Walker's alias table: O(1)).
  template <class Rng>
  std::size_t draw_ranking(Rng& rng) const {
    return pick_(rng);
  }

  // The rule's own interim allocation of bidder i's types, recomputed from the rankings.
  const std::vector<double>& allocation(std::size_t bidder) const { return allocation_[bidder]; }
  double max_reduced_form_error() const { return max_error_; }  // max |allocation - X|
  // P(the winner's value is below another bidder's value), all bidders truthful.
  double lower_bidder_wins() const { return lower_wins_; }

 private:
  PriorityRankings() = default;

  std::vector<std::size_t> offsets_;     // bidder i's pairs: offsets_[i] .. offsets_[i+1] - 1
  std::vector<double> weights_;          // per ranking
  std::vector<std::uint32_t> priority_;  // rankings() x pairs(), row-major
  boost::random::discrete_distribution<std::size_t, double> pick_;
  std::vector<std::vector<double>> allocation_;
  double max_error_ = 0;
  double lower_wins_ = 0;
};

}  // namespace dia
