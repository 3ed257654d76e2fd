// The general Border lottery for 2 bidders, for every bid (see ex_post.hpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "dia/ex_post.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/deviation_hull.hpp"

namespace dia {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr double kReducedFormTolerance = 1e-7;

}  // namespace

Expected<BorderLottery> BorderLottery::build(std::vector<double> values,
                                             std::vector<double> probabilities,
                                             std::vector<double> allocation,
                                             std::vector<double> reduced) {
  const std::size_t m = values.size();
  if (m == 0 || probabilities.size() != m || reduced.size() != m || allocation.size() != m * m) {
    return fail(ErrorCode::kInvalidArgument,
                "a Border lottery needs m values, probabilities, X and an m x m profile matrix");
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (i > 0 && !(values[i] > values[i - 1])) {
      return fail(ErrorCode::kInvalidArgument, "the grid values must be strictly increasing");
    }
    if (!(reduced[i] >= 0 && reduced[i] <= 1)) {
      return fail(ErrorCode::kInvalidArgument, "the allocation X must lie in [0,1]");
    }
  }
  BorderLottery rule;
  detail::CompensatedSum lower;
  for (std::size_t i = 0; i < m; ++i) {
    detail::CompensatedSum row;
    for (std::size_t j = 0; j < m; ++j) {
      const double e = allocation[i * m + j];
      const double pair = i == j ? 2 * e : e + allocation[j * m + i];
      if (!(e >= 0) || pair > 1 + 1e-12) {
        return fail(ErrorCode::kInvalidArgument,
                    "a profile allocates more than the item: x[i,j] + x[j,i] must be <= 1");
      }
      row.add((long double)probabilities[j] * e);
      if (i < j) lower.add(2 * (long double)probabilities[i] * probabilities[j] * e);
    }
    rule.max_error_ = std::max(rule.max_error_, std::fabs(row.value() - reduced[i]));
  }
  if (rule.max_error_ > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument, "the profile lottery's reduced form does not equal X",
                "build the profiles with solve_border_lottery");
  }
  rule.lower_wins_ = lower.value();
  rule.values_ = std::move(values);
  rule.probabilities_ = std::move(probabilities);
  rule.x_ = std::move(allocation);
  rule.reduced_ = std::move(reduced);
  rule.hull_ = std::make_shared<detail::DeviationHull>(rule.values_, rule.reduced_);
  return rule;
}

std::size_t BorderLottery::step_index(double bid) const {
  const auto it = std::upper_bound(values_.begin(), values_.end(), bid);
  return it == values_.begin() ? kNone : static_cast<std::size_t>(it - values_.begin()) - 1;
}

int BorderLottery::draw_winner(double bid0, double bid1, double u) const {
  const std::size_t i = step_index(bid0), j = step_index(bid1);
  if (i == kNone && j == kNone) return -1;
  const double x0 = i == kNone ? 0.0 : profile_allocation(i, j == kNone ? 0 : j);
  const double x1 = j == kNone ? 0.0 : profile_allocation(j, i == kNone ? 0 : i);
  if (u < x0) return 0;
  if (u < x0 + x1) return 1;
  return -1;
}

double BorderLottery::allocation(double bid) const {
  const std::size_t i = step_index(bid);
  return i == kNone ? 0.0 : reduced_[i];
}

double BorderLottery::rent(double bid) const {
  const std::size_t last = step_index(bid);
  return last == kNone ? 0.0 : hull_->best(bid, last).first;
}

double BorderLottery::winner_reward(double bid) const {
  const double x = allocation(bid);
  return x > 0 ? std::min(bid, rent(bid) / x) : 0.0;
}

}  // namespace dia
