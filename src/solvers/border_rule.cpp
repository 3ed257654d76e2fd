// The runnable Border lottery of a design (see border_lottery.hpp).
#include <fmt/format.h>

#include "dia/border_lottery.hpp"
#include "dia/ex_post.hpp"

namespace dia {

Expected<BorderLottery> build_border_lottery(const DiscreteTypes& types,
                                             std::vector<double> allocation, int bidders) {
  if (types.values.empty() || types.probabilities.size() != types.values.size() ||
      allocation.size() != types.values.size()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("a Border lottery needs one allocation and one probability per value: "
                            "{} values, {} probabilities, {} allocations",
                            types.values.size(), types.probabilities.size(), allocation.size()),
                "give 'values', 'probabilities' and 'allocation' of the same length");
  }
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
