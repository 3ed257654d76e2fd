// What dia-lottery-v1 and v2 share (lottery.cpp): the canonical order, the uniform draw from a
// hash input, and the rule's decision.
#pragma once

#include <string>
#include <vector>

#include "dia/lottery.hpp"

namespace dia::detail {

// Amount descending, then bidder id ascending.
void sort_canonical(std::vector<SealedBid>& bids);
// The first 8 bytes of SHA-256(input), big-endian, >> 11, times 2^-53.
double uniform_of(const std::string& input);
// Sets out.rule and the winner of out.bids (canonical order) from out.tie_draw and
// out.delivery_draw (docs/api.md, "The lottery").
void decide(LotteryOutcome& out, const ExPostRule& rule);

}  // namespace dia::detail
