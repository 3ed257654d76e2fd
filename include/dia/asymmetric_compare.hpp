// `dia compare --set SET [--set SET ...]`: the optimal inspection auction against the classic
// asymmetric baselines for several bidder sets (docs/asymmetric.md section 6). A set is a list of
// bidder entries (SPEC or K*SPEC) separated by commas outside parentheses, e.g.
// "2*lognormal(0,0.5),lognormal(1,0.5)".
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/asymmetric_design.hpp"
#include "dia/error.hpp"

namespace dia {

// The entries of one set, split at the commas outside parentheses. Errors: an empty entry or
// unbalanced parentheses.
Expected<std::vector<std::string>> split_bidder_set(const std::string& set);

struct AsymmetricComparison {
  std::vector<AsymmetricDesign> sets;  // one design per set, in the order given
};

// Parses every set first (an error names the set and the bidder), then designs each.
Expected<AsymmetricComparison> compare_bidder_sets(const std::vector<std::string>& sets,
                                                   const DesignOptions& options = {});

// The same for sets already split into bidder entries (Python's `dia.compare(bidders=[[...],
// ...])`); an error names the set as `set_name(index)`, by default "set N" (from 1).
Expected<AsymmetricComparison> compare_bidder_sets(
    const std::vector<std::vector<std::string>>& sets, const DesignOptions& options = {},
    const std::function<std::string(std::size_t)>& set_name = {});

nlohmann::ordered_json to_json(const AsymmetricComparison& comparison);
std::string to_table(const AsymmetricComparison& comparison);

}  // namespace dia
