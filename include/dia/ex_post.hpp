// Ex post rules for n i.i.d. bidders built from a reduced form (docs/model.md#ex-post), defined for
// every bid, not only at the design's grid points.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "dia/border_lottery.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {
namespace detail {
class DeviationHull;

// X on the grid v_0 < ... < v_{m-1} extended to every bid as a right-continuous step
// (X(w) = X_i on [v_i, v_{i+1}), 0 below v_0), which is monotone, with the rent (RENT) recomputed
// for that step function, R(w) = max_{v_i <= w} (w - v_i) X_i: truth-telling is a best response at
// every bid and limited liability holds (R(w) <= w X(w)). Shared by the ex post rules.
class StepExtension {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  StepExtension() = default;
  StepExtension(std::vector<double> values, std::vector<double> allocation);

  std::size_t size() const { return values_.size(); }
  double value(std::size_t i) const { return values_[i]; }
  std::size_t step(double bid) const;      // the largest i with v_i <= bid, or kNone
  double allocation(double bid) const;     // X(w)
  double rent(double bid) const;           // R(w)
  double winner_reward(double bid) const;  // R(w) / X(w), at most w; 0 where X = 0

 private:
  std::vector<double> values_, allocation_;
  std::shared_ptr<const DeviationHull> hull_;  // the upper envelope of (RENT)
};

}  // namespace detail

// The highest-bidder lottery: the highest bid wins (ties uniformly at random), the item is
// delivered with probability q(w) = X(w) / G(w), and a truthful winner is refunded
// rho(w) = R(w) / X(w) <= w. For one bidder G = 1, so q = X. X and R are the grid's
// detail::StepExtension.
class HighestBidderLottery {
 public:
  // Fails (kInvalidArgument) if X is not nondecreasing in [0, 1], or q would exceed 1 somewhere
  // (then the optimum needs a general Border lottery, not this rule).
  static Expected<HighestBidderLottery> build(std::vector<double> values,
                                              std::vector<double> allocation, int bidders,
                                              DistributionPtr distribution);

  int bidders() const { return bidders_; }
  double allocation(double bid) const { return steps_.allocation(bid); }  // interim X(w)
  double rent(double bid) const { return steps_.rent(bid); }  // interim R(w), the expected reward
  double highest_probability(double bid) const;  // G(w): interim chance of being the winner
  double win_probability(double bid) const;      // q(w) = X(w) / G(w)
  // rho(w) = R(w) / X(w); 0 where X = 0
  double winner_reward(double bid) const { return steps_.winner_reward(bid); }
  double max_win_probability() const { return max_q_; }

 private:
  HighestBidderLottery() = default;

  detail::StepExtension steps_;
  int bidders_ = 1;
  DistributionPtr distribution_;
  double max_q_ = 0;
};

// The general ex post rule of Border's theorem for i.i.d. bidders (docs/model.md#ex-post), used
// when the optimal X exceeds the chance of being the highest bidder (q = X/G > 1) somewhere. For 2
// bidders a symmetric lottery over bid profiles on the grid v_0 < ... < v_{m-1}: at the profile
// (v_i, v_j) the bidder bidding v_i gets the item with probability x[i,j]; x[i,j] + x[j,i] <= 1,
// x[i,i] <= 1/2, and its reduced form sum_j p_j x[i,j] equals X_i (border_lottery.hpp builds it).
// For any number, the transfer form or the hierarchy form (below); build_border_lottery
// (border_lottery.hpp) picks one for a design.
//
// Bids between grid points: a bid w plays as the grid type step(w) = the largest v_i <= w (the
// same detail::StepExtension of X as HighestBidderLottery, so X(w) = X_step(w) and the rent keeps
// truth-telling a best response at every bid). A bid below v_0 never wins, and its opponent plays
// as if against v_0. A truthful winner is refunded rho(w) = R(w) / X(w) whatever the other bids,
// so its expected reward is R(w).
class BorderLottery {
 public:
  // `allocation` is the m x m matrix x, row-major; `reduced` is the X it implements. Fails if the
  // shapes disagree, a pair is over-allocated or the reduced form misses X by more than 1e-7.
  static Expected<BorderLottery> build(std::vector<double> values,
                                       std::vector<double> probabilities,
                                       std::vector<double> allocation, std::vector<double> reduced);
  // Any number of bidders, from the transfer form of build_transfer_lottery (border_lottery.hpp):
  // at a profile topped by grid type i, one lower bidder drawn uniformly (type j) gets the item
  // with probability tau_ij, else the highest bidders with probability keep_i. Fails if a
  // probability is outside [0, 1] or the rule's own reduced form misses X by more than 1e-7.
  static Expected<BorderLottery> build(std::vector<double> values, const TransferLottery& rule,
                                       std::vector<double> reduced);
  // Any number of bidders, from the hierarchy form of build_hierarchy_lottery
  // (border_lottery.hpp). Fails if the weights are not a distribution, the reserves fall or exceed
  // the grid, a reserve is merged with the type below it, or the rule's reduced form misses X by
  // more than 1e-7.
  static Expected<BorderLottery> build(std::vector<double> values, const HierarchyLottery& rule,
                                       std::vector<double> reduced);

  std::size_t types() const { return steps_.size(); }
  // "profiles", "transfers" or "hierarchies": which form was built.
  const char* form() const;
  std::size_t hierarchies() const { return cumulative_.size(); }
  // x[i,j] at grid indices.
  double profile_allocation(std::size_t i, std::size_t j) const { return x_[i * types() + j]; }
  // The winner for the bids (bid0, bid1) given a uniform number u in [0,1): 0, 1, or -1 (none).
  int draw_winner(double bid0, double bid1, double u) const;
  // The winner among any number of bids (an index into `bids`), or -1; the profile form takes 2.
  int draw_winner(std::span<const double> bids, double u) const;
  double allocation(double bid) const { return steps_.allocation(bid); }  // interim X(w)
  double rent(double bid) const { return steps_.rent(bid); }  // interim R(w), the expected reward
  // rho(w) = R(w) / X(w); 0 where X = 0
  double winner_reward(double bid) const { return steps_.winner_reward(bid); }
  // max_i |sum_j p_j x[i,j] - X_i|, recomputed at build.
  double max_reduced_form_error() const { return max_error_; }
  // P(the bidder with the strictly lower value gets the item) under truthful bids.
  double lower_bidder_wins() const { return lower_wins_; }

 private:
  BorderLottery() = default;

  int draw_transfer(std::span<const double> bids, double u) const;
  int draw_hierarchy(std::span<const double> bids, double u) const;
  // max merged_at over the boundaries lo+1 .. hi, from the sparse table: types lo < hi share a
  // block in hierarchy k iff it is <= k.
  std::size_t latest_merge(std::size_t lo, std::size_t hi) const;

  detail::StepExtension steps_;
  std::vector<double> x_;  // the 2-bidder profile form
  // The transfer form: per top type, (lower type, tau) sorted by lower type, and keep.
  std::vector<std::vector<std::pair<std::size_t, double>>> transfers_;
  std::vector<double> keep_;
  // The hierarchy form: cumulative weights, reserves, and merged_max_[l][i], the largest
  // merged_at of the boundaries i .. i + 2^l - 1.
  std::vector<double> cumulative_;
  std::vector<std::size_t> reserves_;
  std::vector<std::vector<std::size_t>> merged_max_;
  double max_error_ = 0;
  double lower_wins_ = 0;
};

}  // namespace dia
