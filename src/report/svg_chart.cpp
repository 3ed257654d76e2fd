// SVG line charts for the HTML report and `dia report --format svg|png`.
#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace dia::report {
namespace {

constexpr double kWidth = 800, kHeight = 420;
constexpr double kLeft = 78, kRight = 560, kTop = 44, kBottom = 340;  // the plot area
constexpr double kLegendX = 578;
constexpr std::size_t kFooterBytes = 140;  // what fits on the visible provenance line

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

// The axis from the data, widened to the fixed ends but never narrowed below a finite point.
Range data_range(const Chart& chart, bool x_axis) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const Series& s : chart.series) {
    for (double v : x_axis ? s.x : s.y) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  const bool empty = !std::isfinite(lo);
  if (empty) lo = 0, hi = 1;
  const auto& fixed_lo = x_axis ? chart.x_min : chart.y_min;
  const auto& fixed_hi = x_axis ? chart.x_max : chart.y_max;
  const bool hi_fixed = fixed_hi && (empty || *fixed_hi >= hi);
  if (fixed_lo) lo = empty ? *fixed_lo : std::min(lo, *fixed_lo);
  if (fixed_hi) hi = empty ? *fixed_hi : std::max(hi, *fixed_hi);
  if (hi - lo < 1e-12) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
  if (!x_axis && !hi_fixed) hi += (chart.labels.empty() ? 0.05 : 0.12) * (hi - lo);  // labels
  return {lo, hi};
}

// The tick positions: multiples of the step, plus the axis' fixed end when no tick is near it
// (the end of the support, e.g. 1 on uniform(0,1), is always labelled).
std::vector<double> ticks(Range r, double step, bool end_fixed) {
  std::vector<double> t;
  for (double v = std::ceil(r.lo / step - 1e-9) * step; v <= r.hi + 1e-9 * step; v += step) {
    t.push_back(std::fabs(v) < 1e-9 * step ? 0.0 : v);
  }
  if (end_fixed && (t.empty() || r.hi - t.back() > 0.35 * step)) t.push_back(r.hi);
  return t;
}

std::string number(double v) {
  if (std::fabs(v) < 1e-12) return "0";
  return fmt::format("{:.4g}", v);
}

std::string dash_attribute(const Series& s) {
  const std::string dash = !s.dash.empty() ? s.dash : s.dashed ? "6 4" : "";
  return dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash);
}

// A marker of the given shape; `kind` is its class: "marker" on a curve, "legend-marker" in the
// legend (outside the plot area, so not a point of the data).
std::string marker_svg(Marker shape, double x, double y, const std::string& color,
                       const char* kind = "marker") {
  switch (shape) {
    case Marker::kSquare:
      return fmt::format(
          "<rect class=\"{}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"6.4\" height=\"6.4\" fill=\"{}\"/>",
          kind, x - 3.2, y - 3.2, color);
    case Marker::kDiamond:
      return fmt::format(
          "<polygon class=\"{7}\" points=\"{0:.2f},{1:.2f} {2:.2f},{3:.2f} {0:.2f},{4:.2f} "
          "{5:.2f},{3:.2f}\" fill=\"{6}\"/>",
          x, y - 4.5, x + 4.5, y, y + 4.5, x - 4.5, color, kind);
    case Marker::kTriangle:
      return fmt::format(
          "<polygon class=\"{}\" points=\"{:.2f},{:.2f} {:.2f},{:.2f} {:.2f},{:.2f}\" "
          "fill=\"{}\"/>",
          kind, x, y - 4.5, x + 4.2, y + 3.2, x - 4.2, y + 3.2, color);
    case Marker::kCross:
      return fmt::format(
          "<path class=\"{5}\" d=\"M{0:.2f} {1:.2f}L{2:.2f} {3:.2f}M{0:.2f} {3:.2f}L{2:.2f} "
          "{1:.2f}\" stroke=\"{4}\" stroke-width=\"2\"/>",
          x - 4, y - 4, x + 4, y + 4, color, kind);
    case Marker::kCircle:
      break;
  }
  return fmt::format("<circle class=\"{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.5\" fill=\"{}\"/>",
                     kind, x, y, color);
}

// At most `bytes` bytes of UTF-8 text, cut at a character boundary, with "..." when cut.
std::string shortened(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t cut = bytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == '\n') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string legend(const Chart& chart) {
  std::string s;
  double y = kTop + 10;
  for (const Series& series : chart.series) {
    if (series.name.empty()) continue;
    if (series.line) {
      s += fmt::format(
          "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"{}\"{}/>",
          kLegendX, y, kLegendX + 26, y, series.color, series.width, dash_attribute(series));
    }
    if (series.markers || !series.line)
      s += marker_svg(series.marker, kLegendX + 13, y, series.color, "legend-marker");
    s += fmt::format("<text class=\"legend\" x=\"{}\" y=\"{:.1f}\" font-size=\"12\">",
                     kLegendX + 32, y + 4);
    const std::vector<std::string> text = lines(series.name);
    for (std::size_t i = 0; i < text.size(); ++i) {
      s += fmt::format("<tspan x=\"{}\" dy=\"{}\">{}</tspan>", kLegendX + 32, i == 0 ? 0 : 15,
                       escape_xml(text[i]));
    }
    s += "</text>\n";
    y += 22 + 15 * static_cast<double>(text.size() - 1);
  }
  return s;
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
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dia-chart\" id=\"svg-{0}\" "
      "viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" font-family=\"sans-serif\" "
      "font-size=\"13\" role=\"img\" aria-labelledby=\"title-{0}\">\n"
      "<title id=\"title-{0}\">{3}</title>\n<desc>{4}</desc>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      escape_xml(chart.id), kWidth, kHeight, escape_xml(chart.title),
      escape_xml(chart.description + (chart.footer.empty() ? "" : "\n" + chart.footer)));
  s += fmt::format(
      "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" "
      "font-weight=\"bold\">{}</text>\n",
      (kLeft + kRight) / 2, escape_xml(chart.title));
  // Grid and ticks.
  const double xs = chart.integer_x ? std::max(1.0, std::ceil(tick_step(xr.hi - xr.lo, 8)))
                                    : tick_step(xr.hi - xr.lo, 6);
  for (double t : ticks(xr, xs, chart.x_max.has_value() && !chart.integer_x)) {
    s += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\" stroke=\"#e5e5e5\"/>"
        "<text class=\"x-tick\" x=\"{0:.2f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        px(t), kTop, kBottom, kBottom + 18, number(t));
  }
  const double ys = tick_step(yr.hi - yr.lo, 6);
  for (double t : ticks(yr, ys, false)) {
    s += fmt::format(
        "<line x1=\"{1}\" y1=\"{0:.2f}\" x2=\"{2}\" y2=\"{0:.2f}\" stroke=\"#e5e5e5\"/>"
        "<text class=\"y-tick\" x=\"{3}\" y=\"{4:.2f}\" text-anchor=\"end\">{5}</text>\n",
        py(t), kLeft, kRight, kLeft - 6, py(t) + 4, number(t));
  }
  s += fmt::format(
      "<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
      "stroke=\"#333\"/>\n",
      kLeft, kTop, kRight - kLeft, kBottom - kTop);
  // Axis labels.
  s += fmt::format("<text class=\"x-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   (kLeft + kRight) / 2, kBottom + 42, escape_xml(chart.x_label));
  s += fmt::format(
      "<text class=\"y-label\" x=\"18\" y=\"{0}\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 18 {0})\">{1}</text>\n",
      (kTop + kBottom) / 2, escape_xml(chart.y_label));
  // Series, in order (the last on top); the axes reach every finite point, so nothing is clipped.
  for (const Series& series : chart.series) {
    s += fmt::format("<g class=\"series\" data-series=\"{}\">\n", escape_xml(series.name));
    std::string points;
    auto flush = [&] {
      if (series.line && !points.empty()) {
        s += fmt::format(
            "<polyline class=\"curve\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} "
            "points=\"{}\"/>\n",
            series.color, series.width, dash_attribute(series), points);
      }
      points.clear();
    };
    const std::size_t every = std::max<std::size_t>(1, series.marker_every);
    const std::size_t count = std::min(series.x.size(), series.y.size());
    for (std::size_t i = 0; i < count; ++i) {
      if (!std::isfinite(series.y[i]) || !std::isfinite(series.x[i])) {
        flush();
        continue;
      }
      points += fmt::format("{:.2f},{:.2f} ", px(series.x[i]), py(series.y[i]));
      if ((series.markers || !series.line) && (i % every == 0 || i + 1 == count)) {
        s += marker_svg(series.marker, px(series.x[i]), py(series.y[i]), series.color) + "\n";
      }
    }
    flush();
    s += "</g>\n";
  }
  for (const PointLabel& label : chart.labels) {
    s += fmt::format(
        "<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\" font-size=\"11\" "
        "fill=\"{}\">{}</text>\n",
        px(label.x), py(label.y) - 9, label.color, escape_xml(label.text));
  }
  s += legend(chart);
  if (!chart.footer.empty()) {
    s += fmt::format(
        "<text class=\"provenance\" x=\"8\" y=\"{}\" font-size=\"10\" fill=\"#777\">{}</text>\n",
        kHeight - 8, escape_xml(shortened(chart.footer, kFooterBytes)));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace dia::report
