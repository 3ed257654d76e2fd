// The runnable Border lottery of a design (see border_lottery.hpp).
#include <fmt/format.h>

#include "border_lottery_flow.hpp"
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
  // The transfer form on its first, thinner network; else the hierarchy form; the transfer form's
  // largest thinned network (up to kMaxBorderFlowEdges, ~750 MB) only when neither carries. On the
  // 21224-type grid of lognormal(0,1) with 3 bidders that network failed after most of the
  // design's 5.7 s CPU, and the hierarchy form was printed anyway.
  auto transfers = detail::build_transfer_lottery_capped(types, allocation, bidders,
                                                         detail::kFirstBorderFlowEdges);
  if (transfers) return BorderLottery::build(types.values, *transfers, allocation);
  auto hierarchies = build_hierarchy_lottery(types, allocation, bidders);
  if (!hierarchies && transfers.error().code == ErrorCode::kTooLarge) {
    transfers = build_transfer_lottery(types, allocation, bidders);
    if (transfers) return BorderLottery::build(types.values, *transfers, allocation);
  }
  if (!hierarchies) {
    return fail(hierarchies.error().code,
                fmt::format("{}; as transfers: {}", hierarchies.error().message,
                            transfers.error().message));
  }
  return BorderLottery::build(types.values, *hierarchies, allocation);
}

}  // namespace dia
