// A small line chart written as SVG by hand: axes with ticks and labels, a title, a legend to the
// right of the plot area, polylines (broken at NaN), optional markers and text labels.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dia::report {

struct Series {
  std::string name;
  std::vector<double> x, y;  // a NaN y breaks the line
  std::string color = "#1f77b4";
  bool dashed = false;
  bool markers = false;
  bool line = true;
};

struct PointLabel {
  double x = 0, y = 0;
  std::string text;
  std::string color = "#333";
};

struct Chart {
  std::string id;  // the figure's id in the report: "allocation", "rent", ...
  std::string title, x_label, y_label;
  std::vector<Series> series;
  std::vector<PointLabel> labels;
  std::optional<double> y_min, y_max, x_min, x_max;
  bool integer_x = false;  // ticks at whole numbers (numbers of bidders)
};

// A standalone <svg> element (with xmlns), readable by browsers and by rsvg-convert.
std::string render_svg(const Chart& chart);

// XML/HTML text escaping.
std::string escape_xml(const std::string& text);

}  // namespace dia::report
