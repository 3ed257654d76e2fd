// `dia report`'s page: one self-contained HTML file (inline CSS, SVG and a tiny self-check
// script; nothing is fetched), the plots, the revenue table and the audit.
#include "dia/html_report.hpp"

#include <fmt/format.h>

#include "report/html_page.hpp"
#include "report/svg_chart.hpp"

namespace dia {
namespace {

using report::escape_xml;

std::string num(double v) { return fmt::format("{:.7g}", v); }

double gain(double revenue, double myerson) {
  return myerson > 0 ? 100 * (revenue / myerson - 1) : 0.0;
}

std::string revenue_table(const Comparison& comparison) {
  std::string t =
      "<table id=\"revenue-table\"><tr><th>n</th><th>inspection</th><th>Myerson</th>"
      "<th>gain</th><th>second price</th><th>second price + reserve</th><th>posted price</th>"
      "<th>expected reward</th><th>sold (inspection)</th><th>sold (Myerson)</th>"
      "<th>status</th></tr>\n";
  for (const ComparisonRow& r : comparison.rows) {
    const InspectionDesign& d = r.inspection;
    t += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:+.2f}%</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{:.5f}</td><td>{:.5f}</td><td class=\"text\">{}</td></tr>\n",
        r.bidders, num(d.revenue), num(r.classic.myerson), gain(d.revenue, r.classic.myerson),
        num(r.classic.second_price), num(r.classic.second_price_reserve),
        r.classic.posted_price ? num(*r.classic.posted_price) : "-", num(d.expected_reward),
        d.sale_probability, r.myerson_sale_probability, to_string(d.status));
  }
  return t + "</table>\n";
}

std::string audit_table(const Comparison& comparison) {
  std::string t =
      "<table id=\"audit-table\"><tr><th>n</th><th>method</th><th>types</th><th>max IC "
      "violation</th><th>max LL violation</th><th>max monotonicity violation</th><th>max Border "
      "violation</th><th>primal</th><th>dual</th><th>dual gap</th><th>estimated error</th>"
      "<th>audit</th></tr>\n";
  for (const ComparisonRow& r : comparison.rows) {
    const InspectionDesign& d = r.inspection;
    const AuditReport& a = d.audit;
    t += fmt::format(
        "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td>{:.1e}</td><td>{:.1e}</td>"
        "<td>{:.1e}</td><td>{:.1e}</td><td>{:.10g}</td><td>{:.10g}</td><td>{:.1e}</td>"
        "<td>{:.1e}</td><td class=\"{}\">{}</td></tr>\n",
        r.bidders, escape_xml(d.method), d.types, a.max_ic_violation, a.max_ll_violation,
        a.max_monotonicity_violation, a.max_border_violation, a.primal, a.dual, a.dual_gap,
        d.estimated_error, a.passed ? "passed" : "failed", a.passed ? "passed" : "FAILED");
  }
  return t + "</table>\n";
}

std::string lead(const Report& report) {
  const ComparisonRow& r = report.comparison.rows[report.shown];
  return fmt::format(
      "<p class=\"lead\">With {} bidder{} and values {}, the optimal auction with deferred "
      "inspection and reward earns <b>{}</b>, Myerson's optimal auction {}: <b>{:+.1f}%</b>. "
      "The winner deposits its bid; after inspection a truthful winner is refunded a reward "
      "governed by its best alternative bid, so the seller keeps more of the surplus.</p>\n",
      r.bidders, r.bidders == 1 ? "" : "s", escape_xml(report.comparison.values),
      num(r.inspection.revenue), num(r.classic.myerson),
      gain(r.inspection.revenue, r.classic.myerson));
}

}  // namespace

std::string to_html(const Report& report) {
  const std::vector<Figure> figures = report_figures(report);
  const std::string& values = report.comparison.values;
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"generator\" content=\"dia {}\">\n"
      "<title>dia report: {}</title>\n<style>{}</style></head>\n<body data-plots-expected=\"{}\">\n"
      "<h1>Optimal auction with deferred inspection and reward</h1>\n"
      "<p class=\"provenance\" id=\"provenance\">dia {}, {}: <code>{}</code></p>\n",
      escape_xml(report.provenance.version), escape_xml(values), report::kPageStyle, figures.size(),
      escape_xml(report.provenance.version), escape_xml(report.provenance.date),
      escape_xml(report.provenance.command_line));
  h += lead(report);
  h += "<h2>Revenue</h2>\n<div class=\"table-scroll\">" + revenue_table(report.comparison) +
       "</div>\n";
  h += fmt::format("<h2>The mechanism (n = {})</h2>\n<div class=\"plots\">\n",
                   report.comparison.rows[report.shown].bidders);
  for (const Figure& f : figures) {
    if (f.id == "revenue_vs_bidders")
      h += "</div>\n<h2>Across numbers of bidders</h2>\n<div class=\"plots\">\n";
    h += fmt::format(
        "<figure class=\"plot\" id=\"plot-{}\" data-plot=\"{}\">\n{}<figcaption>{}</figcaption>\n"
        "</figure>\n",
        f.id, f.id, f.svg, escape_xml(f.caption));
  }
  h += "</div>\n<h2>Audit</h2>\n<p>Every design is checked independently of the solver: incentive "
       "compatibility, limited liability, monotonicity, Border's feasibility condition and the "
       "dual certificate of optimality (primal = dual).</p>\n";
  h += "<div class=\"table-scroll\">" + audit_table(report.comparison) + "</div>\n";
  std::vector<std::string> notes;
  for (const ComparisonRow& r : report.comparison.rows) {
    for (const std::string& n : r.inspection.notes) {
      notes.push_back(fmt::format("n = {}: {}", r.bidders, n));
    }
  }
  if (!notes.empty()) {
    h += "<h2>Notes</h2>\n<ul>\n";
    for (const std::string& n : notes) h += "<li>" + escape_xml(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += "<p><small>Generated by " + escape_xml(report.provenance.line()) +
       ". Model: Alaei, Belloni, Makhdoumi and Malekian, "
       "Optimal Auction Design with Deferred Inspection and Reward (Operations Research, "
       "2024).</small></p>\n";
  h += report::kPageSelfCheck;
  h += "\n</body></html>\n";
  return h;
}

}  // namespace dia
