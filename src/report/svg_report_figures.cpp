// The report's plots, each a Chart drawn from the design's rows, Myerson's curves and the
// comparison rows: nothing here computes economics, it only arranges what the library returned.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "dia/html_report.hpp"
#include "report/svg_chart.hpp"

namespace dia {
namespace {

using report::Chart;
using report::PointLabel;
using report::Series;

constexpr const char* kInspection = "#1f77b4";
constexpr const char* kMyerson = "#d62728";
constexpr const char* kSecondPrice = "#2ca02c";
constexpr const char* kSecondPriceReserve = "#ff7f0e";
constexpr const char* kPostedPrice = "#9467bd";
constexpr const char* kReference = "#888888";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Context {
  const Report& report;
  const ComparisonRow& row;
  const InspectionDesign& design;
  bool discrete;
  std::string n_text;
};

double gain(double revenue, double myerson) {
  return myerson > 0 ? 100 * (revenue / myerson - 1) : 0.0;
}

// One inspection series over the design's rows.
template <class F>
Series inspection_series(const Context& c, std::string name, F&& y) {
  Series s{std::move(name), {}, {}, kInspection, false, c.discrete, true};
  for (const MechanismRow& r : c.design.rows) {
    s.x.push_back(r.value);
    s.y.push_back(y(r));
  }
  return s;
}

Chart make_chart(std::string id, std::string title, std::string x_label, std::string y_label) {
  Chart chart;
  chart.id = std::move(id), chart.title = std::move(title);
  chart.x_label = std::move(x_label), chart.y_label = std::move(y_label);
  return chart;
}

Series myerson_series(const Context& c, std::string name, const std::vector<double>& y) {
  return {std::move(name), c.report.myerson.value, y, kMyerson, true, c.discrete, true};
}

Series vertical(const std::string& name, double x, double y0, double y1) {
  return {name, {x, x}, {y0, y1}, kReference, true, false, true};
}

std::string value_axis() { return "value v"; }

std::string myerson_caption(const Context& c) {
  const double reserve = c.row.classic.myerson_reserve;
  std::string text =
      c.row.bidders == 1
          ? fmt::format("Myerson with one bidder: a posted price at the reserve {:.4g}.", reserve)
          : fmt::format(
                "Myerson: the highest bidder wins above the reserve {:.4g}, X = G = F^(n-1).",
                reserve);
  if (c.report.myerson.ironing) {
    text += fmt::format(
        " Ironing applies: Myerson's optimal auction pools values, so the drawn regular-case "
        "curves (revenue {:.6g}) differ from its revenue {:.6g}.",
        c.report.myerson.drawn_revenue, c.row.classic.myerson);
  }
  return text;
}

Figure figure(Chart chart, std::string caption) {
  Figure f{chart.id, chart.title, std::move(caption), report::render_svg(chart)};
  return f;
}

Figure allocation_figure(const Context& c) {
  Chart chart = make_chart("allocation", "Allocation X(v): inspection vs Myerson" + c.n_text,
                           value_axis(), "allocation probability X(v)");
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
    caption += "above the switch point the highest bidder wins surely (X = G). ";
  }
  chart.y_min = 0, chart.y_max = 1.05;
  return figure(std::move(chart), caption + myerson_caption(c));
}

Figure rent_figure(const Context& c) {
  Chart chart = make_chart("rent", "Expected reward (rent) R(v) vs Myerson's rent" + c.n_text,
                           value_axis(), "rent R(v)");
  chart.series.push_back(inspection_series(c, "inspection", [](auto& r) { return r.rent; }));
  chart.series.push_back(myerson_series(c, "Myerson", c.report.myerson.rent));
  chart.y_min = 0;
  return figure(std::move(chart),
                fmt::format("The rent with inspection is governed by the best alternative bid, "
                            "R(v) = max over w <= v of (v - w) X(w); without inspection it is the "
                            "integral of X. Expected reward paid back: {:.6g}. ",
                            c.design.expected_reward) +
                    myerson_caption(c));
}

Figure net_payment_figure(const Context& c) {
  Chart chart = make_chart("net_payment", "Net payment" + c.n_text, value_axis(), "payment");
  chart.series.push_back(inspection_series(
      c, "inspection, expected", [](auto& r) { return r.value * r.allocation - r.rent; }));
  Series winner = inspection_series(c, "inspection, winner", [](auto& r) {
    return r.allocation > 0 ? r.value - r.rent / r.allocation : kNaN;
  });
  winner.dashed = true, winner.color = "#17becf";
  chart.series.push_back(std::move(winner));
  const MyersonCurves& m = c.report.myerson;
  std::vector<double> myerson_payment;
  for (std::size_t i = 0; i < m.value.size(); ++i) {
    myerson_payment.push_back(m.value[i] * m.allocation[i] - m.rent[i]);
  }
  chart.series.push_back(myerson_series(c, "Myerson, expected", myerson_payment));
  chart.y_min = 0;
  return figure(std::move(chart),
                "Expected net payment v X(v) - R(v) (deposit minus reward, averaged over losing "
                "and winning); the winner's net payment is v - R(v)/X(v).");
}

Figure best_alternative_figure(const Context& c) {
  Chart chart = make_chart("best_alternative_bid", "Best alternative bid w*(v)" + c.n_text,
                           value_axis(), "best alternative bid w*(v)");
  chart.series.push_back(inspection_series(
      c, "w*(v)", [](auto& r) { return r.best_alternative_bid ? *r.best_alternative_bid : kNaN; }));
  const auto& rows = c.design.rows;
  if (!rows.empty()) {
    chart.series.push_back({"w = v",
                            {rows.front().value, rows.back().value},
                            {rows.front().value, rows.back().value},
                            kReference,
                            true,
                            false,
                            true});
  }
  chart.y_min = 0;
  return figure(std::move(chart),
                "The bid a value v would gain most from if it lied: its rent is (v - w*) X(w*). "
                "Absent where the rent is 0. It is nondecreasing in v.");
}

Figure win_probability_figure(const Context& c) {
  Chart chart = make_chart("win_probability", "Ex post win probability q(v)" + c.n_text,
                           value_axis(), "probability");
  const bool several = c.row.bidders > 1;
  chart.series.push_back(inspection_series(
      c, several ? "q(v) = X(v)/G(v)" : "q(v) = X(v)",
      [&](auto& r) { return several ? r.win_probability.value_or(kNaN) : r.allocation; }));
  chart.y_min = 0, chart.y_max = 1.05;
  return figure(std::move(chart),
                several ? fmt::format("The highest bid wins and the item is delivered with "
                                      "probability q = X/G (ex post rule: {}; max q {:.4g}).",
                                      c.design.implementation, c.design.max_win_probability)
                        : "One bidder: the bid wins with probability X(v).");
}

Figure winner_reward_figure(const Context& c) {
  Chart chart = make_chart("winner_reward", "Winner's reward R(v)/X(v)" + c.n_text, value_axis(),
                           "reward to a truthful winner");
  chart.series.push_back(inspection_series(
      c, "reward R/X", [](auto& r) { return r.allocation > 0 ? r.rent / r.allocation : kNaN; }));
  const auto& rows = c.design.rows;
  if (!rows.empty()) {
    chart.series.push_back({"deposit = bid",
                            {rows.front().value, rows.back().value},
                            {rows.front().value, rows.back().value},
                            kReference,
                            true,
                            false,
                            true});
  }
  chart.y_min = 0;
  return figure(std::move(chart),
                "After inspection a truthful winner gets back R(v)/X(v) of its deposit (its bid); "
                "never more than the deposit (limited liability). A liar gets nothing back.");
}

Figure revenue_figure(const Report& report) {
  Chart chart = make_chart("revenue_vs_bidders", "Revenue vs number of bidders",
                           "number of bidders n", "expected revenue");
  chart.integer_x = true;
  Series inspection{"inspection", {}, {}, kInspection, false, true, true};
  Series myerson{"Myerson", {}, {}, kMyerson, false, true, true};
  Series second{"second price", {}, {}, kSecondPrice, false, true, true};
  Series reserve{"2nd price + reserve", {}, {}, kSecondPriceReserve, true, true, true};
  Series posted{"posted price (n=1)", {}, {}, kPostedPrice, false, true, false};
  for (const ComparisonRow& r : report.comparison.rows) {
    const double n = r.bidders;
    inspection.x.push_back(n), inspection.y.push_back(r.inspection.revenue);
    myerson.x.push_back(n), myerson.y.push_back(r.classic.myerson);
    second.x.push_back(n), second.y.push_back(r.classic.second_price);
    reserve.x.push_back(n), reserve.y.push_back(r.classic.second_price_reserve);
    if (r.classic.posted_price) posted.x.push_back(n), posted.y.push_back(*r.classic.posted_price);
    chart.labels.push_back({n, r.inspection.revenue,
                            fmt::format("{:+.1f}%", gain(r.inspection.revenue, r.classic.myerson)),
                            kInspection});
  }
  chart.series = {inspection, myerson, reserve, second};
  if (!posted.x.empty()) chart.series.push_back(posted);
  const auto& rows = report.comparison.rows;
  chart.x_min = rows.front().bidders - 0.3, chart.x_max = rows.back().bidders + 0.3;
  chart.y_min = 0;
  return figure(std::move(chart),
                "Expected revenue of every mechanism; the labels give inspection's gain over "
                "Myerson's optimal auction in percent.");
}

Figure gain_figure(const Report& report) {
  Chart chart = make_chart("gain", "Gain of inspection over Myerson", "number of bidders n",
                           "gain over Myerson (%)");
  chart.integer_x = true;
  Series s{"inspection vs Myerson", {}, {}, kInspection, false, true, true};
  for (const ComparisonRow& r : report.comparison.rows) {
    s.x.push_back(r.bidders);
    s.y.push_back(gain(r.inspection.revenue, r.classic.myerson));
  }
  chart.series.push_back(s);
  const auto& rows = report.comparison.rows;
  chart.x_min = rows.front().bidders - 0.3, chart.x_max = rows.back().bidders + 0.3;
  chart.y_min = 0;
  return figure(std::move(chart),
                "100 (inspection / Myerson - 1). Gains are largest in thin markets; they need not "
                "shrink monotonically with n.");
}

}  // namespace

std::vector<Figure> report_figures(const Report& report) {
  const ComparisonRow& row = report.comparison.rows[report.shown];
  const Context c{report, row, row.inspection, report.distribution->is_discrete(),
                  fmt::format(" (n = {})", row.bidders)};
  return {allocation_figure(c),      rent_figure(c),
          net_payment_figure(c),     best_alternative_figure(c),
          win_probability_figure(c), winner_reward_figure(c),
          revenue_figure(report),    gain_figure(report)};
}

}  // namespace dia
