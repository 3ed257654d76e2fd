// `dia compare` output: one row per number of bidders, as JSON and as a table.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "dia/compare.hpp"
#include "dia/report.hpp"
#include "dia/version.hpp"

namespace dia {
namespace {

Expected<int> parse_count(const std::string& text, const std::string& whole) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 50) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--bidders must list numbers 1..50, got '{}'", whole),
                "write a range and/or list, e.g. 1..10 or 1,2,5 or 1..3,8");
  }
  return value;
}

double gain(double revenue, double myerson) {
  return myerson > 0 ? 100 * (revenue / myerson - 1) : 0.0;
}

}  // namespace

Expected<std::vector<int>> parse_bidder_list(const std::string& text) {
  std::set<int> counts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t dots = item.find("..");
    if (dots == std::string::npos) {
      auto n = parse_count(item, text);
      if (!n) return tl::unexpected(n.error());
      counts.insert(*n);
    } else {
      auto lo = parse_count(item.substr(0, dots), text);
      if (!lo) return tl::unexpected(lo.error());
      auto hi = parse_count(item.substr(dots + 2), text);
      if (!hi) return tl::unexpected(hi.error());
      if (*lo > *hi) {
        return fail(ErrorCode::kInvalidArgument, fmt::format("empty range in --bidders '{}'", text),
                    "write the smaller number first, e.g. 1..10");
      }
      for (int n = *lo; n <= *hi; ++n) counts.insert(n);
    }
    start = comma + 1;
  }
  return std::vector<int>(counts.begin(), counts.end());
}

nlohmann::ordered_json to_json(const Comparison& comparison) {
  using json = nlohmann::ordered_json;
  json rows = json::array();
  for (const ComparisonRow& r : comparison.rows) {
    const InspectionDesign& d = r.inspection;
    rows.push_back({
        {"bidders", r.bidders},
        {"status", to_string(d.status)},
        {"revenue",
         {{"inspection", d.revenue},
          {"inspection_dsic", r.dominant ? json(r.dominant->dsic.revenue) : json(nullptr)},
          {"myerson", r.classic.myerson},
          {"second_price", r.classic.second_price},
          {"second_price_reserve", r.classic.second_price_reserve}}},
        {"gain_over_myerson_percent", gain(d.revenue, r.classic.myerson)},
        {"gain_over_second_price_reserve_percent", gain(d.revenue, r.classic.second_price_reserve)},
        {"expected_reward", d.expected_reward},
        // One type everywhere: the inspection mechanism's, a number as in `dia design`.
        {"sale_probability", d.sale_probability},
        {"myerson_sale_probability", r.myerson_sale_probability},
        {"sale_probabilities",
         {{"inspection", d.sale_probability}, {"myerson", r.myerson_sale_probability}}},
        {"switch_point", d.switch_point ? json(*d.switch_point) : json(nullptr)},
        {"audit",
         {{"passed", d.audit.passed},
          {"dual_gap", d.audit.dual_gap},
          {"max_ic_violation", d.audit.max_ic_violation},
          {"max_border_violation", d.audit.max_border_violation}}},
        {"estimated_relative_error", d.estimated_error},
        {"notes", d.notes},
    });
    if (r.dominant) rows.back()["dsic"] = dominant_json(*r.dominant);
  }
  return {{"values", comparison.values}, {"rows", rows}, {"dia_version", kVersion}};
}

namespace {

// Why a row is not `optimal`, short enough for the table's notes column.
std::string row_note(const ComparisonRow& r) {
  const InspectionDesign& d = r.inspection;
  if (d.status == SolveStatus::kGridLimited) {
    return fmt::format(
        "grid_limited: revenue within {:.1e} relative, above the 1e-5 of optimal (dia design "
        "--bidders {} says why)",
        d.estimated_error, r.bidders);
  }
  if (d.status == SolveStatus::kFailed)
    return "failed: see dia design --bidders " + std::to_string(r.bidders);
  return {};
}

}  // namespace

std::string to_table(const Comparison& comparison) {
  std::string out = fmt::format("dia compare: values {}\n\n", comparison.values);
  const bool dsic = std::any_of(comparison.rows.begin(), comparison.rows.end(),
                                [](const ComparisonRow& r) { return r.dominant.has_value(); });
  out += fmt::format(
      "  {:>7} {:>13} {:>11} {:>12} {:>20} {:>10} {:>10} {:>15} {:>16} {:>24}  {:<14}{}notes\n",
      "bidders", "inspection", "myerson", "second_price", "second_price_reserve", "gain_M",
      "gain_SPR", "expected_reward", "sale_probability", "myerson_sale_probability", "status",
      dsic ? "DSIC (grid, loss vs BIC)  " : "");
  for (const ComparisonRow& r : comparison.rows) {
    const InspectionDesign& d = r.inspection;
    out += fmt::format(
        "  {:>7} {:>13.7f} {:>11.7f} {:>12.7f} {:>20.7f} {:>9.2f}% {:>9.2f}% {:>15.6f} {:>16.5f} "
        "{:>24.5f}  {:<14}{}{}\n",
        r.bidders, d.revenue, r.classic.myerson, r.classic.second_price,
        r.classic.second_price_reserve, gain(d.revenue, r.classic.myerson),
        gain(d.revenue, r.classic.second_price_reserve), d.expected_reward, d.sale_probability,
        r.myerson_sale_probability, to_string(d.status) + (d.audit.passed ? "" : " (audit FAILED)"),
        dsic ? fmt::format("{:<26}",
                           r.dominant
                               ? fmt::format("{:.7f} ({} pts, -{:.2f}%)", r.dominant->dsic.revenue,
                                             r.dominant->grid, r.dominant->loss_vs_bic_percent)
                               : std::string())
             : std::string(),
        row_note(r));
    while (out.size() > 1 && out[out.size() - 2] == ' ') out.erase(out.size() - 2, 1);
  }
  out +=
      "\n  gain_M, gain_SPR: inspection over Myerson and over second price with the optimal "
      "reserve\n  (JSON gain_over_myerson_percent, gain_over_second_price_reserve_percent); "
      "expected_reward:\n  paid back to truthful winners; sale_probability, "
      "myerson_sale_probability: how often the item\n  is sold by inspection, by Myerson.\n";
  if (dsic) {
    out +=
        "  DSIC: the optimal dominant-strategy mechanism (2 bidders) on a grid, and its loss "
        "against the\n  Bayesian optimum on the identical grid.\n";
  }
  return out;
}

}  // namespace dia
