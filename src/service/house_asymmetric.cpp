// Designs with bidder classes in the house (docs/api.md, "Bidder classes"): the class rule of a
// stored design, the operator's admission of a bidder to a class's seat, and what follows the
// bidder's class: whether it may commit, the draw over priority rankings and its reward schedule.
#include <algorithm>
#include <map>

#include "dia/decision_lottery.hpp"
#include "service/decision_input.hpp"
#include "service/grid_values.hpp"
#include "service/house.hpp"

namespace dia::service {

const char* design_rule_name(const PreparedDesign& d) {
  return d.rankings ? kPriorityRankingsRule : rule_name(*d.rule);
}

void build_class_rule(PreparedDesign& d, const json& reduced_form) {
  auto classes = class_designs_from_json(reduced_form);
  if (!classes) bad_input("invalid_reduced_form", classes.error().message);
  for (std::size_t c = 0; c < classes->size(); ++c) {
    check_grid_values((*classes)[c].types.values,
                      "reduced_form.classes[" + std::to_string(c) + "].values");
    // A stored class SPEC never makes the server read a file either.
    auto spec = parse_distribution((*classes)[c].values, SpecFiles::kRefuse);
    if (!spec) {
      bad_input("invalid_spec", "bidder class " + std::to_string(c) + ": " + spec.error().message);
    }
  }
  auto rule = class_rule(*classes);
  if (!rule) bad_input("invalid_reduced_form", rule.error().message, rule.error().hint);
  d.rankings = std::make_shared<const PriorityRankings>(std::move(*rule));
  d.classes = std::move(*classes);
}

namespace {

// Why one more bidder cannot sit in class `bidder_class` when `taken` of its seats are taken
// (422 unknown_class, or `full_status` class_full); none when it can.
std::optional<Reply> class_seat_error(const std::vector<ClassDesign>& classes, int bidder_class,
                                      int taken, int full_status) {
  if (bidder_class < 0 || static_cast<std::size_t>(bidder_class) >= classes.size()) {
    return error_reply(422, "unknown_class",
                       "the design has bidder classes 0.." + std::to_string(classes.size() - 1) +
                           ", not " + std::to_string(bidder_class));
  }
  const ClassDesign& c = classes[static_cast<std::size_t>(bidder_class)];
  if (taken >= c.count) {
    return error_reply(full_status, "class_full",
                       "class " + std::to_string(bidder_class) + " (" + c.values + ") has " +
                           std::to_string(c.count) + " seat(s), all taken",
                       "the design fixes each class's number of bidders");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Reply> decision_seats_error(const PreparedDesign& d, const DecisionInput& in,
                                          std::vector<ClassSeat>& seats) {
  if (d.classes.empty()) {
    return error_reply(422, "no_bidder_classes",
                       "a bid names a class, but the design has no bidder classes",
                       "leave \"class\" out: every bidder bids as the design's one class");
  }
  std::vector<std::int64_t> bidders;
  for (const auto& bid : in.bids) bidders.push_back(bid.bidder_id);
  std::sort(bidders.begin(), bidders.end());  // the order seats follow (decision_seats)
  std::vector<std::pair<std::int64_t, int>> named;
  std::map<int, int> taken;
  for (const std::int64_t bidder : bidders) {
    const auto it = in.classes.find(bidder);
    if (it == in.classes.end()) {
      return error_reply(422, "missing_class",
                         "bidder " + std::to_string(bidder) +
                             "'s bid names no class; the design has bidder classes 0.." +
                             std::to_string(d.classes.size() - 1),
                         in.format == "openrtb"
                             ? "an OpenRTB decision cannot name classes: send the plain form "
                               "{\"request_id\", \"bids\"} with each bid's \"class\""
                             : "each bid says its bidder's class: {\"bidder_id\", "
                               "\"amount_micros\", \"class\"}");
    }
    if (auto refused = class_seat_error(d.classes, it->second, taken[it->second]++, 422)) {
      return refused;
    }
    named.emplace_back(bidder, it->second);
  }
  seats = decision_seats(std::move(named));
  return std::nullopt;
}

LotteryOutcome draw_class_decision(const std::string& secret, const DecisionInputs& inputs,
                                   const std::vector<SealedBid>& bids,
                                   const std::vector<ClassSeat>& seats, const PreparedDesign& d,
                                   std::string& inputs_sha256) {
  auto o =
      draw_decision_classes(secret, inputs, bids, seats, d.classes, *d.rankings, inputs_sha256);
  DIA_CHECK(o.has_value());  // every bid's seat was checked first (decision_seats_error)
  return std::move(*o);
}

Reply House::admit(Batch& b, std::int64_t auction_id, std::int64_t bidder_id, int bidder_class) {
  Auction& a = find_auction(auction_id);
  const auto& classes = designs_.at(a.design_id).prepared.classes;
  if (classes.empty()) {
    return error_reply(409, "no_bidder_classes",
                       "auction " + std::to_string(auction_id) +
                           "'s design has no bidder classes: every bidder bids as the design's "
                           "one class, without admission",
                       "admit bidders to auctions on designs with \"bidders\": [SPEC, ...]");
  }
  const auto p = principals_.find(bidder_id);
  if (p == principals_.end() || p->second.role != "bidder") {
    return error_reply(404, "not_found", "bidder " + std::to_string(bidder_id) + " does not exist");
  }
  if (a.status != "open") {
    return error_reply(409, "auction_closed",
                       "auction " + std::to_string(auction_id) + " is " + a.status +
                           ": bidders are admitted only while it is open");
  }
  if (const auto it = a.seats.find(bidder_id); it != a.seats.end()) {
    return error_reply(409, "already_admitted",
                       "bidder " + std::to_string(bidder_id) + " already holds seat " +
                           std::to_string(it->second.seat) + " of class " +
                           std::to_string(it->second.bidder_class) + " in this auction",
                       "a bidder's class is fixed once admitted");
  }
  int taken = 0;
  for (const auto& [bidder, seat] : a.seats) taken += seat.bidder_class == bidder_class;
  if (auto refused = class_seat_error(classes, bidder_class, taken, 409)) return *refused;
  const ClassSeat seat{bidder_id, bidder_class, taken};
  b.push_back(
      {"INSERT INTO auction_seats (auction_id, bidder_id, bidder_class, seat, created_at)"
       " VALUES (?, ?, ?, ?, ?)",
       {a.id, bidder_id, std::int64_t{bidder_class}, std::int64_t{taken}, now_ms()}});
  a.seats[bidder_id] = seat;
  json v = classes_view(a, nullptr).at(static_cast<std::size_t>(bidder_class));
  v["auction_id"] = a.id;
  v["bidder_id"] = bidder_id;
  v["seat"] = taken;
  return {201, v};
}

Micros House::reward_micros(const Auction& a, std::int64_t bidder, Micros amount) const {
  const auto& d = designs_.at(a.design_id).prepared;
  if (d.classes.empty()) return winner_reward_micros(d.values, d.allocation, amount);
  const ClassDesign& c = d.classes[static_cast<std::size_t>(a.seats.at(bidder).bidder_class)];
  return winner_reward_micros(c.types.values, c.allocation, amount);
}

std::optional<Reply> House::admission_error(const Auction& a, const Principal& who) const {
  if (designs_.at(a.design_id).prepared.classes.empty() || a.seats.count(who.id)) {
    return std::nullopt;
  }
  return error_reply(409, "not_admitted",
                     "bidder " + std::to_string(who.id) + " holds no seat in auction " +
                         std::to_string(a.id) +
                         ", whose design has bidder classes: the operator admits each bidder to a "
                         "class first",
                     "ask the operator: POST /v1/auctions/" + std::to_string(a.id) +
                         "/bidders {\"bidder_id\", \"class\"}");
}

LotteryOutcome House::draw_outcome(const Auction& a,
                                   const std::vector<BidCommitment>& frozen) const {
  const auto& d = designs_.at(a.design_id).prepared;
  if (!d.rankings) return draw_lottery_v2(a.terms_digest, a.seed, frozen, *d.rule);
  std::vector<ClassSeat> seats;
  for (const auto& [bidder, seat] : a.seats) seats.push_back(seat);
  auto o = draw_lottery_classes(a.terms_digest, a.seed, frozen, seats, d.classes, *d.rankings);
  DIA_CHECK(o.has_value());  // every commitment's bidder was admitted first (admission_error)
  return std::move(*o);
}

json House::seats_json(const Auction& a) const {
  json list = json::array();
  for (const auto& [bidder, s] : a.seats) {
    list.push_back({{"bidder_id", bidder}, {"class", s.bidder_class}, {"seat", s.seat}});
  }
  return list;
}

json House::classes_view(const Auction& a, const Principal* who) const {
  json list = json::array();
  const auto& classes = designs_.at(a.design_id).prepared.classes;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    int admitted = 0;
    for (const auto& [bidder, seat] : a.seats) admitted += seat.bidder_class == int(c);
    list.push_back({{"class", c},
                    {"values", classes[c].values},
                    {"count", classes[c].count},
                    {"admitted", admitted},
                    {"reward",
                     {{"formula", "rent_over_allocation"},
                      {"values", classes[c].types.values},
                      {"allocation", classes[c].allocation}}}});
  }
  // Who holds which seat (bidder_ids[s] holds seat s): the operator always; a bidder its own
  // seat only.
  if (who && who->role == "operator") {
    for (auto& c : list) c["bidder_ids"] = json::array();
    for (const auto& [bidder, seat] : a.seats) {
      json& ids = list[static_cast<std::size_t>(seat.bidder_class)]["bidder_ids"];
      while (ids.size() <= static_cast<std::size_t>(seat.seat)) ids.push_back(nullptr);
      ids[static_cast<std::size_t>(seat.seat)] = bidder;
    }
  }
  return list;
}

}  // namespace dia::service
