// step_masses: the masses a continuous class's bids put on its grid steps (step_masses.hpp).
#include "dia/step_masses.hpp"

#include <algorithm>

#include "numeric/compensated_sum.hpp"

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

double non_highest_lower_bound(const std::vector<DiscreteTypes>& bidders,
                               const std::vector<std::vector<double>>& allocations) {
  const std::size_t n = bidders.size();
  std::vector<long double> absent(n, 1);
  for (std::size_t j = 0; j < n; ++j) {
    for (double p : bidders[j].probabilities) absent[j] -= p;
    absent[j] = std::max(0.0L, absent[j]);  // rounding of a full distribution
  }
  detail::CompensatedSum excess;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < bidders[i].size(); ++k) {
      long double highest = 1;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        long double below = absent[j];
        for (std::size_t l = 0; l < bidders[j].size(); ++l) {
          if (bidders[j].values[l] <= bidders[i].values[k]) below += bidders[j].probabilities[l];
        }
        highest *= std::min(1.0L, below);
      }
      excess.add(bidders[i].probabilities[k] *
                 std::max(0.0L, (long double)allocations[i][k] - highest));
    }
  }
  return excess.value();
}

}  // namespace dia
