// The parametric families of the SPEC grammar: names, parameters and their aliases (internal).
#pragma once

#include <string>
#include <string_view>

#include "dia/distribution.hpp"

namespace dia::detail {

// Whether `name` (lower case) is uniform, exponential, lognormal, beta, pareto or truncnormal.
bool is_parametric_family(std::string_view name);

// Builds the parametric family `name` from the text between its parentheses: numbers given by
// position, or by name (name=value), positional ones first. `input` is quoted in errors.
Expected<DistributionPtr> parse_parametric(std::string_view name, std::string_view arguments,
                                           std::string_view input);

// "uniform, exponential, ..., empirical": every name a SPEC may start with.
std::string known_distribution_names();

// An example SPEC for the family `name` (any known name).
std::string_view example_spec(std::string_view name);

}  // namespace dia::detail
