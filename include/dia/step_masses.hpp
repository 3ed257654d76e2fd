// The masses a class's bids put on the steps of its saved grid, for its lottery over priority
// rankings (priority_rankings.hpp; docs/model.md#evaluate-classes).
#pragma once

#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"

namespace dia {

// The grid `types` (a class's saved rows) with the masses its steps carry when the class's values
// follow `f` and a bid plays as its step (the largest grid value at or below it): for a
// continuous f, step k gets P(v_k <= V < v_{k+1}) (the top step P(V >= v_top); values below v_0
// never win), not the row's cell mass, since the cells' means are the grid. Rankings built on the
// cell masses misstate every competitor's chances under f. A discrete f keeps the rows'
// probabilities.
DiscreteTypes step_masses(const Distribution& f, const DiscreteTypes& types);

}  // namespace dia
