// The hierarchy form of the Border lottery, for every bid (see ex_post.hpp and HierarchyLottery
// in border_lottery.hpp).
#include <algorithm>
#include <bit>
#include <cmath>

#include "bid_steps.hpp"
#include "dia/ex_post.hpp"

namespace dia {
namespace {

constexpr std::size_t kNone = detail::StepExtension::kNone;
constexpr double kReducedFormTolerance = 1e-7;
constexpr double kWeightTolerance = 1e-9;

}  // namespace

Expected<BorderLottery> BorderLottery::build(std::vector<double> values,
                                             const HierarchyLottery& rule,
                                             std::vector<double> reduced) {
  const std::size_t m = values.size(), hierarchies = rule.weights.size();
  if (m == 0 || reduced.size() != m || rule.merged_at.size() != m || hierarchies == 0 ||
      rule.reserves.size() != hierarchies) {
    return fail(
        ErrorCode::kInvalidArgument,
        "a hierarchy lottery needs m values, X and merge steps, and one reserve per weight");
  }
  double total = 0;
  for (std::size_t k = 0; k < hierarchies; ++k) {
    const std::size_t r = rule.reserves[k];
    if (!(rule.weights[k] >= 0) || r > m || (k > 0 && r < rule.reserves[k - 1])) {
      return fail(ErrorCode::kInvalidArgument,
                  "hierarchy weights must be >= 0 and reserves nondecreasing within the grid");
    }
    if (r > 0 && r < m && rule.merged_at[r] < hierarchies) {
      return fail(ErrorCode::kInvalidArgument,
                  "a reserve must start a block: the type at it never pools with the one below");
    }
    total += rule.weights[k];
  }
  if (std::fabs(total - 1) > kWeightTolerance) {
    return fail(ErrorCode::kInvalidArgument, "hierarchy weights must sum to 1");
  }
  if (rule.max_reduced_form_error > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument,
                "the hierarchy lottery's reduced form does not equal X");
  }
  BorderLottery out;
  double cumulative = 0;
  for (double w : rule.weights) out.cumulative_.push_back(cumulative += w / total);
  out.reserves_ = rule.reserves;
  out.merged_max_.push_back(rule.merged_at);
  for (std::size_t span = 1; 2 * span <= m; span *= 2) {
    const auto& prev = out.merged_max_.back();
    std::vector<std::size_t> level(m - 2 * span + 1);
    for (std::size_t i = 0; i < level.size(); ++i) level[i] = std::max(prev[i], prev[i + span]);
    out.merged_max_.push_back(std::move(level));
  }
  out.max_error_ = rule.max_reduced_form_error;
  out.lower_wins_ = rule.lower_bidder_wins;
  out.steps_ = detail::StepExtension(std::move(values), std::move(reduced));
  return out;
}

std::size_t BorderLottery::latest_merge(std::size_t lo, std::size_t hi) const {
  const std::size_t count = hi - lo;  // boundaries lo + 1 .. hi
  const auto level = static_cast<std::size_t>(std::bit_width(count) - 1);
  const auto& row = merged_max_[level];
  return std::max(row[lo + 1], row[hi + 1 - (std::size_t{1} << level)]);
}

// One uniform number makes both draws: the hierarchy k with cumulative_[k-1] <= u <
// cumulative_[k], then, rescaled within that interval, the bidder among the highest block's.
int BorderLottery::draw_hierarchy(std::span<const double> bids, double u) const {
  const std::size_t k = std::min<std::size_t>(
      std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin(),
      cumulative_.size() - 1);
  // Below the reserve: never wins. Not a structured binding: clang 14 (the fuzz build) cannot
  // capture one in a lambda.
  const detail::BidSteps steps = detail::bid_steps(steps_, bids, reserves_[k]);
  const auto& step = steps.step;
  const std::size_t top = steps.top;
  if (top == kNone) return -1;
  auto in_top_block = [&](std::size_t s) {
    return s != kNone && (s == top || latest_merge(s, top) <= k);
  };
  std::size_t count = 0;
  for (std::size_t i = 0; i < bids.size(); ++i) count += in_top_block(step[i]);
  const double low = k == 0 ? 0.0 : cumulative_[k - 1], width = cumulative_[k] - low;
  const double v = width > 0 ? std::clamp((u - low) / width, 0.0, 1.0) : 0.0;
  const auto pick = std::min(count - 1, static_cast<std::size_t>(v * static_cast<double>(count)));
  return detail::nth_bid(
      bids.size(), [&](std::size_t i) { return in_top_block(step[i]); }, pick);
}

}  // namespace dia
