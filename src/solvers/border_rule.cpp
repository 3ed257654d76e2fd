// The runnable Border lottery of a design (see border_lottery.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "design_rows.hpp"
#include "dia/border_lottery.hpp"
#include "dia/ex_post.hpp"

namespace dia {

double enforce_border(const DiscreteTypes& types, std::vector<double>& x, int bidders) {
  const std::vector<double> g = detail::highest_bidder_probabilities(types, bidders);
  long double excess = 0;  // sum_{i >= b} p_i (X_i - G_i), at most 0 below the top once enforced
  double largest = 0;
  for (std::size_t b = x.size(); b-- > 0;) {
    const long double p = types.probabilities[b];
    excess += p * (static_cast<long double>(x[b]) - g[b]);
    if (excess > 0) {
      const double lowered = static_cast<double>(x[b] - excess / p);
      largest = std::max(largest, x[b] - lowered);
      x[b] = lowered;
      excess = 0;
    }
  }
  return largest;
}

Expected<BorderLottery> build_border_lottery(const DiscreteTypes& types,
                                             std::vector<double> allocation, int bidders) {
  enforce_border(types, allocation, bidders);
  auto transfers = build_transfer_lottery(types, allocation, bidders);
  if (transfers) return BorderLottery::build(types.values, *transfers, allocation);
  auto hierarchies = build_hierarchy_lottery(types, allocation, bidders);
  if (!hierarchies) {
    return fail(hierarchies.error().code,
                fmt::format("{}; as transfers: {}", hierarchies.error().message,
                            transfers.error().message));
  }
  return BorderLottery::build(types.values, *hierarchies, allocation);
}

}  // namespace dia
