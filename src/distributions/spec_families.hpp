// The parametric families of the SPEC grammar: names, parameters and their aliases (internal).
#pragma once

#include <string>
#include <string_view>

#include "dia/distribution.hpp"

namespace dia::detail {

// Whether `name` (lower case) is a parametric family: dia's (uniform, exponential, lognormal,
// beta, pareto, truncnormal, gamma, weibull) or a scipy.stats name (norm, truncnorm, lognorm,
// expon, uniform, pareto, gamma, weibull_min, beta) read with scipy's parameters.
bool is_parametric_family(std::string_view name);

// Builds the parametric family `name` from the text between its parentheses: numbers given by
// position, or by name (name=value), positional ones first. `input` is quoted in errors.
Expected<DistributionPtr> parse_parametric(std::string_view name, std::string_view arguments,
                                           std::string_view input);

// "uniform, exponential, ..., empirical; scipy.stats names: norm, ...": every name a SPEC may
// start with.
std::string known_distribution_names();

// The known name nearest to `name` by edit distance ("norm" for "normal").
std::string nearest_distribution_name(std::string_view name);

// An example SPEC for the family `name` (any known name).
std::string_view example_spec(std::string_view name);

}  // namespace dia::detail
