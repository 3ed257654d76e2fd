// `dia compare --set ...`: one asymmetric design per bidder set, as JSON rows (the summary keys of
// `dia design --bidder ... --format json` plus the gain over every baseline) and as a table.
#include "dia/asymmetric_compare.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>

#include "dia/asymmetric_report.hpp"
#include "dia/version.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kSetHint =
    "write a set as bidder entries separated by commas, e.g. --set "
    "'2*lognormal(0,0.5),lognormal(1,0.5)'";

// The baselines as (JSON key, table heading), in the order printed.
constexpr std::pair<const char*, const char*> kBaselines[] = {
    {"myerson", "Myerson"},
    {"second_price_myerson_reserves", "2nd+Myerson res."},
    {"second_price_reserve", "2nd+anon. res."},
    {"second_price", "2nd price"},
};

// Inspection's gain over a baseline in percent; none (null, "-") when the baseline earns nothing.
std::optional<double> gain(double revenue, double baseline) {
  if (baseline > 0) return 100 * (revenue / baseline - 1);
  return std::nullopt;
}

}  // namespace

Expected<std::vector<std::string>> split_bidder_set(const std::string& set) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (char c : set) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0) break;
    if (c == ',' && depth == 0) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (depth != 0) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("unbalanced parentheses in the bidder set '{}'", set), kSetHint);
  }
  for (const auto& entry : out) {
    if (entry.find_first_not_of(" \t") == std::string::npos) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("an empty bidder entry in the bidder set '{}'", set), kSetHint);
    }
  }
  return out;
}

Expected<AsymmetricComparison> compare_bidder_sets(
    const std::vector<std::vector<std::string>>& sets, const DesignOptions& options,
    const std::function<std::string(std::size_t)>& set_name) {
  if (sets.empty()) {
    return fail(ErrorCode::kInvalidArgument, "no bidder sets", kSetHint);
  }
  std::vector<std::vector<BidderClass>> parsed;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    auto classes = parse_bidder_classes(sets[s]);
    if (!classes) {
      Error error = classes.error();
      error.message = fmt::format("{}: {}", set_name ? set_name(s) : fmt::format("set {}", s + 1),
                                  error.message);
      return tl::unexpected(error);
    }
    parsed.push_back(std::move(*classes));
  }
  AsymmetricComparison out;
  for (const auto& classes : parsed) out.sets.push_back(design_asymmetric(classes, options));
  return out;
}

Expected<AsymmetricComparison> compare_bidder_sets(const std::vector<std::string>& sets,
                                                   const DesignOptions& options) {
  const auto name = [&](std::size_t s) { return fmt::format("--set {} ('{}')", s + 1, sets[s]); };
  std::vector<std::vector<std::string>> entries;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    auto split = split_bidder_set(sets[s]);
    if (!split) {
      Error error = split.error();
      error.message = fmt::format("{}: {}", name(s), error.message);
      return tl::unexpected(error);
    }
    entries.push_back(std::move(*split));
  }
  return compare_bidder_sets(entries, options, name);
}

json to_json(const AsymmetricComparison& comparison) {
  json rows = json::array();
  for (const AsymmetricDesign& d : comparison.sets) {
    const json full = to_json(d);
    json bidders = json::array();
    for (const auto& c : d.classes) bidders.push_back({{"values", c.values}, {"count", c.count}});
    json gains;
    for (const auto& [key, heading] : kBaselines) {
      (void)heading;
      const auto g = gain(d.revenue, full["revenue"][key].get<double>());
      gains[key] = g ? json(*g) : json(nullptr);
    }
    json revenue = full["revenue"];
    revenue.erase("posted_price");
    rows.push_back({
        {"values", full["values"]},
        {"bidders", bidders},
        {"bidder_count", full["bidder_count"]},
        {"status", full["status"]},
        {"revenue", revenue},
        {"gain_percent", gains},
        {"expected_reward", full["expected_reward"]},
        {"sale_probability", full["sale_probability"]},
        {"non_highest_lower_bound", full["non_highest_lower_bound"]},
        {"audit",
         {{"passed", d.audit.passed},
          {"dual_gap", d.audit.dual_gap},
          {"max_ic_violation", d.audit.max_ic_violation},
          {"max_border_violation", d.audit.max_border_violation}}},
        {"estimated_relative_error", d.estimated_error},
        {"notes", d.notes},
    });
  }
  return {{"sets", rows}, {"dia_version", kVersion}};
}

std::string to_table(const AsymmetricComparison& comparison) {
  std::string out = "dia compare: inspection against the classic auctions per bidder set\n";
  for (std::size_t s = 0; s < comparison.sets.size(); ++s) {
    const AsymmetricDesign& d = comparison.sets[s];
    const json full = to_json(d);
    const int bidders = full["bidder_count"].get<int>();
    out += fmt::format("\nset {}: {} ({} bidder{})  status {}{}\n", s + 1,
                       full["values"].get<std::string>(), bidders, bidders == 1 ? "" : "s",
                       to_string(d.status), d.audit.passed ? "" : " (audit FAILED)");
    out += fmt::format("  {:<20}{:>14}{:>12}\n", "mechanism", "revenue", "gain");
    out += fmt::format("  {:<20}{:>14.8f}\n", "inspection", d.revenue);
    for (const auto& [key, heading] : kBaselines) {
      const double revenue = full["revenue"][key].get<double>();
      const auto g = gain(d.revenue, revenue);
      out += fmt::format("  {:<20}{:>14.8f}{:>12}\n", heading, revenue,
                         g ? fmt::format("{:+.2f}%", *g) : std::string("-"));
    }
    out += fmt::format(
        "  dual gap {:.1e}, estimated relative error {:.1e}; a bidder that is not the highest "
        "wins with probability >= {:.4g}\n",
        d.audit.dual_gap, d.estimated_error, d.solution.non_highest_lower_bound);
  }
  out +=
      "\n  the last column: inspection's gain over each mechanism. Myerson: per-bidder ironed "
      "virtual\n  values; 2nd+Myerson res.: second price with per-bidder Myerson reserves; "
      "2nd+anon. res.:\n  second price with the best anonymous reserve (docs/asymmetric.md).\n";
  return out;
}

}  // namespace dia
