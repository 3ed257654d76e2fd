// `dia evaluate` and Python's dia.evaluate: a saved design (the JSON of dia design --format json)
// run when values follow other distributions (docs/evaluate.md). One design of identical bidders
// takes `values` (and optionally a holdout split of an empirical file); a design of bidder
// classes takes `bidders`, one actual SPEC per class in the design's order.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dia/error.hpp"

namespace dia {

struct EvaluateRequest {
  std::string design_name;           // the file's name, echoed as `design` and in messages
  std::string design_text;           // its JSON
  std::string values;                // identical bidders: the actual SPEC
  std::vector<std::string> bidders;  // classes: SPEC or K*SPEC per class
  std::optional<double> holdout;     // with values 'empirical(...)'
  std::uint64_t seed = 1;            // of the holdout split
  std::string train_out;             // with holdout: the training rows are written here
};

// The JSON `dia evaluate --format json` prints (docs/evaluate.md). `phase` is told what runs
// ("evaluating", "designing for the actual values"). Errors: one line (a malformed design, a SPEC,
// arguments that do not fit the design, an unwritable train_out).
Expected<nlohmann::ordered_json> evaluate_design(
    const EvaluateRequest& request, const std::function<void(const char*)>& phase = {});

// The table `dia evaluate` prints, from that JSON.
std::string evaluate_table(const nlohmann::ordered_json& result);

}  // namespace dia
