// dia-lottery-v2 for designs with bidder classes (docs/api.md, "Bidder classes"): each bidder is
// admitted to a seat of one class, and the draw runs the design's lottery over priority rankings
// (dia/priority_rankings.hpp) of (seat, type) pairs with the randomness of dia-lottery-v2.
//
//   class design text  = "dia-design-classes-v1\nclasses=<C>\n" then per class c
//                        "class=<c>\nvalues=<SPEC>\ncount=<K>\ngrid=<v,...>\nallocation=<x,...>\n
//                        probabilities=<p,...>\n" (numbers as in design_digest_text);
//   seats_sha256       = hex(SHA-256("<bidder_id>:<class>:<seat>\n" for each frozen commitment's
//                        bidder, bidder id ascending));
//   u(k)               = as dia-lottery-v2's u(k), with "<seats_sha256>|" inserted before <k>.
// The draw: each revealed bid plays as the grid step of its class (the largest grid value <= the
// bid; below the grid it is absent); ranking k is the smallest k with u(0) * W < W_k, W_k the sum
// of the weights of rankings 0..k (left to right in doubles) and W = W_last (the last ranking if
// none); the item goes to the present (seat, step) pair ranked first in ranking k, or to nobody
// when every present pair is below its cut. Seat s of class c is rule bidder K_0 + ... +
// K_{c-1} + s.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"
#include "dia/lottery.hpp"
#include "dia/priority_rankings.hpp"

namespace dia {

// One bidder class of a design: `count` seats, each with the class's types and interim X.
struct ClassDesign {
  std::string values;  // the class's SPEC
  int count = 1;
  DiscreteTypes types;
  std::vector<double> allocation;
};

// A bidder's seat in an auction: its class and its place among the class's seats.
struct ClassSeat {
  std::int64_t bidder_id = 0;
  int bidder_class = 0;
  int seat = 0;
};

// The classes of a stored design's reduced form {"classes": [{"values": SPEC, "count": K,
// "reduced_form": {"values", "allocation", "probabilities"}}]}: read from the JSON alone (no file
// is ever read). Fails (kInvalidArgument) on a malformed one, naming the class.
Expected<std::vector<ClassDesign>> class_designs_from_json(const nlohmann::json& reduced_form);
nlohmann::json class_designs_json(const std::vector<ClassDesign>& classes);

std::string class_design_digest_text(const std::vector<ClassDesign>& classes);

// The priority rankings over every seat (seat s of class c has X_c on the class's types).
Expected<PriorityRankings> class_rule(const std::vector<ClassDesign>& classes);

// The draw of a dia-lottery-v2 auction on a design with classes. Every frozen commitment's bidder
// needs a seat (a valid class and seat, no seat twice): else kInvalidArgument saying which.
Expected<LotteryOutcome> draw_lottery_classes(const std::string& terms_digest,
                                              const std::string& seed_hex,
                                              const std::vector<BidCommitment>& frozen,
                                              const std::vector<ClassSeat>& seats,
                                              const std::vector<ClassDesign>& classes,
                                              const PriorityRankings& rule);

// A one-shot decision (dia-decision-v1, dia/decision_lottery.hpp) on a design with bidder
// classes: each bid names its bidder's class, and the bidders of a class take its seats 0, 1, ...
// in bidder id order (`decision_seats`). The draw hashes the seats too:
//   inputs_sha256 = hex(SHA-256(decision_inputs_text + "seats_sha256=<seats_sha256>\n")), with
//                   seats_sha256 over the bids' bidders as above;
//   u(0)          = dia-decision-v1's u(0) with that inputs_sha256,
// and the ranking and the winner follow from u(0) as in an auction's draw above (no u(1)).
// Every bid's bidder needs a valid seat: else kInvalidArgument saying which.
std::vector<ClassSeat> decision_seats(std::vector<std::pair<std::int64_t, int>> bidder_classes);
struct DecisionInputs;
std::string class_decision_inputs_text(const DecisionInputs& in, const std::string& bids_sha256,
                                       const std::string& seats_sha256);
Expected<LotteryOutcome> draw_decision_classes(
    const std::string& secret_hex, const DecisionInputs& in, std::vector<SealedBid> bids,
    const std::vector<ClassSeat>& seats, const std::vector<ClassDesign>& classes,
    const PriorityRankings& rule, std::string& inputs_sha256);

}  // namespace dia
