// The report's plots across numbers of bidders: inspection's allocation for each n, every
// mechanism's revenue, and inspection's gain. Curves that may coincide differ in dash and marker,
// not only in colour, and the legend says when they coincide.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "report/report_figure_parts.hpp"

namespace dia::figures {
namespace {

using report::Chart;
using report::Marker;
using report::Series;

constexpr const char* kSecondPrice = "#2ca02c";
constexpr const char* kSecondPriceReserve = "#ff7f0e";
constexpr const char* kPostedPrice = "#9467bd";
constexpr std::size_t kMaxCurves = 8;  // allocation curves drawn at most (legend space)
constexpr std::size_t kMarkersPerCurve = 10;

constexpr std::array<const char*, 8> kColors = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
constexpr std::array<const char*, 6> kDashes = {"", "9 4", "3 3", "12 4 3 4", "6 6", "1 4"};
constexpr std::array<Marker, 5> kMarkers = {Marker::kCircle, Marker::kSquare, Marker::kDiamond,
                                            Marker::kTriangle, Marker::kCross};

double gain(double revenue, double myerson) {
  return myerson > 0 ? 100 * (revenue / myerson - 1) : 0.0;
}

// At most kMaxCurves rows, evenly spread, always with the first and the last.
std::vector<std::size_t> drawn_rows(std::size_t count) {
  std::vector<std::size_t> rows;
  const std::size_t drawn = std::min(count, kMaxCurves);
  for (std::size_t i = 0; i < drawn; ++i) {
    rows.push_back(drawn == 1 ? 0 : (i * (count - 1) + (drawn - 1) / 2) / (drawn - 1));
  }
  return rows;
}

bool same_revenue(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a));
}

void bidder_axis(Chart& chart, const Report& report) {
  chart.integer_x = true;
  const auto& rows = report.comparison.rows;
  chart.x_min = rows.front().bidders - 0.3, chart.x_max = rows.back().bidders + 0.3;
  chart.y_min = 0;
}

}  // namespace

Figure allocation_by_bidders_figure(const Report& report) {
  Chart chart = value_chart(report, "allocation_by_bidders", "Allocation X(v) for each n",
                            "allocation probability X(v)");
  const bool discrete = report.distribution->is_discrete();
  const auto& rows = report.comparison.rows;
  std::string rules;
  for (std::size_t i : drawn_rows(rows.size())) {
    const InspectionDesign& d = rows[i].inspection;
    const std::size_t k = chart.series.size();
    Series s = inspection_series(d, discrete, fmt::format("n = {}", d.bidders),
                                 [](auto& r) { return r.allocation; });
    s.color = kColors[k % kColors.size()];
    s.dash = kDashes[k % kDashes.size()];
    s.marker = kMarkers[k % kMarkers.size()];
    s.markers = true;
    s.marker_every = discrete ? 1 : std::max<std::size_t>(1, d.rows.size() / kMarkersPerCurve);
    chart.series.push_back(std::move(s));
    rules += fmt::format("{}n = {}: {}", rules.empty() ? "" : "; ", d.bidders,
                         rule_name(rule_in_force(d)));
  }
  chart.y_min = 0, chart.y_max = 1.05;
  std::string caption =
      "Inspection's interim allocation for each number of bidders; each n has its own colour, "
      "dash and marker. Rules in force: " +
      rules + ".";
  if (rows.size() > kMaxCurves) {
    caption += fmt::format(" {} of the {} numbers of bidders are drawn.", kMaxCurves, rows.size());
  }
  return figure(report, std::move(chart), caption);
}

Figure revenue_figure(const Report& report) {
  Chart chart = make_chart("revenue_vs_bidders", "Revenue vs number of bidders",
                           "number of bidders n", "expected revenue");
  Series inspection{.name = "inspection", .color = kInspection, .markers = true};
  Series myerson{.name = "Myerson", .color = kMyerson, .markers = true};
  Series second{.name = "second price", .color = kSecondPrice, .markers = true};
  Series reserve{.name = "2nd price + reserve", .color = kSecondPriceReserve, .markers = true};
  Series posted{
      .name = "posted price (n=1)", .color = kPostedPrice, .markers = true, .line = false};
  myerson.dash = "8 5", myerson.marker = Marker::kDiamond, myerson.width = 1.8;
  reserve.width = 4, reserve.marker = Marker::kSquare;
  second.marker = Marker::kTriangle, posted.marker = Marker::kCross;
  std::vector<int> coincide;
  for (const ComparisonRow& r : report.comparison.rows) {
    const double n = r.bidders;
    inspection.x.push_back(n), inspection.y.push_back(r.inspection.revenue);
    myerson.x.push_back(n), myerson.y.push_back(r.classic.myerson);
    second.x.push_back(n), second.y.push_back(r.classic.second_price);
    reserve.x.push_back(n), reserve.y.push_back(r.classic.second_price_reserve);
    if (r.classic.posted_price) posted.x.push_back(n), posted.y.push_back(*r.classic.posted_price);
    if (same_revenue(r.classic.myerson, r.classic.second_price_reserve))
      coincide.push_back(r.bidders);
    chart.labels.push_back({n, r.inspection.revenue,
                            fmt::format("{:+.1f}%", gain(r.inspection.revenue, r.classic.myerson)),
                            kInspection});
  }
  std::string caption =
      "Expected revenue of every mechanism; the labels give inspection's gain over Myerson's "
      "optimal auction in percent. Myerson's line is drawn last (dashed, diamonds), on top.";
  if (coincide.size() == report.comparison.rows.size()) {
    myerson.name = "Myerson\n(= 2nd price + reserve)";
    caption +=
        " Myerson's auction is the second-price auction with his reserve here: the two "
        "lines coincide.";
  } else if (!coincide.empty()) {
    caption +=
        fmt::format(" Myerson = second price + reserve at n = {}.", fmt::join(coincide, ", "));
  }
  chart.series = {second, reserve, inspection, myerson};
  if (!posted.x.empty()) chart.series.push_back(posted);
  bidder_axis(chart, report);
  return figure(report, std::move(chart), caption);
}

Figure gain_figure(const Report& report) {
  Chart chart = make_chart("gain", "Gain of inspection over Myerson", "number of bidders n",
                           "gain over Myerson (%)");
  Series s{.name = "inspection vs Myerson", .color = kInspection, .markers = true};
  for (const ComparisonRow& r : report.comparison.rows) {
    s.x.push_back(r.bidders);
    s.y.push_back(gain(r.inspection.revenue, r.classic.myerson));
  }
  chart.series.push_back(s);
  bidder_axis(chart, report);
  return figure(report, std::move(chart),
                "100 (inspection / Myerson - 1). Gains are largest in thin markets; they need not "
                "shrink monotonically with n.");
}

}  // namespace dia::figures
