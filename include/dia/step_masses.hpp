// The masses a class's bids put on the steps of its saved grid, for its lottery over priority
// rankings (priority_rankings.hpp; docs/model.md#evaluate-classes).
#pragma once

#include <vector>

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

// The seats of a design of bidder classes as the lottery over priority rankings runs them, in
// `dia serve`, `dia verify-lottery`, `dia evaluate` and the rule `dia design` prints: seat s of
// class c is rule bidder K_0 + ... + K_{c-1} + s, on the class's grid at its step masses.
struct ClassSeats {
  std::vector<DiscreteTypes> grids;
  std::vector<std::vector<double>> allocations;
};

// Appends a class's `count` seats: its grid `types` at step_masses(f, types), each with X.
void add_class_seats(ClassSeats& seats, const Distribution& f, int count,
                     const DiscreteTypes& types, const std::vector<double>& allocation);

// sum_i E[(X_i - H_i)^+] with H_i(v) = prod_{j != i} P(bidder j is absent or of a type <= v): any
// rule with interim allocations X wins with a bidder who is not (weakly) the highest at least this
// often. A bidder's mass below 1 (a continuous class's values below its grid) is absent.
double non_highest_lower_bound(const std::vector<DiscreteTypes>& bidders,
                               const std::vector<std::vector<double>>& allocations);

}  // namespace dia
