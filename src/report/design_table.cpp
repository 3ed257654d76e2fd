// The aligned table `dia design` prints for people.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "dia/report.hpp"

namespace dia {
namespace {

// Revenues in 10 significant digits, so that 3e-10 and 3e+307 both fit the column.
constexpr int kRevenueWidth = 17;
std::string revenue_cell(double revenue) {
  return fmt::format("{:>{}}", fmt::format("{:.10g}", revenue), kRevenueWidth);
}

constexpr int kGainWidth = 12;
std::string gain_cell(double revenue, double baseline) {
  return fmt::format("{:>{}}",
                     baseline > 0 ? fmt::format("{:+.2f}%", 100 * (revenue / baseline - 1)) : "-",
                     kGainWidth);
}

// A revenue with its gain over Myerson and over second price with the optimal reserve.
std::string revenue_line(const std::string& name, double revenue, const ClassicRevenues& c,
                         const std::string& remark = {}) {
  return fmt::format("  {:<34}{}{}{}  {}\n", name, revenue_cell(revenue),
                     gain_cell(revenue, c.myerson), gain_cell(revenue, c.second_price_reserve),
                     remark);
}

std::string optional_cell(std::optional<double> x, int width) {
  return x ? fmt::format("{:>{}.6g}", *x, width) : fmt::format("{:>{}}", "-", width);
}

// The columns of the mechanism rows, named as the JSON keys, each as wide as its name + 2.
constexpr int kNumberWidth = 13;
int width_of(std::string_view name) {
  return std::max(kNumberWidth, static_cast<int>(name.size()) + 2);
}

}  // namespace

std::string mechanism_table(const std::vector<MechanismRow>& rows, bool several) {
  const int reward_width = width_of("winner_reward");
  const int net_width = width_of("expected_net_payment");
  const int winner_net_width = width_of("winner_net_payment");
  const int alternative_width = width_of("best_alternative_bid");
  const int win_width = width_of("win_probability");
  std::string out = fmt::format("  {:>13}{:>13}{:>13}{:>13}{:>{}}{:>{}}{:>{}}{:>{}}{}\n", "value",
                                "probability", "allocation", "rent", "winner_reward", reward_width,
                                "expected_net_payment", net_width, "winner_net_payment",
                                winner_net_width, "best_alternative_bid", alternative_width,
                                several ? fmt::format("{:>{}}", "win_probability", win_width) : "");
  for (const MechanismRow& r : rows) {
    const bool allocated = r.allocation > 0;
    const std::optional<double> reward =
        allocated ? std::optional<double>(r.rent / r.allocation) : std::nullopt;
    out +=
        fmt::format("  {:>13.6g}{:>13.6g}{:>13.6g}{:>13.6g}{}{:>{}.6g}{}{}{}\n", r.value,
                    r.probability, r.allocation, r.rent, optional_cell(reward, reward_width),
                    r.value * r.allocation - r.rent, net_width,
                    optional_cell(reward ? std::optional<double>(r.value - *reward) : std::nullopt,
                                  winner_net_width),
                    optional_cell(r.best_alternative_bid, alternative_width),
                    several ? optional_cell(r.win_probability, win_width) : std::string());
  }
  return out;
}

std::string to_table(const DesignReport& report) {
  const ClassicRevenues& c = report.classic;
  const InspectionDesign* d = report.inspection ? &*report.inspection : nullptr;
  std::string out = fmt::format("dia design: {} bidder{}, values {}\n", report.bidders,
                                report.bidders == 1 ? "" : "s", report.values);
  if (d) {
    out += fmt::format("status: {}  ({}; estimated relative error {:.1e})\n", to_string(d->status),
                       d->method, d->estimated_error);
  }
  out += fmt::format("\n  {:<34}{:>{}}{:>{}}{:>{}}\n", "mechanism", "revenue", kRevenueWidth,
                     "vs Myerson", kGainWidth, "vs 2nd+res", kGainWidth);
  if (d) {
    const std::string where = report.bidders == 1 ? fmt::format("cutoff {:.6g}", d->cutoff)
                              : d->switch_point
                                  ? fmt::format("switch point {:.6g}", *d->switch_point)
                                  : std::string("Border binds nowhere");
    out += revenue_line("inspection (deposit + reward)", d->revenue, c, where);
  } else {
    out += fmt::format("  {:<34}{:>{}}{:>12}  {}\n", "inspection (deposit + reward)", "n/a",
                       kRevenueWidth, "", "not yet computed for several bidders: see notes");
  }
  out += fmt::format("  {:<34}{}{:>{}}{}  reserve {:.6g}\n", "Myerson optimal auction",
                     revenue_cell(c.myerson), "", kGainWidth,
                     gain_cell(c.myerson, c.second_price_reserve), c.myerson_reserve);
  out += revenue_line("second price, no reserve", c.second_price, c);
  out +=
      fmt::format("  {:<34}{}{}{:>{}}  reserve {:.6g}\n", "second price, optimal reserve",
                  revenue_cell(c.second_price_reserve),
                  gain_cell(c.second_price_reserve, c.myerson), "", kGainWidth, c.optimal_reserve);
  if (report.dominant) {
    const DominantComparison& dc = *report.dominant;
    out += revenue_line(
        "inspection, dominant-strategy IC", dc.dsic.revenue, c,
        fmt::format("{} {}-type grid", dc.grid_kind == "atoms" ? "on the" : "on a", dc.grid));
  }
  if (c.posted_price) {
    out += revenue_line("posted price", *c.posted_price, c,
                        fmt::format("price {:.6g}", c.posted_price_value.value_or(0)));
  }
  if (d) {
    out += fmt::format(
        "\naudit ({} types): IC {:.1e}  LL {:.1e}  Border {:.1e}  dual gap {:.1e} (primal "
        "{:.12g}, dual {:.12g})  {}\n",
        d->types, d->audit.max_ic_violation, d->audit.max_ll_violation,
        d->audit.max_border_violation, d->audit.dual_gap, d->audit.primal, d->audit.dual,
        d->audit.passed ? "passed" : "FAILED");
    out += fmt::format(
        "expected reward paid back {:.6g}, sale probability {:.6g}, ex post rule: {} (max q "
        "{:.6g})\n",
        d->expected_reward, d->sale_probability, d->implementation, d->max_win_probability);
    for (const GridRevenue& g : d->convergence) {
      const std::string cutoff =
          report.bidders == 1 ? fmt::format("  cutoff {:.6g}", g.cutoff) : std::string();
      const std::string error =
          g.estimated_error ? fmt::format("  (estimated error {:.1e})", *g.estimated_error) : "";
      out += fmt::format("  grid {:>8} cells: revenue {:.12g}{}{}\n", g.cells, g.revenue, cutoff,
                         error);
    }
    if (d->ode) {
      out += fmt::format(
          "  (ODE) route:      revenue {:.12g}  cutoff {:.6g}  ({} steps, estimated error "
          "{:.1e})\n",
          d->ode->revenue, d->ode->cutoff, d->ode->steps, d->ode->estimated_error);
    }
  }
  if (report.dominant) {
    const DominantComparison& dc = *report.dominant;
    out += fmt::format(
        "DSIC on {} {} types: revenue {:.9g}, BIC on the same grid {:.9g}, loss {:.3f}%; the "
        "lower bidder gets the item with probability {:.6g}; brute-force IC {:.1e} LL {:.1e} "
        "pairs {:.1e} ({} LP rounds, {} IC rows)\n",
        dc.grid, dc.grid_kind, dc.dsic.revenue, dc.bic_revenue, dc.loss_vs_bic_percent,
        dc.dsic.lower_bidder_wins, dc.dsic.max_ic_violation, dc.dsic.max_ll_violation,
        dc.dsic.max_feasibility_violation, dc.dsic.rounds, dc.dsic.ic_rows);
  }
  if (d && d->border_lottery) {
    const BorderLotterySummary& b = *d->border_lottery;
    out += fmt::format(
        "Border lottery ({}) on {} types: lower bidder wins {:.6g}, reduced form error {:.1e}, "
        "pair violation {:.1e}\n",
        b.form, b.types, b.lower_bidder_wins, b.max_reduced_form_error, b.max_pair_violation);
  }
  if (report.lp_check) {
    const LpComparison& lp = *report.lp_check;
    out += fmt::format(
        "  CLP cross-check on {} types: LP {:.12g}  {} {:.12g}  relative difference {:.1e}\n",
        lp.types, lp.lp_revenue, lp.solver, lp.solver_revenue, lp.relative_difference());
  }
  if (d) out += fmt::format("\n{}", mechanism_table(d->rows, report.bidders > 1));
  std::vector<std::string> notes = report.notes;
  if (d) notes.insert(notes.end(), d->notes.begin(), d->notes.end());
  for (const auto& n : notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace dia
