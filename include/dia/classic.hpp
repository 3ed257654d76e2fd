// Classic mechanisms without inspection (docs/model.md#classic) for n i.i.d. bidders.
#pragma once

#include <optional>

#include "dia/distribution.hpp"

namespace dia {

struct ClassicRevenues {
  double myerson = 0;                  // optimal auction: highest ironed virtual value, if positive
  double myerson_reserve = 0;          // its reserve: the smallest value with ironed phi >= 0
  double second_price = 0;             // no reserve (0 for one bidder: the item is given away)
  double second_price_reserve = 0;     // with the revenue-maximising reserve
  double optimal_reserve = 0;          // that reserve
  std::optional<double> posted_price;  // one bidder only: the best take-it-or-leave-it price
  std::optional<double> posted_price_value;  // ... and the price itself
};

// Expected revenue of the classic mechanisms with `bidders` i.i.d. bidders of `distribution`.
// Continuous distributions are ironed (concave hull of the revenue curve in quantile space).
// Accurate to 1e-9 relative for the closed-form families used in tests.
ClassicRevenues classic_revenues(const Distribution& distribution, int bidders);

}  // namespace dia
