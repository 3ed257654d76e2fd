// SVG line charts for the HTML report and `dia report --format svg|png`.
#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dia::report {
namespace {

constexpr double kWidth = 760, kHeight = 400;
constexpr double kLeft = 78, kRight = 560, kTop = 44, kBottom = 340;  // the plot area
constexpr double kLegendX = 578;

struct Range {
  double lo, hi;
};

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `target` ticks.
double tick_step(double span, int target) {
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

Range data_range(const Chart& chart, bool x_axis) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const Series& s : chart.series) {
    for (double v : x_axis ? s.x : s.y) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const auto& fixed_lo = x_axis ? chart.x_min : chart.y_min;
  const auto& fixed_hi = x_axis ? chart.x_max : chart.y_max;
  if (fixed_lo) lo = *fixed_lo;
  if (fixed_hi) hi = *fixed_hi;
  if (hi - lo < 1e-12) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
  if (!x_axis && !fixed_hi) hi += (chart.labels.empty() ? 0.05 : 0.12) * (hi - lo);  // labels
  return {lo, hi};
}

std::string number(double v) {
  if (std::fabs(v) < 1e-12) return "0";
  return fmt::format("{:.4g}", v);
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_svg(const Chart& chart) {
  const Range xr = data_range(chart, true), yr = data_range(chart, false);
  auto px = [&](double x) { return kLeft + (x - xr.lo) / (xr.hi - xr.lo) * (kRight - kLeft); };
  auto py = [&](double y) { return kBottom - (y - yr.lo) / (yr.hi - yr.lo) * (kBottom - kTop); };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dia-chart\" id=\"svg-{}\" "
      "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
      "font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      escape_xml(chart.id), kWidth, kHeight, kWidth, kHeight);
  s += fmt::format(
      "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" "
      "font-weight=\"bold\">{}</text>\n",
      (kLeft + kRight) / 2, escape_xml(chart.title));
  // Grid and ticks.
  const double xs = chart.integer_x ? std::max(1.0, std::ceil(tick_step(xr.hi - xr.lo, 8)))
                                    : tick_step(xr.hi - xr.lo, 6);
  for (double t = std::ceil(xr.lo / xs - 1e-9) * xs; t <= xr.hi + 1e-9 * xs; t += xs) {
    s += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"#e5e5e5\"/>"
        "<text x=\"{0:.2f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        px(t), kTop, kBottom, kBottom + 18, number(t));
  }
  const double ys = tick_step(yr.hi - yr.lo, 6);
  for (double t = std::ceil(yr.lo / ys - 1e-9) * ys; t <= yr.hi + 1e-9 * ys; t += ys) {
    s += fmt::format(
        "<line x1=\"{1}\" y1=\"{0:.2f}\" x2=\"{2}\" y2=\"{0:.2f}\" stroke=\"#e5e5e5\"/>"
        "<text x=\"{3}\" y=\"{4:.2f}\" text-anchor=\"end\">{5}</text>\n",
        py(t), kLeft, kRight, kLeft - 6, py(t) + 4, number(t));
  }
  s += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n", kLeft,
      kTop, kRight - kLeft, kBottom - kTop);
  // Axis labels.
  s += fmt::format("<text class=\"x-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   (kLeft + kRight) / 2, kBottom + 42, escape_xml(chart.x_label));
  s += fmt::format(
      "<text class=\"y-label\" x=\"18\" y=\"{0}\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 18 {0})\">{1}</text>\n",
      (kTop + kBottom) / 2, escape_xml(chart.y_label));
  // Series, clipped to the plot area.
  s += fmt::format(
      "<clipPath id=\"clip-{0}\"><rect x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"{4}\"/>"
      "</clipPath>\n<g clip-path=\"url(#clip-{0})\">\n",
      escape_xml(chart.id), kLeft - 4, kTop - 4, kRight - kLeft + 8, kBottom - kTop + 8);
  for (const Series& series : chart.series) {
    const std::string dash = series.dashed ? " stroke-dasharray=\"6 4\"" : "";
    std::string points;
    auto flush = [&] {
      if (series.line && !points.empty()) {
        s += fmt::format(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\"{} points=\"{}\"/>\n",
            series.color, dash, points);
      }
      points.clear();
    };
    for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
      if (!std::isfinite(series.y[i]) || !std::isfinite(series.x[i])) {
        flush();
        continue;
      }
      points += fmt::format("{:.2f},{:.2f} ", px(series.x[i]), py(series.y[i]));
      if (series.markers) {
        s += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.5\" fill=\"{}\"/>\n",
                         px(series.x[i]), py(series.y[i]), series.color);
      }
    }
    flush();
  }
  s += "</g>\n";
  for (const PointLabel& label : chart.labels) {
    s += fmt::format(
        "<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\" font-size=\"11\" "
        "fill=\"{}\">{}</text>\n",
        px(label.x), py(label.y) - 9, label.color, escape_xml(label.text));
  }
  // Legend, to the right of the plot area.
  double y = kTop + 10;
  for (const Series& series : chart.series) {
    if (series.name.empty()) continue;
    const std::string dash = series.dashed ? " stroke-dasharray=\"6 4\"" : "";
    if (series.line) {
      s += fmt::format(
          "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"2.2\"{}/>",
          kLegendX, y, kLegendX + 26, y, series.color, dash);
    }
    if (series.markers || !series.line) {
      s += fmt::format("<circle cx=\"{}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>", kLegendX + 13, y,
                       series.color);
    }
    s += fmt::format("<text class=\"legend\" x=\"{}\" y=\"{:.1f}\">{}</text>\n", kLegendX + 32,
                     y + 4, escape_xml(series.name));
    y += 22;
  }
  s += "</svg>\n";
  return s;
}

}  // namespace dia::report
