// What `dia design --bidder ...` prints: JSON (stable keys; `bidders` lists the classes) and a
// table for people (docs/asymmetric.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/asymmetric_design.hpp"
#include "dia/html_report.hpp"

namespace dia {

nlohmann::ordered_json to_json(const AsymmetricDesign& design);
std::string to_table(const AsymmetricDesign& design);

// `dia report --bidder ...` (src/report/asymmetric_html_report.cpp): per-class curves
// (allocation, rent, winner_reward, net payments), and the page with them, the revenue beside
// every asymmetric baseline, per-class revenue share and sale probability, the ex post rule's
// sales to a bidder that is not the highest, the audit and the status.
// `provenance` (version, command line, date) is printed on the page and on every plot.
std::vector<Figure> asymmetric_report_figures(const AsymmetricDesign& design,
                                              const Provenance& provenance);
std::string asymmetric_html_report(const AsymmetricDesign& design, const Provenance& provenance);

}  // namespace dia
