// Comparison rows: design_inspection and classic_revenues for each number of bidders.
#include "dia/comparison_rows.hpp"

#include <algorithm>
#include <cmath>

#include "dia/cancel.hpp"
#include "dia/classic.hpp"
#include "dia/dominant.hpp"

namespace dia {

double myerson_sale_probability(const Distribution& distribution, double reserve, int bidders) {
  const double below_reserve =
      reserve > distribution.lower() ? 1 - distribution.survival(reserve) : 0.0;
  return 1 - std::pow(below_reserve, bidders);
}

Expected<Comparison> compare_mechanisms(const Distribution& distribution,
                                        const std::vector<int>& bidders,
                                        const DesignOptions& options, bool dominant,
                                        const RowProgress& progress) {
  for (int n : bidders) {
    if (auto valid = validate_design_request(distribution, n, options); !valid) {
      return tl::unexpected(valid.error());
    }
  }
  if (dominant) {
    if (std::find(bidders.begin(), bidders.end(), 2) == bidders.end()) {
      return fail(ErrorCode::kInvalidArgument,
                  "--ic dominant is computed for 2 bidders, and --bidders does not list 2",
                  "add 2 to --bidders, e.g. --bidders 1..5");
    }
    if (auto grid = dominant_grid(distribution, 2, std::nullopt); !grid) {
      return tl::unexpected(grid.error());
    }
  }
  Comparison comparison{distribution.spec(), {}};
  for (int n : bidders) {
    throw_if_cancelled();
    ComparisonRow row;
    row.bidders = n;
    row.inspection = design_inspection(distribution, n, options);
    row.classic = classic_revenues(distribution, n);
    row.myerson_sale_probability =
        myerson_sale_probability(distribution, row.classic.myerson_reserve, n);
    if (dominant && n == 2) {
      auto dsic = compare_dominant(distribution, 2, std::nullopt);
      if (!dsic) return tl::unexpected(dsic.error());
      row.dominant = std::move(*dsic);
    }
    comparison.rows.push_back(std::move(row));
    if (progress) progress(comparison.rows.size(), bidders.size());
  }
  return comparison;
}

}  // namespace dia
