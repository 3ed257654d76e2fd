// The verifiable lottery of `dia serve` (docs/api.md, "The lottery"). Anyone can recompute an
// auction's outcome from its revealed seed, its id and its sealed bids.
//
//   commitment  = hex(SHA-256(seed bytes)), published when the auction opens;
//   bids_sha256 = hex(SHA-256("<bidder_id>:<amount_micros>\n" for each bid, in canonical order:
//                 amount descending, then bidder id ascending));
//   u(k)        = the first 8 bytes of SHA-256("dia-lottery-v1|<seed hex>|<auction id>|
//                 <bids_sha256>|<k>") as a big-endian integer, shifted right by 11, times 2^-53;
//   the winner  = among the bids equal to the highest amount (in canonical order) the one at
//                 index floor(u(0) * count) (ties broken uniformly, MODEL.md section 8);
//   delivered   = u(1) < q(w), q(w) = X(w)/G(w) of the auction's design at w = amount / 10^6.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dia/ex_post.hpp"
#include "dia/micros.hpp"

namespace dia {

struct SealedBid {
  std::int64_t bidder_id = 0;
  Micros amount = 0;
};

struct LotteryOutcome {
  std::vector<SealedBid> bids;  // canonical order
  std::string bids_sha256;
  std::optional<std::int64_t> winner_id;  // the highest bidder the tie draw picked
  Micros winning_bid = 0;
  double tie_draw = 0;         // u(0)
  double delivery_draw = 0;    // u(1)
  double win_probability = 0;  // q(winning bid)
  bool delivered = false;      // the item is sold to winner_id, who deposits winning_bid
};

std::string sha256_hex(const std::string& bytes);
std::string hex_decode(const std::string& hex);  // "" when not valid hex
std::string lottery_commitment(const std::string& seed_hex);
double lottery_uniform(const std::string& seed_hex, std::int64_t auction_id,
                       const std::string& bids_sha256, int counter);
LotteryOutcome draw_lottery(const std::string& seed_hex, std::int64_t auction_id,
                            std::vector<SealedBid> bids, const HighestBidderLottery& rule);

}  // namespace dia
