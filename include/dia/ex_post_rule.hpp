// Which ex post rule runs a design: the highest-bidder lottery or the Border lottery.
#pragma once

#include <variant>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"
#include "dia/ex_post.hpp"

namespace dia {

// The ex post rule a design runs, in `dia simulate` and `dia serve` (docs/model.md#ex-post).
using ExPostRule = std::variant<HighestBidderLottery, BorderLottery>;

// The rule's name in outcomes: kHighestBidderRule or kBorderLotteryRule.
inline constexpr const char* kHighestBidderRule = "highest_bidder_lottery";
inline constexpr const char* kBorderLotteryRule = "border_lottery";
const char* rule_name(const ExPostRule& rule);

// The rule of a design for `bidders` bidders with values from `distribution` and the reduced
// form X (`allocation`) on the grid `types.values`: the highest-bidder lottery when it can run X
// (q <= 1), else, for X nondecreasing in [0,1], the Border lottery of build_border_lottery. That
// needs the grid's probabilities: `types.probabilities` (one per value, summing to 1), or when
// empty the atoms of a discrete `distribution` on exactly that grid. Fails (kInvalidArgument)
// otherwise, with the reason.
Expected<ExPostRule> build_ex_post_rule(const DistributionPtr& distribution, int bidders,
                                        DiscreteTypes types, std::vector<double> allocation);

}  // namespace dia
