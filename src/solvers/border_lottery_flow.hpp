// The transfer form of the Border lottery with its thinned networks capped (border_rule.cpp tries
// the first, small network before the hierarchy form and the largest one after it).
#pragma once

#include <cstddef>
#include <vector>

#include "dia/border_lottery.hpp"

namespace dia::detail {

// The thinned network tried first (it usually carries; the largest costs seconds on 20000 types).
inline constexpr std::size_t kFirstBorderFlowEdges = std::size_t{1} << 18;

// build_transfer_lottery with the thinned networks (every stride-th slack-deficit pair) capped at
// `max_thin_edges`; build_transfer_lottery caps them at kMaxBorderFlowEdges.
Expected<TransferLottery> build_transfer_lottery_capped(const DiscreteTypes& types,
                                                        const std::vector<double>& allocation,
                                                        int bidders, std::size_t max_thin_edges);

}  // namespace dia::detail
