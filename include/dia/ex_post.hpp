// Ex post rules for n i.i.d. bidders built from a reduced form (MODEL.md section 8), defined for
// every bid, not only at the design's grid points.
#pragma once

#include <memory>
#include <vector>

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {
namespace detail {
class DeviationHull;
}

// The highest-bidder lottery: the highest bid wins (ties uniformly at random), the item is
// delivered with probability q(w) = X(w) / G(w), and a truthful winner is refunded
// rho(w) = R(w) / X(w) <= w. For one bidder G = 1, so q = X.
//
// X is extended from the grid v_1 < ... < v_m to every bid as a right-continuous step
// (X(w) = X_i on [v_i, v_{i+1}), 0 below v_1), which is monotone; the rent is recomputed from
// (RENT) for that step function, R(w) = max_{v_i <= w} (w - v_i) X_i, so truth-telling is a best
// response at every bid, and limited liability holds (R(w) <= w X(w)).
class HighestBidderLottery {
 public:
  // Fails (kInvalidArgument) if X is not nondecreasing in [0, 1], or q would exceed 1 somewhere
  // (then the optimum needs a general Border lottery, not this rule).
  static Expected<HighestBidderLottery> build(std::vector<double> values,
                                              std::vector<double> allocation, int bidders,
                                              DistributionPtr distribution);

  int bidders() const { return bidders_; }
  double allocation(double bid) const;           // interim X(w)
  double rent(double bid) const;                 // interim R(w), the expected reward
  double highest_probability(double bid) const;  // G(w): interim chance of being the winner
  double win_probability(double bid) const;      // q(w) = X(w) / G(w)
  double winner_reward(double bid) const;        // rho(w) = R(w) / X(w); 0 where X = 0
  double max_win_probability() const { return max_q_; }

 private:
  HighestBidderLottery() = default;
  std::size_t step_index(double bid) const;  // the largest i with v_i <= bid, or npos

  std::vector<double> values_, allocation_;
  std::shared_ptr<const detail::DeviationHull> hull_;  // the upper envelope of (RENT)
  int bidders_ = 1;
  DistributionPtr distribution_;
  double max_q_ = 0;
};

}  // namespace dia
