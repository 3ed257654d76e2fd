// `dia report`: one self-contained HTML page (inline SVG, no network) with the plots that make the
// paper's message visible, built only from library results (design_inspection, classic_revenues,
// the comparison rows); plus each plot as a standalone SVG.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dia/compare.hpp"
#include "dia/comparison_rows.hpp"
#include "dia/design.hpp"
#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

struct ReportOptions {
  std::vector<int> bidders = {1, 2, 3, 4, 5};  // revenue against the number of bidders
  std::optional<int> shown_bidders;  // the mechanism plots' n (default: the smallest of bidders)
  DesignOptions design;              // forwarded to every design (rows default to 201)
  std::string command_line;          // how the report was asked for, printed on it and every plot
};

// What every report and every plot carries: the dia version, the command line and the date
// (UTC; SOURCE_DATE_EPOCH, when set, for reproducible output).
struct Provenance {
  std::string version, command_line, date;
  std::string line() const;  // "dia 0.1.0, 2026-12-07 09:30:00 UTC: dia report --values ..."
};

// This dia's version, `command_line` and now (or SOURCE_DATE_EPOCH).
Provenance make_provenance(std::string command_line);

// Myerson's interim allocation and rent as drawn beside inspection (docs/model.md#classic): one
// bidder, a posted price at the reserve; n bidders, X = G = F^(n-1) above the reserve and
// R(v) = integral of X from the reserve. That is Myerson's auction in the regular case;
// `ironing` says when the drawn curves' revenue differs from classic_revenues' Myerson revenue.
struct MyersonCurves {
  std::vector<double> value, allocation, rent;
  bool discrete = false;
  bool ironing = false;
  double drawn_revenue = 0;
};

struct Report {
  DistributionPtr distribution;
  Comparison comparison;  // one row per number of bidders
  std::size_t shown = 0;  // the row the mechanism plots show
  MyersonCurves myerson;  // for that row
  Provenance provenance;
};

struct Figure {
  std::string id;  // "allocation", "rent", "net_payment", ...
  std::string title;
  std::string caption;
  std::string svg;
};

// Checks the request before any solve (validate_design_request for every n).
Expected<void> validate_report_request(const Distribution& distribution,
                                       const ReportOptions& options);
// `progress` is called after each number of bidders is designed (compare_mechanisms).
Report build_report(DistributionPtr distribution, const ReportOptions& options,
                    const RowProgress& progress = {});

MyersonCurves myerson_curves(const Distribution& distribution, int bidders, double reserve,
                             double myerson_revenue, double top_value);

std::vector<Figure> report_figures(const Report& report);
std::string to_html(const Report& report);

}  // namespace dia
