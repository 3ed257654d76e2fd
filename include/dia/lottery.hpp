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
//                 index floor(u(0) * count) (ties broken uniformly, docs/model.md#highest-bidder);
//   delivered   = u(1) < q(w), q(w) = X(w)/G(w) of the auction's design at w = amount / 10^6.
// The Border lottery (q > 1 somewhere; BorderLottery of build_border_lottery for the design):
//   the winner  = bids[BorderLottery::draw_winner(amounts / 10^6 in canonical order, u(0))],
//                 delivered unless that is -1 (no sale); it may be a lower bidder.
//
// dia-lottery-v2 (commit and reveal; docs/api.md, "dia-lottery-v2") draws the same way from other
// inputs: bids are sealed as commitments while the auction is open, the draws hash the terms, the
// operator's seed, the frozen set of commitments and every revealed bid with its salt:
//   design_sha256      = hex(SHA-256(the design's canonical text, design_digest_text));
//   terms_digest       = hex(SHA-256(the terms' canonical text, terms_text));
//   bid commitment     = hex(SHA-256("dia-bid-v2|<terms_digest>|<auction id>|<bidder id>|
//                        <amount_micros>|<salt hex>"));
//   commitments_sha256 = hex(SHA-256("<bidder_id>:<commitment>\n" for each frozen commitment,
//                        bidder id ascending));
//   bids_sha256        = hex(SHA-256("<bidder_id>:<amount_micros>:<salt hex>\n" for each revealed
//                        bid, in canonical order));
//   u(k)               = the first 8 bytes of SHA-256("dia-lottery-v2|<terms_digest>|<seed hex>|
//                        <commitments_sha256>|<bids_sha256>|<k>"), as in v1.
// Unrevealed commitments are no bids. Decimal numbers have no leading zeros; hex is lowercase.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
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

inline constexpr const char* kLotteryV1 = "dia-lottery-v1";
inline constexpr const char* kLotteryV2 = "dia-lottery-v2";
// The rule of designs with bidder classes (dia/class_lottery.hpp).
inline constexpr const char* kPriorityRankingsRule = "priority_rankings";

struct LotteryOutcome {
  std::string protocol = kLotteryV1;
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
  // dia-lottery-v2 only: the frozen commitments' digest and the bidders that did not reveal.
  std::string commitments_sha256;
  std::vector<std::int64_t> unrevealed;
  // Priority rankings (dia/class_lottery.hpp): the seats' digest, the ranking drawn with u(0)
  // (tie_draw) and the winner's class (-1 without a sale).
  std::string seats_sha256;
  std::size_t ranking = 0;
  int winner_class = -1;
};

// The published terms of a dia-lottery-v2 auction, fixed when it opens.
struct LotteryTerms {
  std::int64_t auction_id = 0;
  std::string currency;
  std::string design_sha256;
  Micros tolerance = 0;  // the inspection's tolerance
  Micros max_bid = 0;    // the cap on a bid, held from each committing bidder until the draw
  Micros penalty = 0;    // forfeited by a commitment that is not revealed in time (<= max_bid)
  std::int64_t reveal_seconds = 0;  // the reveal window, from the freeze (close) on
  std::string seed_commitment;      // SHA-256 of the operator's seed
};

// One frozen commitment, with its opening once revealed.
struct BidCommitment {
  std::int64_t bidder_id = 0;
  std::string commitment;
  std::optional<Micros> amount;  // set once revealed
  std::string salt;              // 64 lowercase hex digits once revealed
};

std::string sha256_hex(const std::string& bytes);
std::string hex_decode(const std::string& hex);  // "" when not valid hex
std::string hex_encode(std::string_view bytes);  // lowercase, two digits a byte
std::string lottery_commitment(const std::string& seed_hex);
double lottery_uniform(const std::string& seed_hex, std::int64_t auction_id,
                       const std::string& bids_sha256, int counter);
LotteryOutcome draw_lottery(const std::string& seed_hex, std::int64_t auction_id,
                            std::vector<SealedBid> bids, const ExPostRule& rule);

// True for exactly 64 lowercase hex digits (a salt, a seed, a SHA-256).
bool is_hex256(const std::string& text);
// The canonical text of a design: "dia-design-v2\nvalues=<SPEC>\nbidders=<n>\ngrid=<v,...>\n
// allocation=<x,...>\nprobabilities=<p,...>\n", each number printed with printf's %.17g (which
// reads back as the same double); probabilities empty when the design has none.
std::string design_digest_text(const std::string& spec, int bidders,
                               const std::vector<double>& values,
                               const std::vector<double>& allocation,
                               const std::vector<double>& probabilities);
// "dia-terms-v2\nauction_id=..\ncurrency=..\ndesign_sha256=..\ntolerance_micros=..\n
// max_bid_micros=..\npenalty_micros=..\nreveal_seconds=..\nseed_commitment=..\n".
std::string terms_text(const LotteryTerms& terms);
std::string terms_digest(const LotteryTerms& terms);
std::string bid_commitment(const std::string& terms_digest, std::int64_t auction_id,
                           std::int64_t bidder_id, Micros amount, const std::string& salt_hex);
// The v2 draw: the revealed commitments are the bids (each opening must match: callers check).
LotteryOutcome draw_lottery_v2(const std::string& terms_digest, const std::string& seed_hex,
                               const std::vector<BidCommitment>& frozen, const ExPostRule& rule);

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
// delivery_draw and win_probability, or winner_draw for the Border lottery, or ranking_draw,
// ranking, winner_class and seats_sha256 for priority rankings); a v2 outcome also protocol,
// commitments_sha256 and unrevealed_bidder_ids.
nlohmann::json outcome_json(const LotteryOutcome& outcome);

}  // namespace dia
