// How much an empirical file supports its design (`dia design --bootstrap B`, docs/bootstrap.md):
// a bootstrap confidence interval for the revenue and the gain over Myerson, and for one bidder
// the revenue of a design fitted on half the rows measured on the other half.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dia/design.hpp"
#include "dia/error.hpp"

namespace dia {

struct Interval {
  double low = 0;   // the 2.5% percentile of the replicates
  double high = 0;  // the 97.5% percentile
};

// The rows split at random in two halves (seeded): a design fitted on one, run on the other.
struct Holdout {
  std::size_t fit_rows = 0;
  std::size_t test_rows = 0;
  double in_sample_revenue = 0;      // the half-fit design on its own half
  double out_of_sample_revenue = 0;  // the same design on the other half (evaluate_menu)
  double test_optimal_revenue = 0;   // the design fitted on the other half, there
};

struct DesignBootstrap {
  int replicates = 0;
  std::uint64_t seed = 0;
  std::size_t observations = 0;  // rows of the file
  Interval revenue;
  Interval gain_over_myerson_percent;  // replicates where Myerson earns 0 are left out
  std::optional<Holdout> holdout;      // one bidder only
};

// `spec` must be empirical(...) (any form); each replicate redraws the file's rows with
// replacement (with probability proportional to their weights), designs again for `bidders`
// i.i.d. bidders and records the revenue and the gain. Errors: another SPEC, B outside 10..10000,
// the file's own errors.
Expected<DesignBootstrap> bootstrap_design(std::string_view spec, int bidders, int replicates,
                                           std::uint64_t seed, const DesignOptions& options);

// The JSON object under the design's "bootstrap" key, and the table's section.
nlohmann::ordered_json to_json(const DesignBootstrap& bootstrap);
std::string to_table(const DesignBootstrap& bootstrap);

}  // namespace dia
