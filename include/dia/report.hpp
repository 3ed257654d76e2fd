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
  double sweep_revenue = 0;
  double lp_revenue = 0;
  int iterations = 0;
  double relative_difference() const;
};

struct DesignReport {
  std::string values;  // the normalised SPEC
  int bidders = 1;
  std::optional<InspectionDesign> inspection;  // empty until the n-bidder designer exists
  ClassicRevenues classic;
  std::optional<LpComparison> lp_check;
  std::optional<DominantComparison> dominant;  // --ic dominant: the DSIC optimum on a grid
  std::vector<std::string> notes;
};

nlohmann::ordered_json to_json(const DesignReport& report);
// The `dsic` object of design and compare JSON.
nlohmann::ordered_json dominant_json(const DominantComparison& comparison);
std::string to_table(const DesignReport& report);

}  // namespace dia
