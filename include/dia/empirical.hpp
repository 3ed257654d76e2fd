// One bidder class per value of a column of an empirical file: `dia design --values
// 'empirical(bids.csv, column=bid_usd)' --by bidder_id` (docs/spec.md, docs/asymmetric.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dia/distribution.hpp"

namespace dia {

// A class with fewer observations than this gets a warning: its empirical distribution, and the
// mechanism fitted to it, rest on too few bids (the revenue's sampling error is of the order of
// 1/sqrt(observations), more than 18% below 30).
inline constexpr std::size_t kFewObservations = 30;

struct EmpiricalClass {
  std::string label;         // "empirical(ARGUMENTS) | BY=VALUE": names the class, not a SPEC
  std::size_t observations;  // rows of the class
  DistributionPtr distribution;
};

// `spec` must be empirical(path, column=...[, weight=...]); `by` a column name or 1-based index.
// Classes in the order of their first row. Errors (one line): another SPEC, no column=, an
// unknown `by` column, the row errors of empirical(...).
Expected<std::vector<EmpiricalClass>> empirical_classes(std::string_view spec, std::string_view by);

}  // namespace dia
