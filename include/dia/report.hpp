// What `dia design` reports, as JSON for machines (stable keys, a contract) and a table for people.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/classic.hpp"
#include "dia/design.hpp"
#include "dia/dominant.hpp"

namespace dia {

// The CLP cross-check (--check lp): the same discrete problem solved by the sweep and by the LP.
struct LpComparison {
  std::size_t types = 0;
  double solver_revenue = 0;  // the designer's own route on the same types
  double lp_revenue = 0;
  int iterations = 0;
  std::string solver;  // "sweep", "structured" or "row generation"
  double relative_difference() const;
};

struct DesignReport {
  std::string values;  // the normalised SPEC
  int bidders = 1;
  std::optional<InspectionDesign> inspection;
  ClassicRevenues classic;
  std::optional<LpComparison> lp_check;
  std::optional<DominantComparison> dominant;  // --ic dominant: the DSIC optimum on a grid
  std::vector<std::string> notes;
};

// What `dia design` was asked: the SPEC, the bidders, the options, --check lp, --ic dominant.
struct DesignRequest {
  std::string values = "uniform(0,1)";
  int bidders = 1;
  DesignOptions options;
  bool check_lp = false;
  bool dominant = false;
};

// Parses, validates every limit before any long computation, designs, and adds the cross-checks.
Expected<DesignReport> build_design_report(const DesignRequest& request);

nlohmann::ordered_json to_json(const DesignReport& report);
// The `dsic` object of design and compare JSON.
nlohmann::ordered_json dominant_json(const DominantComparison& comparison);
std::string to_table(const DesignReport& report);

// The mechanism rows (docs/model.md glossary) as JSON and as an aligned table; `several` adds the
// highest-bidder lottery's win probability column.
nlohmann::ordered_json mechanism_rows_json(const std::vector<MechanismRow>& rows);
std::string mechanism_table(const std::vector<MechanismRow>& rows, bool several);

}  // namespace dia
