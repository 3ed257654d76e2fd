// `dia report --bidder ...`: the self-contained HTML page of an asymmetric design
// (docs/asymmetric.md, docs/report.md): per-class curves drawn with the report's SVG charts
// (report/svg_chart.hpp), the revenue beside every asymmetric baseline, per-class revenue share
// and sale probability, the ex post rule's sales to a bidder that is not the highest, the audit
// and the status.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

#include "dia/asymmetric_report.hpp"
#include "report/html_page.hpp"
#include "report/svg_chart.hpp"

namespace dia {
namespace {

using report::escape_xml;

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string num(double v) { return fmt::format("{:.7g}", v); }

// The legend's name of class c (the class table gives its SPEC, in the same colour): the
// normalised SPECs are too long for a legend.
std::string class_name(std::size_t c, const BidderClassDesign& b) {
  return fmt::format("class {}{}", c + 1, b.count > 1 ? fmt::format(" ({} bidders)", b.count) : "");
}

// One series per class of a quantity of its mechanism rows (NaN breaks the line).
using RowValue = double (*)(const MechanismRow&);
std::vector<report::Series> per_class(const AsymmetricDesign& d, RowValue value, bool dashed,
                                      const std::string& suffix) {
  std::vector<report::Series> out;
  for (std::size_t c = 0; c < d.classes.size(); ++c) {
    report::Series s;
    s.name = class_name(c, d.classes[c]) + suffix;
    s.color = kPalette[c % std::size(kPalette)];
    s.dashed = dashed;
    s.markers = d.classes[c].types.size() <= 40 && d.classes[c].rows.size() <= 40;
    for (const MechanismRow& r : d.classes[c].rows) {
      s.x.push_back(r.value);
      s.y.push_back(value(r));
    }
    out.push_back(std::move(s));
  }
  return out;
}

double winner_reward(const MechanismRow& r) {
  return r.allocation > 0 ? r.rent / r.allocation : std::numeric_limits<double>::quiet_NaN();
}

Figure figure(report::Chart chart, std::string caption, const Provenance& provenance) {
  chart.description = chart.title + ". " + caption;
  chart.footer = provenance.line();
  Figure f{chart.id, chart.title, std::move(caption), report::render_svg(chart)};
  return f;
}

double gain(double revenue, double baseline) {
  return baseline > 0 ? 100 * (revenue / baseline - 1) : 0.0;
}

std::string revenue_table(const AsymmetricDesign& d) {
  const auto& c = d.classic;
  std::string t =
      "<table id=\"revenue-table\"><tr><th class=\"text\">mechanism</th><th>revenue</th>"
      "<th>inspection's gain</th></tr>\n";
  auto row = [&](const std::string& name, double revenue, bool inspection) {
    t += fmt::format(
        "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td></tr>\n", escape_xml(name),
        num(revenue),
        inspection ? std::string("-") : fmt::format("{:+.2f}%", gain(d.revenue, revenue)));
  };
  row("inspection (optimal)", d.revenue, true);
  row("Myerson (per-bidder ironed virtual values)", c.myerson, false);
  row("second price, Myerson reserves", c.second_price_myerson_reserves, false);
  row(fmt::format("second price, best anonymous reserve {:.6g}", c.anonymous_reserve),
      c.second_price_anonymous_reserve, false);
  row("second price, no reserve", c.second_price, false);
  return t + "</table>\n";
}

std::string class_table(const AsymmetricDesign& d) {
  std::string t =
      "<table id=\"class-table\"><tr><th class=\"text\">class</th><th class=\"text\">values"
      "</th><th>bidders</th>"
      "<th>revenue</th><th>revenue share</th><th>sale probability</th><th>expected reward</th>"
      "</tr>\n";
  for (std::size_t c = 0; c < d.classes.size(); ++c) {
    const BidderClassDesign& b = d.classes[c];
    t += fmt::format(
        "<tr><td class=\"text\" style=\"color:{}\">class {}</td><td class=\"text\">{}</td>"
        "<td>{}</td><td>{}</td><td>{:.2f}%</td><td>{:.6f}</td><td>{}</td></tr>\n",
        kPalette[c % std::size(kPalette)], c + 1, escape_xml(b.values), b.count, num(b.revenue),
        100 * b.revenue_share, b.sale_probability, num(b.expected_reward));
  }
  return t + "</table>\n";
}

std::string rule_text(const AsymmetricDesign& d) {
  std::string t = "<p id=\"ex-post-rule\">";
  if (d.ex_post_rule) {
    const PriorityRankings& r = *d.ex_post_rule;
    t += fmt::format(
        "The ex post rule is a lottery over <b>{}</b> priority rankings of the {} (bidder, type) "
        "pairs (reduced-form error {:.1e}): each auction draws a ranking and the item goes to "
        "the present pair ranked first. It gives the item to a bidder that is not the highest "
        "with probability <b>{:.4g}</b> (<span id=\"lower-bidder-wins\">{:.17g}</span>); any "
        "rule implementing this design must do so with probability at least {:.4g}.",
        r.rankings(), r.pairs(), r.max_reduced_form_error(), r.lower_bidder_wins(),
        r.lower_bidder_wins(), d.solution.non_highest_lower_bound);
  } else {
    t += fmt::format(
        "No ex post rule could be built (see the notes); any rule implementing this design "
        "gives the item to a bidder that is not the highest with probability at least {:.4g}.",
        d.solution.non_highest_lower_bound);
  }
  return t + "</p>\n";
}

std::string audit_table(const AsymmetricDesign& d) {
  const AuditReport& a = d.audit;
  return fmt::format(
      "<table id=\"audit-table\"><tr><th class=\"text\">method</th><th>types</th><th>max IC "
      "violation</th><th>max LL violation</th><th>max Border violation</th><th>max "
      "monotonicity violation (measured)</th><th>primal</th><th>dual</th><th>dual gap</th>"
      "<th>estimated error</th><th>status</th><th>audit</th></tr>\n<tr><td class=\"text\">{}"
      "</td><td>{}</td><td>{:.1e}</td><td>{:.1e}</td><td>{:.1e}</td><td>{:.1e}</td><td>{:.10g}"
      "</td><td>{:.10g}</td><td>{:.1e}</td><td>{:.1e}</td><td class=\"text\">{}</td>"
      "<td class=\"{}\">{}</td></tr>\n</table>\n",
      escape_xml(d.method), d.types, a.max_ic_violation, a.max_ll_violation, a.max_border_violation,
      a.max_monotonicity_violation, a.primal, a.dual, a.dual_gap, d.estimated_error,
      to_string(d.status), a.passed ? "passed" : "failed", a.passed ? "passed" : "FAILED");
}

}  // namespace

std::vector<Figure> asymmetric_report_figures(const AsymmetricDesign& d,
                                              const Provenance& provenance) {
  // The charts field by field (the chart gains optional fields; none is meant to be skipped).
  auto chart = [](std::string id, std::string title, std::string y_label,
                  std::vector<report::Series> series, std::optional<double> y_max) {
    report::Chart c;
    c.id = std::move(id);
    c.title = std::move(title);
    c.x_label = "value v";
    c.y_label = std::move(y_label);
    c.series = std::move(series);
    c.y_min = 0.0;
    c.y_max = y_max;
    return c;
  };
  std::vector<Figure> out;
  out.push_back(
      figure(chart("allocation", "Allocation X_i(v) per bidder class", "P(win)",
                   per_class(
                       d, [](const MechanismRow& r) { return r.allocation; }, false, ""),
                   1.0),
             "Each class's interim chance of getting the item (one bidder of the class); neither "
             "monotone nor highest-bidder-wins is assumed.",
             provenance));
  out.push_back(figure(chart("rent", "Rent R_i(v): the expected reward", "expected reward",
                             per_class(
                                 d, [](const MechanismRow& r) { return r.rent; }, false, ""),
                             std::nullopt),
                       "The smallest rent deterring every lower report: R_i(v) = max over w < v of "
                       "(v - w) X_i(w).",
                       provenance));
  out.push_back(figure(chart("winner_reward", "Winner's reward R_i(v) / X_i(v)",
                             "reward refunded to a truthful winner",
                             per_class(d, winner_reward, false, ""), std::nullopt),
                       "Refunded after inspection to a truthful winner (never above its deposit "
                       "v).",
                       provenance));
  std::vector<report::Series> pay = per_class(
      d, [](const MechanismRow& r) { return r.value * r.allocation - r.rent; }, false,
      " (expected)");
  std::vector<report::Series> winner = per_class(
      d,
      [](const MechanismRow& r) {
        return r.allocation > 0 ? r.value - r.rent / r.allocation
                                : std::numeric_limits<double>::quiet_NaN();
      },
      true, " (winner)");
  pay.insert(pay.end(), winner.begin(), winner.end());
  out.push_back(
      figure(chart("net_payment", "Net payments", "payment", std::move(pay), std::nullopt),
             "Solid: expected net payment v X_i(v) - R_i(v); dashed: what a winner pays "
             "net of its reward, v - R_i(v) / X_i(v).",
             provenance));
  return out;
}

std::string asymmetric_html_report(const AsymmetricDesign& d, const Provenance& provenance) {
  const std::vector<Figure> figures = asymmetric_report_figures(d, provenance);
  const std::string values = bidder_classes_text(d);
  const double myerson = d.classic.myerson;
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>dia report: {}</title>\n<style>{}</style></head>\n<body data-plots-expected=\"{}\">\n"
      "<h1>Optimal auction with deferred inspection and reward: asymmetric bidders</h1>\n"
      "<p class=\"provenance\" id=\"provenance\">dia {}, {}: <code>{}</code></p>\n",
      escape_xml(values), report::kPageStyle, figures.size(), escape_xml(provenance.version),
      escape_xml(provenance.date), escape_xml(provenance.command_line));
  h += fmt::format(
      "<p class=\"lead\">Bidders {} (each class with its own value distribution): the optimal "
      "auction with deferred inspection and reward earns <b>{}</b>, Myerson's optimal auction "
      "{}: <b>{:+.1f}%</b>. Status: <b id=\"status\">{}</b>.</p>\n",
      escape_xml(values), num(d.revenue), num(myerson), gain(d.revenue, myerson),
      to_string(d.status));
  h += "<h2>Revenue</h2>\n" + revenue_table(d);
  h += "<h2>Bidder classes</h2>\n" + class_table(d) + rule_text(d);
  h += "<h2>The mechanism, per bidder class</h2>\n<div class=\"plots\">\n";
  for (const Figure& f : figures) {
    h += fmt::format(
        "<figure class=\"plot\" id=\"plot-{}\" data-plot=\"{}\">\n{}<figcaption>{}</figcaption>\n"
        "</figure>\n",
        f.id, f.id, f.svg, escape_xml(f.caption));
  }
  h += "</div>\n<h2>Audit</h2>\n<p>Checked independently of the solver: incentive compatibility "
       "(its own envelope of the deviation lines), limited liability, Border's condition for "
       "independent bidders (the exact separation oracle) and the dual certificate.</p>\n";
  h += audit_table(d);
  if (!d.notes.empty()) {
    h += "<h2>Notes</h2>\n<ul>\n";
    for (const std::string& n : d.notes) h += "<li>" + escape_xml(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += "<p><small>Generated by " + escape_xml(provenance.line()) +
       " (docs/asymmetric.md).</small></p>\n";
  h += report::kPageSelfCheck;
  h += "\n</body></html>\n";
  return h;
}

}  // namespace dia
