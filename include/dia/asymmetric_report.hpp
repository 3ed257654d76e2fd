// What `dia design --bidder ...` prints: JSON (stable keys; `bidders` lists the classes) and a
// table for people (docs/asymmetric.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dia/asymmetric_design.hpp"

namespace dia {

nlohmann::ordered_json to_json(const AsymmetricDesign& design);
std::string to_table(const AsymmetricDesign& design);

}  // namespace dia
