// What `dia design --bootstrap B` adds to the design's JSON and table (docs/bootstrap.md).
#include <fmt/format.h>

#include "dia/bootstrap.hpp"

namespace dia {

nlohmann::ordered_json to_json(const DesignBootstrap& b) {
  nlohmann::ordered_json j = {
      {"replicates", b.replicates},
      {"seed", b.seed},
      {"observations", b.observations},
      {"confidence", 0.95},
      {"revenue", {{"low", b.revenue.low}, {"high", b.revenue.high}}},
      {"gain_over_myerson_percent",
       {{"low", b.gain_over_myerson_percent.low}, {"high", b.gain_over_myerson_percent.high}}}};
  if (b.holdout) {
    const Holdout& h = *b.holdout;
    j["holdout"] = {{"fit_rows", h.fit_rows},
                    {"test_rows", h.test_rows},
                    {"in_sample_revenue", h.in_sample_revenue},
                    {"out_of_sample_revenue", h.out_of_sample_revenue},
                    {"test_optimal_revenue", h.test_optimal_revenue}};
  } else {
    j["holdout"] = nullptr;
  }
  return j;
}

std::string to_table(const DesignBootstrap& b) {
  std::string t = fmt::format(
      "\nbootstrap: {} replicates of the {} rows (seed {}), 95% percentile intervals\n"
      "  revenue                     [{:.6g}, {:.6g}]\n"
      "  gain_over_myerson_percent   [{:+.2f}%, {:+.2f}%]\n",
      b.replicates, b.observations, b.seed, b.revenue.low, b.revenue.high,
      b.gain_over_myerson_percent.low, b.gain_over_myerson_percent.high);
  if (b.holdout) {
    const Holdout& h = *b.holdout;
    t += fmt::format(
        "holdout: a design fitted on {} random rows earns {:.6g} on them and {:.6g} on the other "
        "{} (whose own optimum earns {:.6g}): {:.1f}% of its in-sample revenue is fitted noise\n",
        h.fit_rows, h.in_sample_revenue, h.out_of_sample_revenue, h.test_rows,
        h.test_optimal_revenue,
        h.in_sample_revenue > 0
            ? 100 * (h.in_sample_revenue - h.out_of_sample_revenue) / h.in_sample_revenue
            : 0.0);
  }
  return t;
}

}  // namespace dia
