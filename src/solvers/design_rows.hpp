// The printed rows of a designed mechanism and its summary figures, shared by the one-bidder and
// n-bidder designers.
#pragma once

#include <optional>
#include <vector>

#include "dia/design.hpp"

namespace dia::detail {

// The rows to print: every atom when there are few (discrete), else the types at evenly spaced
// quantiles.
std::vector<std::size_t> row_indices(const DiscreteTypes& types, std::optional<std::size_t> rows,
                                     bool discrete);

// Rows for `indices` of the design's mechanism; `cell_mass` replaces the atom's probability for a
// quantile grid. Fills the best alternative bid from (RENT) and, for n >= 2, q = X / G.
std::vector<MechanismRow> make_rows(const InspectionMechanism& mechanism,
                                    const std::vector<std::size_t>& indices,
                                    std::optional<double> cell_mass);

// G_k = (F_k^n - F_{k-1}^n) / (n p_k): the chance of being the highest bidder, ties shared.
std::vector<double> highest_bidder_probabilities(const DiscreteTypes& types, int bidders);

// X above G = the chance of being the highest bidder by rounding only (at most 1e-9 relative) is
// set to G, so that the highest-bidder lottery's q = X/G never exceeds 1. The rents stay (they
// bound every deviation under the lowered X too).
void cap_rounding_above_highest(InspectionMechanism& mechanism);

// The relative error the audited certificate proves: |primal - dual| / primal. A stated error is
// never below it (docs/status.md).
double certificate_error(const AuditReport& audit);

// expected_reward, sale_probability, max_win_probability, switch_point and implementation.
void summarize(InspectionDesign& design);

}  // namespace dia::detail
