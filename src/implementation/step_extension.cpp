// The step extension of a grid allocation to every bid, with its rent (see ex_post.hpp).
#include <algorithm>

#include "dia/ex_post.hpp"
#include "numeric/deviation_hull.hpp"

namespace dia::detail {

StepExtension::StepExtension(std::vector<double> values, std::vector<double> allocation)
    : values_(std::move(values)),
      allocation_(std::move(allocation)),
      hull_(std::make_shared<DeviationHull>(values_, allocation_)) {}

std::size_t StepExtension::step(double bid) const {
  const auto it = std::upper_bound(values_.begin(), values_.end(), bid);
  return it == values_.begin() ? kNone : static_cast<std::size_t>(it - values_.begin()) - 1;
}

double StepExtension::allocation(double bid) const {
  const std::size_t i = step(bid);
  return i == kNone ? 0.0 : allocation_[i];
}

double StepExtension::rent(double bid) const {
  const std::size_t last = step(bid);
  return last == kNone ? 0.0 : hull_->best(bid, last).first;
}

double StepExtension::winner_reward(double bid) const {
  const double x = allocation(bid);
  return x > 0 ? std::min(bid, rent(bid) / x) : 0.0;
}

}  // namespace dia::detail
