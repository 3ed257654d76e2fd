// What the report's figure files share: colours, the shown row's context, the value axis over the
// support, and the ex post rule in force (which the captions name).
#pragma once

#include <string>
#include <utility>

#include "dia/html_report.hpp"
#include "report/svg_chart.hpp"

namespace dia::figures {

inline constexpr const char* kInspection = "#1f77b4";
inline constexpr const char* kMyerson = "#d62728";
inline constexpr const char* kReference = "#888888";

struct Context {
  const Report& report;
  const ComparisonRow& row;
  const InspectionDesign& design;
  bool discrete;
  std::string n_text;  // " (n = 3)"
};

report::Chart make_chart(std::string id, std::string title, std::string x_label,
                         std::string y_label);
// A chart against the value v whose axis spans the whole support (ends labelled; the upper end
// only when finite).
report::Chart value_chart(const Report& report, std::string id, std::string title,
                          std::string y_label);
// The chart drawn, with its caption as the SVG's description and the report's provenance.
Figure figure(const Report& report, report::Chart chart, std::string caption);

// One inspection series over a design's rows.
template <class F>
report::Series inspection_series(const InspectionDesign& design, bool discrete, std::string name,
                                 F&& y) {
  report::Series s{.name = std::move(name), .color = kInspection, .markers = discrete};
  for (const MechanismRow& r : design.rows) {
    s.x.push_back(r.value);
    s.y.push_back(y(r));
  }
  return s;
}

// The ex post rule a design runs, from its `implementation` (and, for the highest-bidder
// lottery, whether q = X/G is ever strictly between 0 and 1).
enum class Rule { kOneBidder, kHighestBidWins, kHighestBidderLottery, kBorderLottery, kNotBuilt };
Rule rule_in_force(const InspectionDesign& design);
std::string rule_name(Rule rule);  // "highest bid wins", "Border lottery", ...
// One sentence naming the rule and what it does, for the captions.
std::string rule_sentence(const InspectionDesign& design);

Figure win_probability_figure(const Context& c);
Figure allocation_by_bidders_figure(const Report& report);
Figure revenue_figure(const Report& report);
Figure gain_figure(const Report& report);

}  // namespace dia::figures
