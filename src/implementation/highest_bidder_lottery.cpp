// The highest-bidder lottery of docs/model.md#highest-bidder, for every bid (see ex_post.hpp).
#include <algorithm>
#include <cmath>

#include "dia/ex_post.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {

Expected<HighestBidderLottery> HighestBidderLottery::build(std::vector<double> values,
                                                           std::vector<double> allocation,
                                                           int bidders,
                                                           DistributionPtr distribution) {
  if (values.empty() || values.size() != allocation.size() || bidders < 1 || !distribution) {
    return fail(ErrorCode::kInvalidArgument, "a lottery needs a nonempty reduced form");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const bool increasing = i == 0 || values[i] > values[i - 1];
    const bool monotone = i == 0 || allocation[i] >= allocation[i - 1];
    if (!increasing || !monotone || !(allocation[i] >= 0 && allocation[i] <= 1)) {
      return fail(ErrorCode::kInvalidArgument,
                  "the allocation must be nondecreasing in [0,1] on increasing values");
    }
  }
  HighestBidderLottery rule;
  rule.steps_ = detail::StepExtension(std::move(values), std::move(allocation));
  rule.bidders_ = bidders;
  rule.distribution_ = std::move(distribution);
  for (std::size_t i = 0; i < rule.steps_.size(); ++i) {
    rule.max_q_ = std::max(rule.max_q_, rule.win_probability(rule.steps_.value(i)));
  }
  if (rule.max_q_ > 1 + 1e-12) {
    return fail(ErrorCode::kInvalidArgument,
                "the allocation exceeds the chance of being the highest bidder (q > 1)",
                "this reduced form needs a general Border lottery");
  }
  return rule;
}

double HighestBidderLottery::highest_probability(double bid) const {
  if (bidders_ == 1) return 1.0;
  const double at_or_below = distribution_->cdf(bid);
  double atom = 0;  // the mass of an atom at `bid`: ties with it are broken uniformly
  if (distribution_->is_discrete()) {
    const auto& t = distribution_->atoms();
    const auto it = std::lower_bound(t.values.begin(), t.values.end(), bid);
    if (it != t.values.end() && *it == bid) atom = t.probabilities[it - t.values.begin()];
  }
  return static_cast<double>(
      detail::highest_probability(at_or_below - atom, at_or_below, bidders_));
}

double HighestBidderLottery::win_probability(double bid) const {
  const double x = allocation(bid);
  if (x <= 0) return 0.0;
  return x / highest_probability(bid);
}

}  // namespace dia
