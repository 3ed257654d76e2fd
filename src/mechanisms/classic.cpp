// classic_revenues: the discrete or the continuous route (docs/model.md#classic).
#include "dia/classic.hpp"

#include "mechanisms/classic_detail.hpp"

namespace dia {

ClassicRevenues classic_revenues(const Distribution& distribution, int bidders) {
  DIA_CHECK(bidders >= 1);
  if (distribution.is_discrete()) {
    return detail::discrete_classic_revenues(distribution.atoms(), bidders);
  }
  return detail::continuous_classic_revenues(distribution, bidders);
}

}  // namespace dia
