// The ex post rule of an auction's design (see dia/ex_post_rule.hpp): the highest-bidder lottery
// where it can run the reduced form, else the general Border lottery (docs/model.md#ex-post).
#include "dia/ex_post_rule.hpp"

#include <algorithm>
#include <string>

#include "dia/border_lottery.hpp"

namespace dia {

const char* rule_name(const ExPostRule& rule) {
  return std::holds_alternative<BorderLottery>(rule) ? kBorderLotteryRule : kHighestBidderRule;
}

Expected<ExPostRule> build_ex_post_rule(const DistributionPtr& distribution, int bidders,
                                        DiscreteTypes types, std::vector<double> allocation) {
  if (types.values.size() != allocation.size()) {
    return fail(ErrorCode::kInvalidArgument,
                "the reduced form has " + std::to_string(types.values.size()) + " values and " +
                    std::to_string(allocation.size()) + " allocations",
                "give one allocation per value");
  }
  if (!types.probabilities.empty()) {
    auto checked = make_discrete_types(types.values, types.probabilities);
    if (!checked || checked->values != types.values) {
      return fail(ErrorCode::kInvalidArgument,
                  "the probabilities must be one per value, >= 0 and summing to 1, on strictly "
                  "increasing values with none of probability 0" +
                      (checked ? std::string() : ": " + checked.error().message));
    }
    types = std::move(*checked);
  }
  auto highest = HighestBidderLottery::build(types.values, allocation, bidders, distribution);
  if (highest) return ExPostRule{std::move(*highest)};
  // X beyond the chance G of being the highest bidder (q > 1) needs the Border lottery; any other
  // failure (an X that is not nondecreasing in [0,1]) is the highest-bidder lottery's to explain.
  const bool in_range =
      std::all_of(allocation.begin(), allocation.end(), [](double x) { return x >= 0 && x <= 1; });
  if (bidders < 2 || !in_range || !std::is_sorted(allocation.begin(), allocation.end())) {
    return tl::unexpected(highest.error());
  }
  if (types.probabilities.empty() && distribution && distribution->is_discrete() &&
      distribution->atoms().values == types.values) {
    types.probabilities = distribution->atoms().probabilities;
  }
  if (types.probabilities.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "this reduced form exceeds the chance of being the highest bidder (q > 1) and "
                "needs the Border lottery, which needs the probability of each value",
                "give 'probabilities' (one per value) with 'values' and 'allocation'");
  }
  auto border = build_border_lottery(types, allocation, bidders);
  if (!border) return tl::unexpected(border.error());
  return ExPostRule{std::move(*border)};
}

}  // namespace dia
