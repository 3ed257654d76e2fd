// The report's plots, each a Chart drawn from the design's rows, Myerson's curves and the
// comparison rows: nothing here computes economics, it only arranges what the library returned.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/report_figure_parts.hpp"

namespace dia::figures {
namespace {

using report::Chart;
using report::Marker;
using report::Series;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMyersonMarkers = 12;  // diamonds along a dense Myerson curve

template <class F>
Series inspection_series(const Context& c, std::string name, F&& y) {
  Series s = figures::inspection_series(c.design, c.discrete, std::move(name), y);
  s.width = 3.2;  // under Myerson's thinner dashed line, visible where the two coincide
  return s;
}

// Myerson's curve: dashed, with diamonds, drawn after (on top of) inspection's.
Series myerson_series(const Context& c, std::string name, const std::vector<double>& y) {
  return {.name = std::move(name),
          .x = c.report.myerson.value,
          .y = y,
          .color = kMyerson,
          .markers = true,
          .dash = "8 5",
          .marker = Marker::kDiamond,
          .marker_every = c.discrete ? 1 : std::max<std::size_t>(1, y.size() / kMyersonMarkers),
          .width = 1.8};
}

Series vertical(const std::string& name, double x, double y0, double y1) {
  return {.name = name, .x = {x, x}, .y = {y0, y1}, .color = kReference, .dashed = true};
}

// The line y = v across the rows (a reference: w = v, deposit = bid).
Series diagonal(std::string name, const std::vector<MechanismRow>& rows) {
  const double lo = rows.front().value, hi = rows.back().value;
  return {
      .name = std::move(name), .x = {lo, hi}, .y = {lo, hi}, .color = kReference, .dashed = true};
}

// The rule in force, then Myerson's auction as drawn.
std::string myerson_caption(const Context& c) {
  const double reserve = c.row.classic.myerson_reserve;
  std::string text =
      rule_sentence(c.design) + " " +
      (c.row.bidders == 1
           ? fmt::format("Myerson with one bidder: a posted price at the reserve {:.4g}.", reserve)
           : fmt::format(
                 "Myerson: the highest bidder wins above the reserve {:.4g}, X = G = F^(n-1).",
                 reserve));
  if (c.report.myerson.ironing) {
    text += fmt::format(
        " Ironing applies: Myerson's optimal auction pools values, so the drawn regular-case "
        "curves (revenue {:.6g}) differ from its revenue {:.6g}.",
        c.report.myerson.drawn_revenue, c.row.classic.myerson);
  }
  return text;
}

Figure allocation_figure(const Context& c) {
  Chart chart =
      value_chart(c.report, "allocation", "Allocation X(v): inspection vs Myerson" + c.n_text,
                  "allocation probability X(v)");
  chart.series.push_back(inspection_series(c, "inspection", [](auto& r) { return r.allocation; }));
  chart.series.push_back(myerson_series(c, "Myerson", c.report.myerson.allocation));
  std::string caption = "Inspection sells to middling values with intermediate probability; ";
  if (c.row.bidders == 1) {
    chart.series.push_back(
        vertical(fmt::format("cutoff {:.4g}", c.design.cutoff), c.design.cutoff, 0, 1));
    caption += "above the cutoff it sells surely. ";
  } else if (c.design.switch_point) {
    chart.series.push_back(vertical(fmt::format("switch {:.4g}", *c.design.switch_point),
                                    *c.design.switch_point, 0, 1));
    caption +=
        "above the switch point the highest bidder wins surely (X = G), as with Myerson above "
        "his reserve: there the two curves coincide (Myerson dashed, on top). ";
  }
  chart.y_min = 0, chart.y_max = 1.05;
  return figure(c.report, std::move(chart), caption + myerson_caption(c));
}

Figure rent_figure(const Context& c) {
  Chart chart = value_chart(
      c.report, "rent", "Expected reward (rent) R(v) vs Myerson's rent" + c.n_text, "rent R(v)");
  chart.series.push_back(inspection_series(c, "inspection", [](auto& r) { return r.rent; }));
  chart.series.push_back(myerson_series(c, "Myerson", c.report.myerson.rent));
  chart.y_min = 0;
  return figure(c.report, std::move(chart),
                fmt::format("The rent with inspection is governed by the best alternative bid, "
                            "R(v) = max over w <= v of (v - w) X(w); without inspection it is the "
                            "integral of X. Expected reward paid back: {:.6g}. ",
                            c.design.expected_reward) +
                    myerson_caption(c));
}

Figure net_payment_figure(const Context& c) {
  Chart chart = value_chart(c.report, "net_payment", "Net payment" + c.n_text, "payment");
  chart.series.push_back(inspection_series(
      c, "inspection, expected", [](auto& r) { return r.value * r.allocation - r.rent; }));
  Series winner = inspection_series(c, "inspection, winner", [](auto& r) {
    return r.allocation > 0 ? r.value - r.rent / r.allocation : kNaN;
  });
  winner.dash = "3 3", winner.width = 2.2, winner.color = "#17becf";
  chart.series.push_back(std::move(winner));
  const MyersonCurves& m = c.report.myerson;
  std::vector<double> myerson_payment;
  for (std::size_t i = 0; i < m.value.size(); ++i) {
    myerson_payment.push_back(m.value[i] * m.allocation[i] - m.rent[i]);
  }
  chart.series.push_back(myerson_series(c, "Myerson, expected", myerson_payment));
  chart.y_min = 0;
  return figure(c.report, std::move(chart),
                "Expected net payment v X(v) - R(v) (deposit minus reward, averaged over losing "
                "and winning); the winner's net payment is v - R(v)/X(v). " +
                    rule_sentence(c.design));
}

Figure best_alternative_figure(const Context& c) {
  Chart chart = value_chart(c.report, "best_alternative_bid",
                            "Best alternative bid w*(v)" + c.n_text, "best alternative bid w*(v)");
  chart.series.push_back(inspection_series(
      c, "w*(v)", [](auto& r) { return r.best_alternative_bid ? *r.best_alternative_bid : kNaN; }));
  const auto& rows = c.design.rows;
  if (!rows.empty()) {
    chart.series.push_back(diagonal("w = v", rows));
  }
  chart.y_min = 0;
  return figure(c.report, std::move(chart),
                "The bid a value v would gain most from if it lied: its rent is (v - w*) X(w*). "
                "Absent where the rent is 0. It is nondecreasing in v. " +
                    rule_sentence(c.design));
}

Figure winner_reward_figure(const Context& c) {
  Chart chart = value_chart(c.report, "winner_reward", "Winner's reward R(v)/X(v)" + c.n_text,
                            "reward to a truthful winner");
  chart.series.push_back(inspection_series(
      c, "reward R/X", [](auto& r) { return r.allocation > 0 ? r.rent / r.allocation : kNaN; }));
  const auto& rows = c.design.rows;
  if (!rows.empty()) {
    chart.series.push_back(diagonal("deposit = bid", rows));
  }
  chart.y_min = 0;
  return figure(c.report, std::move(chart),
                "After inspection a truthful winner gets back R(v)/X(v) of its deposit (its bid); "
                "never more than the deposit (limited liability). A liar gets nothing back. " +
                    rule_sentence(c.design));
}

}  // namespace

Chart make_chart(std::string id, std::string title, std::string x_label, std::string y_label) {
  Chart chart;
  chart.id = std::move(id), chart.title = std::move(title);
  chart.x_label = std::move(x_label), chart.y_label = std::move(y_label);
  return chart;
}

Chart value_chart(const Report& report, std::string id, std::string title, std::string y_label) {
  Chart chart = make_chart(std::move(id), std::move(title), "value v", std::move(y_label));
  const Distribution& d = *report.distribution;
  if (std::isfinite(d.lower())) chart.x_min = d.lower();
  if (std::isfinite(d.upper())) chart.x_max = d.upper();
  return chart;
}

Figure figure(const Report& report, Chart chart, std::string caption) {
  chart.description = chart.title + ". " + caption;
  chart.footer = report.provenance.line();
  return {chart.id, chart.title, std::move(caption), report::render_svg(chart)};
}

}  // namespace dia::figures

namespace dia {

std::vector<Figure> report_figures(const Report& report) {
  using namespace figures;
  const ComparisonRow& row = report.comparison.rows[report.shown];
  const Context c{report, row, row.inspection, report.distribution->is_discrete(),
                  fmt::format(" (n = {})", row.bidders)};
  return {allocation_figure(c),
          rent_figure(c),
          net_payment_figure(c),
          best_alternative_figure(c),
          win_probability_figure(c),
          winner_reward_figure(c),
          revenue_figure(report),
          gain_figure(report),
          allocation_by_bidders_figure(report)};
}

}  // namespace dia
