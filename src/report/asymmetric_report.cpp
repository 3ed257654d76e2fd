// `dia design --bidder ...`: the asymmetric design as JSON (the symmetric keys where they apply,
// `bidders` an array of classes) and as a table for people (docs/asymmetric.md).
#include "dia/asymmetric_report.hpp"

#include <fmt/format.h>

#include "dia/report.hpp"
#include "dia/version.hpp"
#include "report/audit_json.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

int bidder_count(const AsymmetricDesign& d) {
  int n = 0;
  for (const auto& c : d.classes) n += c.count;
  return n;
}

json ex_post_rule_json(const AsymmetricDesign& d) {
  if (!d.ex_post_rule) return nullptr;
  const PriorityRankings& r = *d.ex_post_rule;
  return {{"form", "priority_rankings"},
          {"rankings", r.rankings()},
          {"pairs", r.pairs()},
          {"lower_bidder_wins", r.lower_bidder_wins()},
          {"max_reduced_form_error", r.max_reduced_form_error()}};
}

// Inspection's gain over a baseline in percent; null when the baseline earns nothing.
json gain_percent(double revenue, double baseline) {
  return baseline > 0 ? json(100 * (revenue / baseline - 1)) : json(nullptr);
}

}  // namespace

nlohmann::ordered_json to_json(const AsymmetricDesign& d) {
  const auto& c = d.classic;
  json classes = json::array();
  for (const auto& b : d.classes) {
    classes.push_back({{"values", b.values},
                       {"count", b.count},
                       {"revenue", b.revenue},
                       {"revenue_share", b.revenue_share},
                       {"sale_probability", b.sale_probability},
                       {"expected_reward", b.expected_reward},
                       {"mechanism", mechanism_rows_json(b.rows)}});
  }
  json convergence = json::array();
  for (const GridRevenue& g : d.convergence) {
    convergence.push_back({{"cells", g.cells}, {"revenue", g.revenue}});
  }
  double reward = 0, sale = 0;
  for (const auto& b : d.classes) reward += b.expected_reward, sale += b.sale_probability;
  return {
      {"values", bidder_classes_text(d)},
      {"bidder_count", bidder_count(d)},
      {"status", to_string(d.status)},
      {"revenue",
       {{"inspection", d.revenue},
        {"myerson", c.myerson},
        {"second_price", c.second_price},
        {"second_price_reserve", c.second_price_anonymous_reserve},
        {"second_price_myerson_reserves", c.second_price_myerson_reserves},
        {"posted_price", nullptr}}},
      {"gain_over_myerson_percent", gain_percent(d.revenue, c.myerson)},
      {"gain_over_second_price_reserve_percent",
       gain_percent(d.revenue, c.second_price_anonymous_reserve)},
      {"expected_reward", reward},
      {"sale_probability", sale},
      {"reserve", {{"second_price", c.anonymous_reserve}, {"myerson", c.myerson_reserves}}},
      {"non_highest_lower_bound", d.solution.non_highest_lower_bound},
      {"ex_post_rule", ex_post_rule_json(d)},
      {"audit", detail::audit_json(d)},
      {"solver",
       {{"method", d.method},
        {"grid_convergence", convergence},
        {"estimated_relative_error", d.estimated_error},
        {"lp_rounds", d.solution.rounds},
        {"lp_iterations", d.solution.iterations},
        {"border_rows", d.solution.border_rows},
        {"ic_rows", d.solution.ic_rows}}},
      {"mechanism", json::array()},
      {"bidders", classes},
      {"notes", d.notes},
      {"dia_version", kVersion},
  };
}

std::string to_table(const AsymmetricDesign& d) {
  const auto& c = d.classic;
  std::string out = fmt::format(
      "dia design: {} bidder{}, {}\nstatus: {}  ({}; estimated relative error {:.1e})\n",
      bidder_count(d), bidder_count(d) == 1 ? "" : "s", bidder_classes_text(d), to_string(d.status),
      d.method, d.estimated_error);
  // Each row against Myerson and against second price with the best anonymous reserve.
  auto line = [&](const std::string& name, double revenue) {
    auto versus = [&](double baseline) {
      return baseline > 0 ? fmt::format("{:+.2f}%", 100 * (revenue / baseline - 1))
                          : std::string("-");
    };
    return fmt::format("  {:<44}{:>17.10g}{:>12}{:>12}\n", name, revenue, versus(c.myerson),
                       versus(c.second_price_anonymous_reserve));
  };
  out += fmt::format("\n  {:<44}{:>17}{:>12}{:>12}\n", "mechanism", "revenue", "vs Myerson",
                     "vs 2nd+res");
  out += line("inspection (optimal)", d.revenue);
  out += line("Myerson (per-bidder ironed virtual values)", c.myerson);
  out += line("second price, Myerson reserves", c.second_price_myerson_reserves);
  out += line(fmt::format("second price, best anonymous reserve {:.6g}", c.anonymous_reserve),
              c.second_price_anonymous_reserve);
  out += line("second price, no reserve", c.second_price);
  out += fmt::format(
      "\naudit: IC {:.1e}  LL {:.1e}  Border {:.1e}  dual gap {:.1e}  monotonicity {:.1e}  "
      "({})\n",
      d.audit.max_ic_violation, d.audit.max_ll_violation, d.audit.max_border_violation,
      d.audit.dual_gap, d.audit.max_monotonicity_violation, d.audit.passed ? "passed" : "FAILED");
  if (d.ex_post_rule) {
    const PriorityRankings& r = *d.ex_post_rule;
    out += fmt::format(
        "ex post rule: a lottery over {} priority rankings of the {} (bidder, type) pairs "
        "(reduced form error {:.1e})\na bidder that is not the highest gets the item with "
        "probability {:.4g} (any rule: >= {:.4g})\n",
        r.rankings(), r.pairs(), r.max_reduced_form_error(), r.lower_bidder_wins(),
        d.solution.non_highest_lower_bound);
  } else {
    out +=
        fmt::format("a bidder that is not the highest gets the item with probability >= {:.4g}\n",
                    d.solution.non_highest_lower_bound);
  }
  for (const auto& b : d.classes) {
    out += fmt::format(
        "\nbidder class {}{}: revenue {:.10g} ({:.1f}%), sale probability {:.6g}, expected "
        "reward {:.6g}\n",
        b.count > 1 ? fmt::format("{}*", b.count) : "", b.values, b.revenue, 100 * b.revenue_share,
        b.sale_probability, b.expected_reward);
    out += mechanism_table(b.rows, false);
  }
  for (const auto& note : d.notes) out += fmt::format("note: {}\n", note);
  return out;
}

}  // namespace dia
