// The SVG layer of `dia report`: every drawn coordinate lies in the plot area (the axes grow to
// reach the data instead of clipping it), the value axis reaches its fixed end with a labelled
// tick, series differ by dash and marker in the legend, and every SVG has a <title> and <desc>.
#include "report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/svg_geometry.hpp"

namespace dia::report {
namespace {

using testing::Box;
using testing::drawn_points;
using testing::plot_area;
using testing::x_ticks;

// A series on the midpoints of m equal cells of [0, 1], as a report's grid rows are.
Series cell_means(std::size_t m, double scale) {
  Series s{.name = "curve", .markers = true};
  for (std::size_t k = 0; k < m; ++k) {
    const double v = (static_cast<double>(k) + 0.5) / static_cast<double>(m);
    s.x.push_back(v);
    s.y.push_back(scale * v * v);
  }
  return s;
}

TEST(SvgChart, PointsAboveAFixedTopGrowTheAxisInsteadOfLeavingThePlotArea) {
  Chart chart;
  chart.id = "q", chart.title = "q = X/G";
  chart.series.push_back(cell_means(50, 83.0));  // up to ~83, as a Border lottery's q
  chart.series.back().y[3] = std::numeric_limits<double>::quiet_NaN();  // a break
  chart.y_min = 0, chart.y_max = 1.05;
  chart.x_min = 0, chart.x_max = 1;
  const std::string svg = render_svg(chart);
  const Box a = plot_area(svg);
  const auto points = drawn_points(svg);
  ASSERT_EQ(points.size(), 2 * 49u);  // 49 finite points, each in the line and as a marker
  for (const auto& [x, y] : points) {
    EXPECT_GE(x, a.x0 - 1e-9);
    EXPECT_LE(x, a.x1 + 1e-9);
    EXPECT_GE(y, a.y0 - 1e-9) << "above the plot area: clipped";
    EXPECT_LE(y, a.y1 + 1e-9);
  }
  EXPECT_EQ(svg.find("clip-path"), std::string::npos);
  // The largest value is drawn inside the top of the area, not cut at 1.05.
  double top = a.y1;
  for (const auto& [x, y] : points) top = std::min(top, y);
  EXPECT_LT(top, a.y0 + 0.1 * (a.y1 - a.y0));
}

TEST(SvgChart, TheValueAxisReachesTheSupportEndWithALabelledTick) {
  Chart chart;
  chart.id = "allocation";
  chart.series.push_back(cell_means(200, 1.0));  // the last point is 0.9975
  chart.x_min = 0, chart.x_max = 1;
  const std::string svg = render_svg(chart);
  const std::vector<std::string> ticks = x_ticks(svg);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), "0");
  EXPECT_EQ(ticks.back(), "1");
  // The right end of the plot area is v = 1: the last point 0.9975 sits 0.25% short of it.
  const Box a = plot_area(svg);
  double right = a.x0;
  for (const auto& point : drawn_points(svg)) right = std::max(right, point.first);
  EXPECT_NEAR((right - a.x0) / (a.x1 - a.x0), 0.9975, 0.002);
}

TEST(SvgChart, AnEndBetweenNiceTicksGetsItsOwnTick) {
  Chart chart;
  chart.id = "v";
  chart.series.push_back(cell_means(10, 1.0));
  chart.x_min = 0, chart.x_max = 1.37;  // ticks at 0, 0.5, 1, then 1.37
  const std::vector<std::string> ticks = x_ticks(render_svg(chart));
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_EQ(ticks[ticks.size() - 2], "1");
  EXPECT_EQ(ticks.back(), "1.37");
}

TEST(SvgChart, TitleDescriptionAndFooterAreEscapedAndPresent) {
  Chart chart;
  chart.id = "rent", chart.title = "R(v) < v & more";
  chart.series.push_back(cell_means(5, 1.0));
  chart.description = "what \"it\" shows";
  chart.footer = "dia 0.1.0, 2026-12-07 09:00:00 UTC: dia report --values 'uniform(0,1)'";
  const std::string svg = render_svg(chart);
  EXPECT_NE(svg.find("<title id=\"title-rent\">R(v) &lt; v &amp; more</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc>what &quot;it&quot; shows\ndia 0.1.0, 2026-12-07 09:00:00 UTC"),
            std::string::npos);
  EXPECT_NE(svg.find("class=\"provenance\""), std::string::npos);
  EXPECT_NE(svg.find("--values 'uniform(0,1)'</text>"), std::string::npos);
}

TEST(SvgChart, ALongFooterIsShortenedAtACharacterBoundary) {
  Chart chart;
  chart.id = "x";
  chart.series.push_back(cell_means(5, 1.0));
  chart.footer = std::string(137, 'a') + "\xc3\xa9\xc3\xa9\xc3\xa9";  // 137 + 3 x 2 bytes
  const std::string svg = render_svg(chart);
  const std::string start = "class=\"provenance\"";
  const std::size_t at = svg.find('>', svg.find(start)) + 1;
  const std::string visible = svg.substr(at, svg.find("</text>", at) - at);
  EXPECT_EQ(visible, std::string(137, 'a') + "...");     // no half of a two-byte character
  EXPECT_NE(svg.find(chart.footer), std::string::npos);  // whole in <desc>
}

TEST(SvgChart, SeriesDifferByDashAndMarkerInTheCurvesAndTheLegend) {
  Chart chart;
  chart.id = "n";
  Series a = cell_means(20, 1.0), b = cell_means(20, 0.5);
  a.name = "n = 1", b.name = "n = 2";
  b.dash = "9 4", b.marker = Marker::kDiamond, b.marker_every = 5;
  chart.series = {a, b};
  const std::string svg = render_svg(chart);
  // b's curve and its legend swatch are dashed; a's are not.
  std::size_t dashed = 0;
  for (std::size_t at = svg.find("stroke-dasharray=\"9 4\""); at != std::string::npos;
       at = svg.find("stroke-dasharray=\"9 4\"", at + 1)) {
    ++dashed;
  }
  EXPECT_EQ(dashed, 2u);
  // b: diamonds at points 0, 5, 10, 15 and the last (19); the legend's is a "legend-marker".
  std::size_t diamonds = 0;
  for (std::size_t at = svg.find("<polygon class=\"marker\""); at != std::string::npos;
       at = svg.find("<polygon class=\"marker\"", at + 1)) {
    ++diamonds;
  }
  EXPECT_EQ(diamonds, 5u);
  EXPECT_NE(svg.find("<polygon class=\"legend-marker\""), std::string::npos);
  EXPECT_NE(svg.find("<tspan x=\"610\" dy=\"0\">n = 2</tspan>"), std::string::npos);
}

TEST(SvgChart, ALegendNameWithANewlineTakesTwoLines) {
  Chart chart;
  chart.id = "m";
  Series s = cell_means(3, 1.0);
  s.name = "Myerson\n(= 2nd price + reserve)";
  chart.series = {s};
  const std::string svg = render_svg(chart);
  EXPECT_NE(svg.find("dy=\"0\">Myerson</tspan><tspan x=\"610\" dy=\"15\">(= 2nd price + "
                     "reserve)</tspan>"),
            std::string::npos);
}

}  // namespace
}  // namespace dia::report
