// Reading back what an SVG of `dia report` draws: the plot area, the curves' and markers' points
// (in SVG coordinates) and the x ticks' labels, for tests of the plots' geometry.
#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace dia::testing {

// The plot area as drawn: <rect class="plot-area" x y width height>.
struct Box {
  double x0, y0, x1, y1;
};

inline Box plot_area(const std::string& svg) {
  std::smatch m;
  const std::regex area(
      R"re(class="plot-area" x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re");
  EXPECT_TRUE(std::regex_search(svg, m, area)) << svg;
  const double x = std::stod(m[1]), y = std::stod(m[2]);
  return {x, y, x + std::stod(m[3]), y + std::stod(m[4])};
}

// Every (x, y) of every polyline and circle marker.
inline std::vector<std::pair<double, double>> drawn_points(const std::string& svg) {
  std::vector<std::pair<double, double>> out;
  const std::regex polyline(R"re(<polyline class="curve"[^>]* points="([^"]*)")re");
  const std::regex pair(R"re((-?[0-9.]+),(-?[0-9.]+))re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), polyline), end; it != end; ++it) {
    const std::string points = (*it)[1];
    for (std::sregex_iterator p(points.begin(), points.end(), pair); p != end; ++p) {
      out.emplace_back(std::stod((*p)[1]), std::stod((*p)[2]));
    }
  }
  const std::regex circle(R"re(<circle class="marker" cx="(-?[0-9.]+)" cy="(-?[0-9.]+)")re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), circle), end; it != end; ++it) {
    out.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return out;
}

// The part of the SVG that draws one series: its <g class="series" data-series="NAME">, NAME
// as escaped in the SVG. Empty when there is no such series.
inline std::string series_svg(const std::string& svg, const std::string& name) {
  const std::size_t at = svg.find("<g class=\"series\" data-series=\"" + name + "\">");
  if (at == std::string::npos) return {};
  return svg.substr(at, svg.find("</g>", at) - at);
}

// The labels of the x ticks, in order.
inline std::vector<std::string> x_ticks(const std::string& svg) {
  std::vector<std::string> out;
  const std::regex tick(R"re(<text class="x-tick"[^>]*>([^<]*)</text>)re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

}  // namespace dia::testing
