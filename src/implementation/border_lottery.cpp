// The general Border lottery, for every bid (see ex_post.hpp): 2 bidders over bid profiles, or any
// number in the transfer form.
#include <algorithm>
#include <cmath>

#include "bid_steps.hpp"
#include "dia/ex_post.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

constexpr std::size_t kNone = detail::StepExtension::kNone;
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
  BorderLotteryProfiles profiles{std::move(allocation)};
  measure_profiles(probabilities, reduced, profiles);
  const bool negative = std::any_of(profiles.allocation.begin(), profiles.allocation.end(),
                                    [](double e) { return !(e >= 0); });
  if (negative || profiles.max_pair_violation > 1e-12) {
    return fail(ErrorCode::kInvalidArgument,
                "a profile allocates more than the item: x[i,j] + x[j,i] must be <= 1");
  }
  if (profiles.max_reduced_form_error > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument, "the profile lottery's reduced form does not equal X",
                "build the profiles with solve_border_lottery");
  }
  BorderLottery rule;
  rule.max_error_ = profiles.max_reduced_form_error;
  rule.lower_wins_ = profiles.lower_bidder_wins;
  rule.x_ = std::move(profiles.allocation);
  rule.steps_ = detail::StepExtension(std::move(values), std::move(reduced));
  return rule;
}

Expected<BorderLottery> BorderLottery::build(std::vector<double> values,
                                             const TransferLottery& rule,
                                             std::vector<double> reduced) {
  const std::size_t m = values.size();
  if (m == 0 || reduced.size() != m || rule.keep.size() != m) {
    return fail(ErrorCode::kInvalidArgument, "a Border lottery needs m values, X and keeps");
  }
  if (rule.max_reduced_form_error > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument,
                "the transfer lottery's reduced form does not equal X");
  }
  BorderLottery out;
  out.transfers_.resize(m);
  for (const auto& t : rule.transfers) {
    if (t.top >= m || t.lower >= t.top || !(t.tau >= 0 && t.tau <= 1)) {
      return fail(ErrorCode::kInvalidArgument,
                  "a transfer must go down with a probability in [0,1]");
    }
    out.transfers_[t.top].emplace_back(t.lower, t.tau);
  }
  for (auto& list : out.transfers_) std::sort(list.begin(), list.end());
  for (double k : rule.keep) {
    if (!(k >= 0 && k <= 1)) return fail(ErrorCode::kInvalidArgument, "keep must lie in [0,1]");
  }
  out.keep_ = rule.keep;
  out.max_error_ = rule.max_reduced_form_error;
  out.lower_wins_ = rule.lower_bidder_wins;
  out.steps_ = detail::StepExtension(std::move(values), std::move(reduced));
  return out;
}

const char* BorderLottery::form() const {
  if (!cumulative_.empty()) return "hierarchies";
  return x_.empty() ? "transfers" : "profiles";
}

int BorderLottery::draw_winner(std::span<const double> bids, double u) const {
  if (bids.size() > detail::kMaxBids) return -1;
  if (!cumulative_.empty()) return draw_hierarchy(bids, u);
  if (x_.empty()) return draw_transfer(bids, u);
  return bids.size() == 2 ? draw_winner(bids[0], bids[1], u) : -1;
}

// One uniform number makes all draws: which lower bidder (the integer part of u |L|), then
// whether it gets the item (the fractional part), then whether the top bidders keep it.
int BorderLottery::draw_transfer(std::span<const double> bids, double u) const {
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  const detail::BidSteps steps = detail::bid_steps(steps_, bids, 0);
  const auto& step = steps.step;
  const std::size_t top = steps.top;
  if (top == kNone) return -1;  // every bid is below the grid: nothing is sold
  std::size_t at_top = 0;
  for (std::size_t i = 0; i < bids.size(); ++i) at_top += step[i] == top;
  const std::size_t lower = bids.size() - at_top;
  auto kth = [&](bool top_group, std::size_t k) {
    return detail::nth_bid(
        bids.size(), [&](std::size_t i) { return (step[i] == top) == top_group; }, k);
  };
  double rest = u;
  if (lower > 0) {
    const double scaled = u * static_cast<double>(lower);
    const auto pick = std::min(lower - 1, static_cast<std::size_t>(scaled));
    const int chosen = kth(false, pick);
    const std::size_t type = step[static_cast<std::size_t>(chosen)];
    double tau = 0;  // a bid below the grid never receives
    if (type != kNone) {
      const auto& list = transfers_[top];
      const auto it = std::lower_bound(list.begin(), list.end(), std::make_pair(type, 0.0));
      if (it != list.end() && it->first == type) tau = it->second;
    }
    const double v = scaled - static_cast<double>(pick);
    if (v < tau) return chosen;
    rest = tau < 1 ? (v - tau) / (1 - tau) : 1.0;
  }
  if (rest >= keep_[top]) return -1;
  return kth(true, std::min(at_top - 1, static_cast<std::size_t>(rest / keep_[top] *
                                                                 static_cast<double>(at_top))));
}

int BorderLottery::draw_winner(double bid0, double bid1, double u) const {
  const std::size_t i = steps_.step(bid0), j = steps_.step(bid1);
  if (i == kNone && j == kNone) return -1;
  const double x0 = i == kNone ? 0.0 : profile_allocation(i, j == kNone ? 0 : j);
  const double x1 = j == kNone ? 0.0 : profile_allocation(j, i == kNone ? 0 : i);
  if (u < x0) return 0;
  if (u < x0 + x1) return 1;
  return -1;
}

double enforce_border(const DiscreteTypes& types, std::vector<double>& x, int bidders) {
  const std::vector<long double> g = detail::highest_probabilities(types.probabilities, bidders);
  long double excess = 0;  // sum_{i >= b} p_i (X_i - G_i), at most 0 below the top once enforced
  double largest = 0;
  for (std::size_t b = x.size(); b-- > 0;) {
    const long double p = types.probabilities[b];
    excess += p * (static_cast<long double>(x[b]) - g[b]);
    if (excess > 0 && p > 0) {
      // Never below 0 (a type of tiny mass cannot absorb much): the rest of the excess moves on
      // to the types below.
      const double lowered = std::max(0.0, static_cast<double>(x[b] - excess / p));
      largest = std::max(largest, x[b] - lowered);
      // Only what a type lowered to 0 could not absorb moves on; above 0 the row now holds (what
      // is left is the rounding of `lowered` to a double, not an excess).
      excess = lowered > 0 ? 0 : std::max(excess - p * static_cast<long double>(x[b]), 0.0L);
      x[b] = lowered;
    }
  }
  return largest;
}

void measure_profiles(const std::vector<double>& p, const std::vector<double>& reduced,
                      BorderLotteryProfiles& profiles) {
  const std::size_t m = p.size();
  const auto& x = profiles.allocation;
  profiles.max_reduced_form_error = profiles.max_pair_violation = 0;
  detail::CompensatedSum lower_wins;
  for (std::size_t i = 0; i < m; ++i) {
    detail::CompensatedSum row;
    for (std::size_t j = 0; j < m; ++j) {
      const double e = x[i * m + j];
      row.add((long double)p[j] * e);
      if (i < j) lower_wins.add(2 * (long double)p[i] * p[j] * e);
      const double pair = i == j ? 2 * e : e + x[j * m + i];
      profiles.max_pair_violation = std::max(profiles.max_pair_violation, pair - 1);
    }
    profiles.max_reduced_form_error =
        std::max(profiles.max_reduced_form_error, std::fabs(row.value() - reduced[i]));
  }
  profiles.lower_bidder_wins = lower_wins.value();
}

}  // namespace dia
