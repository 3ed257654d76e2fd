// `dia compare`: inspection against the classic auctions across numbers of bidders.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/classic.hpp"
#include "dia/design.hpp"
#include "dia/dominant.hpp"
#include "dia/error.hpp"

namespace dia {

struct ComparisonRow {
  int bidders = 1;
  InspectionDesign inspection;
  ClassicRevenues classic;
  double myerson_sale_probability = 0;         // P(some value reaches Myerson's reserve)
  std::optional<DominantComparison> dominant;  // --ic dominant, 2 bidders only
};

struct Comparison {
  std::string values;
  std::vector<ComparisonRow> rows;
};

// Parses "1..10", "2,3,5" or a mix such as "1..3,5,10": sorted, unique, each in 1..50.
Expected<std::vector<int>> parse_bidder_list(const std::string& text);

nlohmann::ordered_json to_json(const Comparison& comparison);
std::string to_table(const Comparison& comparison);

}  // namespace dia
