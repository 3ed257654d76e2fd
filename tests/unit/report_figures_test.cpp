// `dia report`'s plots from real designs: a Border lottery is plotted as X against G (never a
// q = X/G above 1), every plot names the rule in force, Myerson's line is on top and labelled
// where it coincides with the second-price auction with reserve, and every page and SVG carries
// the version, the command line and the date.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "dia/html_report.hpp"
#include "dia/version.hpp"
#include "support/svg_geometry.hpp"

namespace dia {
namespace {

using testing::drawn_points;
using testing::plot_area;
using testing::series_svg;
using testing::x_ticks;

Report make_report(const std::string& spec, std::vector<int> bidders, int shown) {
  ReportOptions options;
  options.bidders = std::move(bidders);
  options.shown_bidders = shown;
  options.command_line = "dia report --values '" + spec + "'";
  auto d = parse_distribution(spec);
  EXPECT_TRUE(d.has_value());
  EXPECT_TRUE(validate_report_request(**d, options).has_value());
  return build_report(*d, options);
}

const Figure& find(const std::vector<Figure>& figures, const std::string& id) {
  for (const Figure& f : figures) {
    if (f.id == id) return f;
  }
  ADD_FAILURE() << "no figure " << id;
  return figures.front();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void expect_inside_plot_area(const Figure& f) {
  const testing::Box a = plot_area(f.svg);
  for (const auto& [x, y] : drawn_points(f.svg)) {
    EXPECT_TRUE(x >= a.x0 && x <= a.x1 && y >= a.y0 && y <= a.y1)
        << f.id << ": (" << x << ", " << y << ") outside the plot area";
  }
}

// uniform(1,2), 2 bidders: the optimum has q = X/G up to about 83 near v = 1, run by a Border
// lottery. The plot shows X and G, both probabilities; G is F(v) = v - 1 at the cell means of the
// equal-mass grid ((2k+1)/(2m) for cell k of m, with n = 2), which checks the drawn G
// independently of the code that computes it.
TEST(ReportFigures, ABorderLotteryIsPlottedAsXAgainstGAndCaptionedByItsRule) {
  const Report report = make_report("uniform(1,2)", {2}, 2);
  const InspectionDesign& design = report.comparison.rows[0].inspection;
  ASSERT_EQ(design.implementation, "border_lottery");
  ASSERT_GT(design.max_win_probability, 10.0);
  const std::vector<Figure> figures = report_figures(report);
  const Figure& win = find(figures, "win_probability");
  EXPECT_TRUE(contains(win.title, "X(v) vs G(v)")) << win.title;
  EXPECT_TRUE(contains(win.caption, "Rule in force (n = 2): Border lottery")) << win.caption;
  EXPECT_FALSE(contains(win.caption, "highest bid wins"));
  EXPECT_TRUE(series_svg(win.svg, "q(v) = X(v)/G(v)").empty());
  expect_inside_plot_area(win);
  const testing::Box a = plot_area(win.svg);
  const auto g = drawn_points(series_svg(win.svg, "G(v): type v bids highest"));
  ASSERT_GT(g.size(), 100u);
  for (const auto& [px, py] : g) {  // axes: v in [1, 2], probability in [0, 1.05]
    const double v = 1 + (px - a.x0) / (a.x1 - a.x0);
    const double probability = 1.05 * (a.y1 - py) / (a.y1 - a.y0);
    EXPECT_NEAR(probability, v - 1, 0.002);
  }
  for (const Figure& f : figures) {
    if (f.id == "revenue_vs_bidders" || f.id == "gain") continue;
    EXPECT_TRUE(contains(f.caption, "Border lottery")) << f.id << ": " << f.caption;
    expect_inside_plot_area(f);
  }
}

TEST(ReportFigures, TheCaptionsNameTheHighestBidderRules) {
  // uniform(0,1), n = 2: q = X/G strictly between 0 and 1 below the switch point.
  const Report lottery = make_report("uniform(0,1)", {1, 2}, 2);
  const std::vector<Figure> figures = report_figures(lottery);
  const Figure& q = find(figures, "win_probability");
  EXPECT_TRUE(contains(q.caption, "Rule in force (n = 2): highest-bidder lottery")) << q.caption;
  EXPECT_FALSE(series_svg(q.svg, "q(v) = X(v)/G(v)").empty());
  expect_inside_plot_area(q);
  const Figure& by_n = find(figures, "allocation_by_bidders");
  EXPECT_TRUE(contains(by_n.caption, "n = 1: one bidder; n = 2: highest-bidder lottery"))
      << by_n.caption;
  // The worked discrete example, n = 2: every q is 0 or 1, the highest bid simply wins.
  const Report sure = make_report("discrete(1:0.5,2:0.3,3:0.2)", {2}, 2);
  const std::vector<Figure> sure_figures = report_figures(sure);
  const Figure& s = find(sure_figures, "win_probability");
  EXPECT_TRUE(contains(s.caption, "Rule in force (n = 2): highest bid wins")) << s.caption;
}

TEST(ReportFigures, TheValueAxisReachesTheEndOfTheSupport) {
  const Report report = make_report("uniform(0,1)", {1}, 1);
  for (const Figure& f : report_figures(report)) {
    if (f.id == "revenue_vs_bidders" || f.id == "gain") continue;
    const std::vector<std::string> ticks = x_ticks(f.svg);
    ASSERT_FALSE(ticks.empty()) << f.id;
    EXPECT_EQ(ticks.front(), "0") << f.id;
    EXPECT_EQ(ticks.back(), "1") << f.id;
  }
}

TEST(ReportFigures, MyersonIsDrawnOnTopAndSaysWhenItIsTheSecondPriceAuctionWithReserve) {
  // uniform(0,1) is regular: Myerson's auction is the second-price auction with reserve 1/2.
  const Report report = make_report("uniform(0,1)", {1, 2, 3}, 1);
  const std::vector<Figure> figures = report_figures(report);
  const Figure& revenue = find(figures, "revenue_vs_bidders");
  const std::size_t myerson = revenue.svg.find("data-series=\"Myerson\n(= 2nd price + reserve)\"");
  const std::size_t reserve = revenue.svg.find("data-series=\"2nd price + reserve\"");
  ASSERT_NE(myerson, std::string::npos);
  ASSERT_NE(reserve, std::string::npos);
  EXPECT_GT(myerson, reserve);  // drawn later: on top
  EXPECT_TRUE(contains(series_svg(revenue.svg, "Myerson\n(= 2nd price + reserve)"),
                       "stroke-dasharray=\"8 5\""));
  // Each n's allocation has its own dash and marker shape.
  const Figure& by_n = find(figures, "allocation_by_bidders");
  const std::string n1 = series_svg(by_n.svg, "n = 1"), n2 = series_svg(by_n.svg, "n = 2"),
                    n3 = series_svg(by_n.svg, "n = 3");
  EXPECT_FALSE(contains(n1, "stroke-dasharray"));
  EXPECT_TRUE(contains(n2, "stroke-dasharray=\"9 4\"") && contains(n2, "<rect class=\"marker\""));
  EXPECT_TRUE(contains(n3, "stroke-dasharray=\"3 3\"") &&
              contains(n3, "<polygon class=\"marker\""));
}

TEST(ReportFigures, PageAndEverySvgCarryVersionCommandLineAndDate) {
  ASSERT_EQ(setenv("SOURCE_DATE_EPOCH", "86400", 1), 0);  // one day after 1970-01-01
  const Report report = make_report("uniform(0,1)", {1}, 1);
  unsetenv("SOURCE_DATE_EPOCH");
  const std::string html = to_html(report);
  EXPECT_TRUE(contains(html, "1970-01-02 00:00:00 UTC")) << html.substr(0, 2000);
  EXPECT_TRUE(contains(html, "dia report --values 'uniform(0,1)'"));
  EXPECT_TRUE(contains(html, std::string("dia ") + kVersion));
  for (const Figure& f : report_figures(report)) {
    EXPECT_TRUE(contains(f.svg, "<title id=\"title-" + f.id + "\">" + f.title)) << f.id;
    EXPECT_TRUE(contains(f.svg, "<desc>")) << f.id;
    EXPECT_TRUE(
        contains(f.svg, std::string("dia ") + kVersion +
                            ", 1970-01-02 00:00:00 UTC: dia report --values 'uniform(0,1)'"))
        << f.id;
  }
}

TEST(ReportFigures, AnUnusableSourceDateEpochIsIgnored) {
  for (const char* bad : {"yesterday", "-5", "99999999999999", "12x"}) {
    ASSERT_EQ(setenv("SOURCE_DATE_EPOCH", bad, 1), 0);
    const Report report = make_report("uniform(0,1)", {1}, 1);
    unsetenv("SOURCE_DATE_EPOCH");
    EXPECT_EQ(report.provenance.date.rfind("20", 0), 0u) << bad << ": " << report.provenance.date;
  }
}

}  // namespace
}  // namespace dia
