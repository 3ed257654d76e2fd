// How much an empirical file supports its design (`dia design --bootstrap B`, docs/bootstrap.md):
// a bootstrap confidence interval for the revenue and the gain over Myerson, and for one bidder
// the revenue of a design fitted on half the rows (raw, and smoothed) measured on the other half.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dia/comparison_rows.hpp"
#include "dia/design.hpp"
#include "dia/error.hpp"

namespace dia {

struct Interval {
  double low = 0;   // the 2.5% percentile of the replicates
  double high = 0;  // the 97.5% percentile
};

// The rows split at random in two halves (seeded): a design fitted on one, run on the other (for
// n bidders as the ex post rule dia simulate runs, with truthful bids: evaluate_saved); and the
// same for a design fitted to a kernel-smoothed version of the fitting half
// (docs/bootstrap.md#smoothed).
struct Holdout {
  std::size_t fit_rows = 0;
  std::size_t test_rows = 0;
  double in_sample_revenue = 0;                 // the half-fit design on its own half
  std::optional<double> out_of_sample_revenue;  // the same design on the other half
  double test_optimal_revenue = 0;              // the design fitted on the other half, there
  std::string rule;                             // the half-fit design's ex post rule
  double bandwidth = 0;                         // of the smoothing
  std::optional<double> smoothed_out_of_sample_revenue;  // the smoothed design on the other half
  std::string smoothed_rule;
  std::vector<std::string> notes;  // why a revenue is missing, a lie that pays out of sample
};

struct DesignBootstrap {
  int replicates = 0;
  std::uint64_t seed = 0;
  std::size_t observations = 0;  // rows of the file
  Interval revenue;
  Interval gain_over_myerson_percent;  // replicates where Myerson earns 0 are left out
  std::optional<Holdout> holdout;      // not with --by
  std::string by;                      // --by COLUMN: the classes were resampled separately
  std::vector<std::size_t> class_observations;  // with --by: each class's rows, in class order
};

// `spec` must be empirical(...) (any form); each replicate redraws the file's rows with
// replacement (with probability proportional to their weights), designs again for `bidders`
// i.i.d. bidders and records the revenue and the gain. Errors: another SPEC, B outside 10..10000,
// the file's own errors.
// `progress` is called after each replicate with (done, replicates).
Expected<DesignBootstrap> bootstrap_design(std::string_view spec, int bidders, int replicates,
                                           std::uint64_t seed, const DesignOptions& options,
                                           const RowProgress& progress = {});

// `dia design --values 'empirical(...)' --by COLUMN --bootstrap B`: each replicate redraws every
// class's rows with replacement within the class (as many as it has, in proportion to their
// weights) and designs the asymmetric mechanism again; the intervals are for its revenue and its
// gain over the asymmetric Myerson auction. No holdout. Errors: as bootstrap_design and
// empirical_classes.
Expected<DesignBootstrap> bootstrap_classes(std::string_view spec, std::string_view by,
                                            int replicates, std::uint64_t seed,
                                            const DesignOptions& options,
                                            const RowProgress& progress = {});

// The JSON object under the design's "bootstrap" key, and the table's section.
nlohmann::ordered_json to_json(const DesignBootstrap& bootstrap);
std::string to_table(const DesignBootstrap& bootstrap);

}  // namespace dia
