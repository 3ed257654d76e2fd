// The designers' front door: dispatch on the number of bidders, and the mechanism to run.
#include "dia/design.hpp"

#include <fmt/format.h>

#include <cmath>

#include "dia/border_lottery.hpp"
#include "numeric/deviation_hull.hpp"

namespace dia {

std::string to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kGridLimited:
      return "grid_limited";
    case SolveStatus::kFailed:
      return "failed";
  }
  return "failed";
}

Expected<void> validate_design_request(const Distribution& d, int bidders,
                                       const DesignOptions& options) {
  if (bidders < 1 || bidders > 50) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("bidders must be 1..50, got {}", bidders),
                "pass --bidders between 1 and 50");
  }
  if (bidders == 1) return {};
  const std::size_t types = d.is_discrete() ? d.atoms().size() : options.grid.value_or(0);
  const std::size_t limit = d.is_discrete() ? kMaxSymmetricTypes : kMaxStructuredCells;
  if (types > limit) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the {}-bidder design handles at most {} {}, got {}", bidders, limit,
                            d.is_discrete() ? "atoms" : "grid cells", types),
                d.is_discrete() ? "merge the atoms into fewer values (e.g. round them)"
                                : "use a smaller --grid, or leave it out for the default ladder");
  }
  return {};
}

InspectionDesign design_inspection(const Distribution& d, int bidders,
                                   const DesignOptions& options) {
  return bidders == 1 ? design_one_bidder(d, options) : design_symmetric(d, bidders, options);
}

namespace {

// On a quantile grid G_k averages F^(n-1) over cell k, so X_k = G_k can exceed F(v_k)^(n-1) at
// the cell's conditional mean v_k (F^(n-1) is not linear), while the highest-bidder lottery for a
// bid w needs X(w) <= F(w)^(n-1) (docs/model.md#highest-bidder). The mechanism to run caps X_k
// there, a change of the order of the squared cell width.
bool cap_at_highest_bid_chance(const Distribution& d, InspectionMechanism& mechanism) {
  auto& x = mechanism.reduced.allocation;
  const auto& v = mechanism.types.values;
  bool capped = false;
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double g = std::pow(d.cdf(v[k]), mechanism.bidders - 1);
    if (x[k] > g) x[k] = g, capped = true;
  }
  return capped;
}

// The rents (RENT) for the mechanism's X, after it was changed.
void recompute_rents(InspectionMechanism& mechanism) {
  const auto& v = mechanism.types.values;
  const detail::DeviationHull hull(v, mechanism.reduced.allocation);  // the audit keeps its own
  auto& rent = mechanism.reduced.rent;
  for (std::size_t k = 0; k < v.size(); ++k) rent[k] = k > 0 ? hull.best(v[k], k - 1).first : 0.0;
}

}  // namespace

Expected<InspectionMechanism> design_mechanism(const Distribution& d, int bidders,
                                               const DesignOptions& options) {
  if (auto valid = validate_design_request(d, bidders, options); !valid) {
    return tl::unexpected(valid.error());
  }
  InspectionDesign design = design_inspection(d, bidders, options);
  if (design.status == SolveStatus::kFailed) {
    return fail(ErrorCode::kAuditFailed,
                fmt::format("the {}-bidder design of {} failed its audit", bidders, d.spec()));
  }
  InspectionMechanism mechanism = std::move(design.mechanism);
  if (bidders < 2) return mechanism;
  bool changed = !d.is_discrete() && design.max_win_probability <= 1 + 1e-9 &&
                 cap_at_highest_bid_chance(d, mechanism);
  changed |= enforce_border(mechanism.types, mechanism.reduced.allocation, bidders) > 0;
  if (changed) recompute_rents(mechanism);
  return mechanism;
}

}  // namespace dia
