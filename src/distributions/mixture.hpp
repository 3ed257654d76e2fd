// Finite mixtures of distributions (internal).
#pragma once

#include <string_view>
#include <vector>

#include "dia/distribution.hpp"

namespace dia::detail {

// The mixture with the given weights (finite, > 0, summing to 1 within 1e-9; renormalised).
// All components discrete: a discrete distribution (atoms merged, probabilities multiplied by
// the weights). All continuous: a continuous mixture. Anything else is an error. `input` is the
// SPEC text quoted in error messages.
Expected<DistributionPtr> make_mixture(const std::vector<double>& weights,
                                       const std::vector<DistributionPtr>& components,
                                       std::string_view input);

}  // namespace dia::detail
