// make_discrete_types: the validated, sorted, merged finite type space.
#include "dia/discrete_types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "numeric/compensated_sum.hpp"

namespace dia {

namespace {
constexpr double kRenormaliseAbove = 4 * std::numeric_limits<double>::epsilon();
}  // namespace

Expected<DiscreteTypes> make_discrete_types(std::vector<double> values,
                                            std::vector<double> probabilities,
                                            double sum_tolerance) {
  if (values.size() != probabilities.size()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("{} values but {} probabilities", values.size(), probabilities.size()),
                "give exactly one probability per value");
  }
  if (values.empty()) {
    return fail(ErrorCode::kInvalidSpec, "a discrete distribution needs at least one value",
                "list values with probabilities, e.g. discrete(1:0.5, 2:0.5)");
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k]) || values[k] < 0) {
      return fail(ErrorCode::kInvalidSpec,
                  fmt::format("value {} is not a finite number >= 0", values[k]),
                  "values are bids and must be finite and nonnegative");
    }
    if (!std::isfinite(probabilities[k]) || probabilities[k] < 0) {
      return fail(ErrorCode::kInvalidSpec,
                  fmt::format("probability {} of value {} is not a finite number >= 0",
                              probabilities[k], values[k]),
                  "probabilities must be between 0 and 1");
    }
  }

  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });

  DiscreteTypes types;
  types.values.reserve(values.size());
  types.probabilities.reserve(values.size());
  detail::CompensatedSum total;
  for (std::size_t k = 0; k < order.size();) {
    const double value = values[order[k]];
    detail::CompensatedSum mass;
    for (; k < order.size() && values[order[k]] == value; ++k) mass.add(probabilities[order[k]]);
    total.add(mass.value());
    if (mass.value() > 0) {
      types.values.push_back(value);
      types.probabilities.push_back(mass.value());
    }
  }

  const double sum = total.value();
  if (!(std::abs(sum - 1.0) <= sum_tolerance) || types.values.empty()) {
    return fail(ErrorCode::kInvalidSpec,
                fmt::format("probabilities sum to {}, not 1 (tolerance {})", sum, sum_tolerance),
                sum > 0 ? fmt::format("rescale them so they sum to 1, e.g. divide each by {}", sum)
                        : std::string("give at least one value a positive probability"));
  }
  // A sum within a few ulps of 1 is left alone, so that renormalised probabilities (printed and
  // parsed again) are a fixed point.
  if (std::abs(sum - 1.0) > kRenormaliseAbove) {
    for (double& p : types.probabilities) p /= sum;
  }
  return types;
}

}  // namespace dia
