// The runnable Border lottery of a design (see border_lottery.hpp).
#include "dia/border_lottery.hpp"
#include "dia/ex_post.hpp"

namespace dia {

Expected<BorderLottery> build_border_lottery(const DiscreteTypes& types,
                                             const std::vector<double>& allocation, int bidders) {
  auto transfers = build_transfer_lottery(types, allocation, bidders);
  if (!transfers) return tl::unexpected(transfers.error());
  return BorderLottery::build(types.values, *transfers, allocation);
}

}  // namespace dia
