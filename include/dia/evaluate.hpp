// A saved one-bidder design evaluated under another value distribution (`dia evaluate`): the
// bidder best-responds to the saved menu, extended off the grid by the step extension the
// service runs (ex_post.hpp), and truth-telling is a best response at every value whatever the
// distribution (docs/model.md#evaluate), so the outcome is exact expectations under it.
#pragma once

#include <span>

#include "dia/distribution.hpp"
#include "dia/error.hpp"

namespace dia {

struct MenuEvaluation {
  double revenue = 0;           // E[V X(V) - R(V)]
  double sale_probability = 0;  // E[X(V)]
  double expected_reward = 0;   // E[R(V)]: paid back to truthful winners
};

// X on the grid values v_0 < ... < v_{m-1} (nondecreasing, in [0, 1]) as the step X(w) = X_i on
// [v_i, v_{i+1}), 0 below v_0, with the rent R(w) = max_{v_i <= w} (w - v_i) X_i; the
// expectations under `actual` integrate these piecewise linear functions exactly (partial means
// between the breakpoints). Errors: an empty, unsorted or non-monotone menu, X outside [0, 1].
Expected<MenuEvaluation> evaluate_menu(std::span<const double> values,
                                       std::span<const double> allocation,
                                       const Distribution& actual);

}  // namespace dia
