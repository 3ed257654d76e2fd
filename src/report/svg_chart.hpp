// A small line chart written as SVG by hand: axes with ticks and labels, a title, a legend to the
// right of the plot area, polylines (broken at NaN), optional markers and text labels. Nothing is
// clipped: the axes always reach every finite point, so a curve is never cut off silently.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace dia::report {

enum class Marker { kCircle, kSquare, kDiamond, kTriangle, kCross };

struct Series {
  std::string name = {};  // the legend's text ("\n" starts a second line); empty: not in the legend
  std::vector<double> x = {}, y = {};  // a NaN y breaks the line
  std::string color = "#1f77b4";
  bool dashed = false;
  bool markers = false;
  bool line = true;
  std::string dash = {};            // an SVG stroke-dasharray; empty: "6 4" when dashed
  Marker marker = Marker::kCircle;  // the shape of the markers (and of the legend's swatch)
  std::size_t marker_every = 1;     // a marker on every k-th point (dense curves)
  double width = 2.2;               // the line's stroke width
};

struct PointLabel {
  double x = 0, y = 0;
  std::string text;
  std::string color = "#333";
};

struct Chart {
  std::string id;  // the figure's id in the report: "allocation", "rent", ...
  std::string title, x_label, y_label;
  std::vector<Series> series;  // drawn in this order: the last is on top
  std::vector<PointLabel> labels;
  // Fixed ends of the axes; the axes still grow to reach any finite point outside them.
  std::optional<double> y_min, y_max, x_min, x_max;
  bool integer_x = false;        // ticks at whole numbers (numbers of bidders)
  std::string description = {};  // the SVG's <desc>: what the plot shows
  std::string footer = {};  // a small line under the plot (and in <desc>): version, command, date
};

// A standalone <svg> element (with xmlns, <title> and <desc>), readable by browsers and by
// rsvg-convert. The plot area is the <rect class="plot-area">; curves are class "curve", markers
// class "marker".
std::string render_svg(const Chart& chart);

// XML/HTML text escaping.
std::string escape_xml(const std::string& text);

}  // namespace dia::report
