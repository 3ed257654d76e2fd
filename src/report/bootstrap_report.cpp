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
  if (!b.by.empty()) {
    j["by"] = b.by;
    j["class_observations"] = b.class_observations;
  }
  if (b.holdout) {
    const Holdout& h = *b.holdout;
    auto number = [](const std::optional<double>& x) {
      return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
    };
    j["holdout"] = {{"fit_rows", h.fit_rows},
                    {"test_rows", h.test_rows},
                    {"in_sample_revenue", h.in_sample_revenue},
                    {"out_of_sample_revenue", number(h.out_of_sample_revenue)},
                    {"test_optimal_revenue", h.test_optimal_revenue},
                    {"rule", h.rule},
                    {"smoothed",
                     {{"bandwidth", h.bandwidth},
                      {"rule", h.smoothed_rule},
                      {"out_of_sample_revenue", number(h.smoothed_out_of_sample_revenue)}}},
                    {"notes", h.notes}};
  } else {
    j["holdout"] = nullptr;
  }
  return j;
}

std::string to_table(const DesignBootstrap& b) {
  std::string t = fmt::format(
      "\nbootstrap: {} replicates of the {} rows{} (seed {}), 95% percentile intervals\n"
      "  revenue                     [{:.6g}, {:.6g}]\n"
      "  gain_over_myerson_percent   [{:+.2f}%, {:+.2f}%]\n",
      b.replicates, b.observations,
      b.by.empty() ? std::string()
                   : fmt::format(", resampled within each of the {} classes of {}",
                                 b.class_observations.size(), b.by),
      b.seed, b.revenue.low, b.revenue.high, b.gain_over_myerson_percent.low,
      b.gain_over_myerson_percent.high);
  if (b.holdout) {
    const Holdout& h = *b.holdout;
    auto revenue = [](const std::optional<double>& x) {
      return x ? fmt::format("{:.6g}", *x) : std::string("(not run)");
    };
    t += fmt::format(
        "holdout: a design fitted on {} random rows ({}) earns {:.6g} on them and {} on the other "
        "{} (whose own optimum earns {:.6g})",
        h.fit_rows, h.rule, h.in_sample_revenue, revenue(h.out_of_sample_revenue), h.test_rows,
        h.test_optimal_revenue);
    if (h.out_of_sample_revenue && h.in_sample_revenue > 0) {
      t +=
          fmt::format(": {:.1f}% of its in-sample revenue is fitted noise",
                      100 * (h.in_sample_revenue - *h.out_of_sample_revenue) / h.in_sample_revenue);
    }
    t += "\n";
    if (!h.smoothed_rule.empty()) {
      t += fmt::format(
          "smoothed: a design fitted to those rows smoothed by a Gaussian kernel (bandwidth "
          "{:.4g}; {}) earns {} on the other {}\n",
          h.bandwidth, h.smoothed_rule, revenue(h.smoothed_out_of_sample_revenue), h.test_rows);
    }
    for (const auto& note : h.notes) t += "note: " + note + "\n";
  }
  return t;
}

}  // namespace dia
