// One bidder's side of a saved rule run under another distribution (internal; evaluate.hpp).
#pragma once

#include <functional>
#include <span>

#include "dia/evaluate.hpp"

namespace dia::detail {

// A bidder whose values have the atoms `h` facing a rule under which a bid w wins with chance
// interim(w) (the others truthful) and a confirmed winner gets reward(w) back: the outcome of
// truthful bids for this one bidder, and the best lie (sup over w < v of (v - w) interim(w),
// against interim(v) reward(v)), with the grid's values and the atoms, and the points just above
// them, as the candidate bids (docs/model.md#evaluate-n). `atoms` is set; `rule` and
// `discretized` are the caller's.
RuleEvaluation evaluate_bidder(const DiscreteTypes& h, std::span<const double> grid,
                               const std::function<double(double)>& interim,
                               const std::function<double(double)>& reward);

}  // namespace dia::detail
