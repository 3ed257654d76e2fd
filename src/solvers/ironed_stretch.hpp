// The ironed stretch of the n-bidder continuum optimum (docs/model.md#ironed-stretch): where the
// Border multiplier that X = G needs, B_G = w - kappa_G / f, dips, no nondecreasing multiplier
// fits X = G, and the optimum leaves G on a stretch [from, to] where Border is slack and B is a
// constant level.
#pragma once

#include <optional>

#include "dia/distribution.hpp"
#include "dia/symmetric.hpp"

namespace dia::detail {

// The first dip of B_G over the bulk of a continuous `d` (quantiles 0.005..0.995) and the ironed
// stretch that replaces it, found by shooting; nothing when B_G does not dip there, when the
// shooting does not converge, or when the result breaks Border's condition or monotonicity.
std::optional<IronedStretch> ironed_stretch(const Distribution& d, int bidders);

}  // namespace dia::detail
