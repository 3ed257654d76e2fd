// The verifiable lottery of `dia serve` (docs/api.md, "The lottery"). Anyone can recompute an
// auction's outcome from its revealed seed, its id, its sealed bids and its design.
//
//   commitment  = hex(SHA-256(seed bytes)), published when the auction opens;
//   bids_sha256 = hex(SHA-256("<bidder_id>:<amount_micros>\n" for each bid, in canonical order:
//                 amount descending, then bidder id ascending));
//   u(k)        = the first 8 bytes of SHA-256("dia-lottery-v1|<seed hex>|<auction id>|
//                 <bids_sha256>|<k>") as a big-endian integer, shifted right by 11, times 2^-53.
// The highest-bidder lottery (the design's q = X/G <= 1 everywhere):
//   the winner  = among the bids equal to the highest amount (in canonical order) the one at
//                 index floor(u(0) * count) (ties broken uniformly, MODEL.md section 8);
//   delivered   = u(1) < q(w), q(w) = X(w)/G(w) of the auction's design at w = amount / 10^6.
// The Border lottery (q > 1 somewhere; BorderLottery of build_border_lottery for the design):
//   the winner  = bids[BorderLottery::draw_winner(amounts / 10^6 in canonical order, u(0))],
//                 delivered unless that is -1 (no sale); it may be a lower bidder.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/distribution.hpp"
#include "dia/ex_post_rule.hpp"
#include "dia/micros.hpp"

namespace dia {

struct SealedBid {
  std::int64_t bidder_id = 0;
  Micros amount = 0;
};

struct LotteryOutcome {
  std::string rule;             // rule_name of the rule that drew it
  std::vector<SealedBid> bids;  // canonical order
  std::string bids_sha256;
  // The highest-bidder lottery: the highest bidder the tie draw picked; the Border lottery: the
  // first bid in canonical order. None without bids.
  std::optional<SealedBid> highest;
  double tie_draw = 0;         // u(0): the tie draw, or the Border lottery's winner draw
  double delivery_draw = 0;    // u(1) (the highest-bidder lottery only)
  double win_probability = 0;  // q(highest bid) (the highest-bidder lottery only)
  bool delivered = false;      // the item is sold to `winner`, who deposits its bid
  std::optional<SealedBid> winner;
};

std::string sha256_hex(const std::string& bytes);
std::string hex_decode(const std::string& hex);  // "" when not valid hex
std::string lottery_commitment(const std::string& seed_hex);
double lottery_uniform(const std::string& seed_hex, std::int64_t auction_id,
                       const std::string& bids_sha256, int counter);
LotteryOutcome draw_lottery(const std::string& seed_hex, std::int64_t auction_id,
                            std::vector<SealedBid> bids, const ExPostRule& rule);

// A truthful winner's reward in micro-units for a bid of `bid` micros under the reduced form
// (grid `values` increasing, `allocation` X nondecreasing): floor(rho(w) * 10^6) with
// rho(w) = R(w) / X(w) = max over grid values v_i <= w of (w - v_i) X_i / X(w) (RENT), at most
// the bid. Computed exactly in micro-units: a grid value within 1e-6 micro of a whole number of
// micros is that number (others are rounded up, so the reward never rounds up), and each
// (w - v_i) X_i / X(w) is floored exactly from the doubles' mantissas. 0 below the grid or where
// X(w) = 0.
Micros winner_reward_micros(const std::vector<double>& values,
                            const std::vector<double>& allocation, Micros bid);

// The outcome as `dia serve` stores and shows it: rule, bids_sha256, highest_bidder_id,
// highest_bid_micros, delivered, winner_id, deposit_micros, and the draws (tie_draw,
// delivery_draw and win_probability, or winner_draw for the Border lottery).
nlohmann::json outcome_json(const LotteryOutcome& outcome);

}  // namespace dia
