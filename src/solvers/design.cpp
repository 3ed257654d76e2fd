// The designers' front door: dispatch on the number of bidders, and the mechanism to run.
#include "dia/design.hpp"

#include <fmt/format.h>

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

Expected<InspectionMechanism> design_mechanism(const Distribution& d, int bidders,
                                               const DesignOptions& options) {
  if (auto valid = validate_design_request(d, bidders, options); !valid) {
    return tl::unexpected(valid.error());
  }
  InspectionDesign design = design_inspection(d, bidders, options);
  if (design.status == SolveStatus::kFailed) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the {}-bidder design of {} failed its audit", bidders, d.spec()));
  }
  return std::move(design.mechanism);
}

}  // namespace dia
