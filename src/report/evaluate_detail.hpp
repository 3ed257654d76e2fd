// Shared by the two halves of evaluate_design (internal; dia/evaluate_report.hpp).
#pragma once

#include <fmt/format.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/error.hpp"
#include "dia/evaluate.hpp"

namespace dia::detail {

// A refusal inside evaluate_design, returned by it as its Error.
struct EvaluateRefused {
  Error error;
};

[[noreturn]] inline void refuse(ErrorCode code, std::string message, std::string hint) {
  throw EvaluateRefused{{code, std::move(message), std::move(hint)}};
}

[[noreturn]] inline void bad_design(const std::string& name, const std::string& what,
                                    const char* hint =
                                        "give the JSON written by dia design "
                                        "--format json") {
  refuse(ErrorCode::kInvalidArgument, fmt::format("design file '{}': {}", name, what), hint);
}

inline nlohmann::ordered_json lie_json(const RuleEvaluation& e) {
  return e.max_lie_gain > 0 ? nlohmann::ordered_json{{"value", e.lie_value}, {"bid", e.lie_bid}}
                            : nlohmann::ordered_json(nullptr);
}

// A design of bidder classes (its JSON lists them in `bidders`), run with one actual SPEC per
// class (evaluate_classes.cpp).
nlohmann::ordered_json evaluate_classes(const nlohmann::json& design, const std::string& name,
                                        const std::vector<std::string>& bidders,
                                        const std::function<void(const char*)>& phase);
std::string evaluate_classes_table(const nlohmann::ordered_json& result);

// The table's common end (evaluate_report.cpp): whether truthful bidding is a best response (a
// WARNING with the best lie if not), then revenue, sale_probability, expected_reward,
// optimal_revenue ("-" when that design failed) and share_of_optimal.
std::string evaluate_outcome_text(const nlohmann::ordered_json& result);

}  // namespace dia::detail
