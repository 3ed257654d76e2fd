// What dia-lottery-v1 and v2 share (lottery.cpp): the canonical order, the uniform draw from a
// hash input, and the rule's decision.
#pragma once

#include <string>
#include <vector>

#include "dia/lottery.hpp"

namespace dia::detail {

// Numbers in a digest text: printf's %.17g (reads back as the same double), comma-separated.
std::string digest_numbers(const std::vector<double>& xs);
// Amount descending, then bidder id ascending.
void sort_canonical(std::vector<SealedBid>& bids);
// SHA-256 of the lines "<bidder_id>:<amount_micros>\n" of bids in canonical order (v1, decisions).
std::string plain_bids_sha256(const std::vector<SealedBid>& canonical);
// The first 8 bytes of SHA-256(input), big-endian, >> 11, times 2^-53.
double uniform_of(const std::string& input);
// Sets out.rule and the winner of out.bids (canonical order) from out.tie_draw and
// out.delivery_draw (docs/api.md, "The lottery").
void decide(LotteryOutcome& out, const ExPostRule& rule);
// dia-lottery-v2's inputs of the draw (protocol, commitments_sha256, the revealed bids in
// canonical order, bids_sha256, the unrevealed bidders, set in `out`) and the hash input's prefix
// "dia-lottery-v2|<terms_digest>|<seed hex>|<commitments_sha256>|<bids_sha256>|".
std::string v2_prefix(LotteryOutcome& out, const std::string& terms_digest,
                      const std::string& seed_hex, const std::vector<BidCommitment>& frozen);

}  // namespace dia::detail
