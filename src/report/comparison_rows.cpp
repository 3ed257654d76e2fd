// Comparison rows: design_inspection and classic_revenues for each number of bidders.
#include "dia/comparison_rows.hpp"

#include <cmath>

#include "dia/classic.hpp"

namespace dia {

double myerson_sale_probability(const Distribution& distribution, double reserve, int bidders) {
  const double below_reserve =
      reserve > distribution.lower() ? 1 - distribution.survival(reserve) : 0.0;
  return 1 - std::pow(below_reserve, bidders);
}

Expected<Comparison> compare_mechanisms(const Distribution& distribution,
                                        const std::vector<int>& bidders,
                                        const DesignOptions& options) {
  for (int n : bidders) {
    if (auto valid = validate_design_request(distribution, n, options); !valid) {
      return tl::unexpected(valid.error());
    }
  }
  Comparison comparison{distribution.spec(), {}};
  for (int n : bidders) {
    ComparisonRow row;
    row.bidders = n;
    row.inspection = design_inspection(distribution, n, options);
    row.classic = classic_revenues(distribution, n);
    row.myerson_sale_probability =
        myerson_sale_probability(distribution, row.classic.myerson_reserve, n);
    comparison.rows.push_back(std::move(row));
  }
  return comparison;
}

}  // namespace dia
