// step_masses: the masses a continuous class's bids put on its grid steps (step_masses.hpp).
#include "dia/step_masses.hpp"

#include <algorithm>

namespace dia {

DiscreteTypes step_masses(const Distribution& f, const DiscreteTypes& types) {
  if (f.is_discrete() || types.size() == 0) return types;
  // A step inside a gap of f's support carries no mass; it keeps a negligible one so that the
  // rankings still list it (it is never reached).
  constexpr double kUnreached = 1e-300;
  DiscreteTypes out = types;
  const std::size_t m = types.size();
  for (std::size_t k = 0; k < m; ++k) {
    const double above =
        f.survival(types.values[k]) - (k + 1 < m ? f.survival(types.values[k + 1]) : 0.0);
    out.probabilities[k] = std::max(above, kUnreached);
  }
  return out;
}

void add_class_seats(ClassSeats& seats, const Distribution& f, int count,
                     const DiscreteTypes& types, const std::vector<double>& allocation) {
  const DiscreteTypes steps = step_masses(f, types);
  for (int s = 0; s < count; ++s) {
    seats.grids.push_back(steps);
    seats.allocations.push_back(allocation);
  }
}

}  // namespace dia
