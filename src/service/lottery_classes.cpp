// dia-lottery-v2 on designs with bidder classes (see dia/class_lottery.hpp for the definition).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "dia/class_lottery.hpp"
#include "dia/decision_lottery.hpp"
#include "dia/step_masses.hpp"
#include "service/lottery_detail.hpp"

namespace dia {

using nlohmann::json;

namespace {

Expected<std::vector<double>> numbers_of(const json& object, const char* key,
                                         const std::string& where) {
  std::vector<double> out;
  if (!object.contains(key) || !object.at(key).is_array()) {
    return fail(ErrorCode::kInvalidArgument, where + ": " + key + " must be an array of numbers");
  }
  for (const auto& x : object.at(key)) {
    if (!x.is_number()) {
      return fail(ErrorCode::kInvalidArgument, where + ": " + key + " must be numbers");
    }
    out.push_back(x.get<double>());
  }
  return out;
}

}  // namespace

Expected<std::vector<ClassDesign>> class_designs_from_json(const json& reduced_form) {
  if (!reduced_form.is_object() || !reduced_form.contains("classes") ||
      !reduced_form.at("classes").is_array() || reduced_form.at("classes").empty()) {
    return fail(ErrorCode::kInvalidArgument, "a design with bidder classes lists its classes");
  }
  std::vector<ClassDesign> out;
  int seats = 0;
  for (const json& c : reduced_form.at("classes")) {
    const std::string where = "bidder class " + std::to_string(out.size());
    if (!c.is_object() || !c.contains("values") || !c.at("values").is_string() ||
        !c.contains("count") || !c.at("count").is_number_integer() || !c.contains("reduced_form")) {
      return fail(ErrorCode::kInvalidArgument,
                  where + ": needs values (SPEC), count and reduced_form");
    }
    ClassDesign d;
    d.values = c.at("values").get<std::string>();
    d.count = c.at("count").get<int>();
    seats += d.count;
    if (d.count < 1 || seats > 50) {
      return fail(ErrorCode::kInvalidArgument,
                  where + ": count must be >= 1, with at most 50 seats in all");
    }
    const json& r = c.at("reduced_form");
    auto values = numbers_of(r, "values", where);
    auto allocation = numbers_of(r, "allocation", where);
    auto probabilities = numbers_of(r, "probabilities", where);
    for (const auto* e : {&values, &allocation, &probabilities}) {
      if (!*e) return tl::unexpected(e->error());
    }
    if (values->empty() || allocation->size() != values->size() ||
        probabilities->size() != values->size() ||
        !std::is_sorted(values->begin(), values->end(), std::less_equal<>())) {
      return fail(ErrorCode::kInvalidArgument,
                  where + ": values (increasing), allocation and probabilities of one length");
    }
    d.types = {std::move(*values), std::move(*probabilities)};
    d.allocation = std::move(*allocation);
    out.push_back(std::move(d));
  }
  return out;
}

json class_designs_json(const std::vector<ClassDesign>& classes) {
  json list = json::array();
  for (const auto& c : classes) {
    list.push_back({{"values", c.values},
                    {"count", c.count},
                    {"reduced_form",
                     {{"values", c.types.values},
                      {"allocation", c.allocation},
                      {"probabilities", c.types.probabilities}}}});
  }
  return json{{"classes", list}};
}

std::string class_design_digest_text(const std::vector<ClassDesign>& classes) {
  std::string text = "dia-design-classes-v1\nclasses=" + std::to_string(classes.size()) + "\n";
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const ClassDesign& d = classes[c];
    text += "class=" + std::to_string(c) + "\nvalues=" + d.values +
            "\ncount=" + std::to_string(d.count) +
            "\ngrid=" + detail::digest_numbers(d.types.values) +
            "\nallocation=" + detail::digest_numbers(d.allocation) +
            "\nprobabilities=" + detail::digest_numbers(d.types.probabilities) + "\n";
  }
  return text;
}

Expected<PriorityRankings> class_rule(const std::vector<ClassDesign>& classes) {
  ClassSeats seats;
  for (const auto& c : classes) {
    auto f = parse_stored_spec(c.values, c.types);
    if (!f) return tl::unexpected(f.error());
    add_class_seats(seats, **f, c.count, c.types, c.allocation);
  }
  return PriorityRankings::build(seats.grids, seats.allocations);
}

namespace {

using SeatOf = std::map<std::int64_t, const ClassSeat*>;

// The seats by bidder: each a valid seat of the design, none given twice.
Expected<SeatOf> seats_by_bidder(const std::vector<ClassSeat>& seats,
                                 const std::vector<ClassDesign>& classes) {
  SeatOf seat_of;
  std::set<std::pair<int, int>> taken;
  for (const auto& s : seats) {
    const std::string who = "bidder " + std::to_string(s.bidder_id);
    if (s.bidder_class < 0 || std::size_t(s.bidder_class) >= classes.size() || s.seat < 0 ||
        s.seat >= classes[std::size_t(s.bidder_class)].count) {
      return fail(ErrorCode::kInvalidArgument, who + " has no valid seat of the design");
    }
    if (!taken.insert({s.bidder_class, s.seat}).second ||
        !seat_of.emplace(s.bidder_id, &s).second) {
      return fail(ErrorCode::kInvalidArgument, who + "'s seat is given twice");
    }
  }
  return seat_of;
}

// seats_sha256 over `bidders` (each needs a seat).
Expected<std::string> seats_sha256(std::vector<std::int64_t> bidders, const SeatOf& seat_of,
                                   const char* without_seat) {
  std::sort(bidders.begin(), bidders.end());
  std::string lines;
  for (const std::int64_t bidder : bidders) {
    const auto it = seat_of.find(bidder);
    if (it == seat_of.end()) {
      return fail(ErrorCode::kInvalidArgument,
                  "bidder " + std::to_string(bidder) + " " + without_seat + " without a seat");
    }
    lines += std::to_string(bidder) + ":" + std::to_string(it->second->bidder_class) + ":" +
             std::to_string(it->second->seat) + "\n";
  }
  return sha256_hex(lines);
}

// The ranking drawn with out.tie_draw (u(0)) and the winner of out.bids (canonical order).
void award_by_rankings(LotteryOutcome& out, const SeatOf& seat_of,
                       const std::vector<ClassDesign>& classes, const PriorityRankings& rule) {
  std::vector<std::size_t> first_seat{0};  // rule bidder of class c's seat 0
  for (const auto& c : classes) first_seat.push_back(first_seat.back() + std::size_t(c.count));
  out.rule = kPriorityRankingsRule;
  if (!out.bids.empty()) out.highest = out.bids[0];
  // The ranking: the inverse of the weights' cumulative sum at u(0) * W.
  double total = 0;
  for (std::size_t k = 0; k < rule.rankings(); ++k) total += rule.weight(k);
  const double target = out.tie_draw * total;
  double cumulative = 0;
  out.ranking = rule.rankings() - 1;
  for (std::size_t k = 0; k < rule.rankings(); ++k) {
    cumulative += rule.weight(k);
    if (target < cumulative) {
      out.ranking = k;
      break;
    }
  }
  // The present pair ranked first: each bid at its class's grid step (absent below the grid).
  std::uint32_t best = PriorityRankings::kBelowCut;
  for (const SealedBid& b : out.bids) {
    const ClassSeat& s = *seat_of.at(b.bidder_id);
    const auto& grid = classes[std::size_t(s.bidder_class)].types.values;
    const double w = static_cast<double>(b.amount) / double(kMicrosPerUnit);
    const auto step =
        static_cast<std::size_t>(std::upper_bound(grid.begin(), grid.end(), w) - grid.begin());
    if (step == 0) continue;
    const std::uint32_t place = rule.priority(
        out.ranking, first_seat[std::size_t(s.bidder_class)] + std::size_t(s.seat), step - 1);
    if (place < best) {
      best = place;
      out.winner = b;
      out.winner_class = s.bidder_class;
    }
  }
  out.delivered = out.winner.has_value();
}

}  // namespace

Expected<LotteryOutcome> draw_lottery_classes(const std::string& terms_digest,
                                              const std::string& seed_hex,
                                              const std::vector<BidCommitment>& frozen,
                                              const std::vector<ClassSeat>& seats,
                                              const std::vector<ClassDesign>& classes,
                                              const PriorityRankings& rule) {
  auto seat_of = seats_by_bidder(seats, classes);
  if (!seat_of) return tl::unexpected(seat_of.error());
  LotteryOutcome out;
  std::string prefix = detail::v2_prefix(out, terms_digest, seed_hex, frozen);
  std::vector<std::int64_t> committed;
  for (const auto& c : frozen) committed.push_back(c.bidder_id);
  auto digest = seats_sha256(committed, *seat_of, "committed");
  if (!digest) return tl::unexpected(digest.error());
  out.seats_sha256 = *digest;
  prefix += out.seats_sha256 + "|";
  out.tie_draw = detail::uniform_of(prefix + "0");
  award_by_rankings(out, *seat_of, classes, rule);
  return out;
}

std::string class_decision_inputs_text(const DecisionInputs& in, const std::string& bids_sha256,
                                       const std::string& seats_sha256) {
  return decision_inputs_text(in, bids_sha256) + "seats_sha256=" + seats_sha256 + "\n";
}

Expected<LotteryOutcome> draw_decision_classes(
    const std::string& secret_hex, const DecisionInputs& in, std::vector<SealedBid> bids,
    const std::vector<ClassSeat>& seats, const std::vector<ClassDesign>& classes,
    const PriorityRankings& rule, std::string& inputs_sha256) {
  auto seat_of = seats_by_bidder(seats, classes);
  if (!seat_of) return tl::unexpected(seat_of.error());
  std::vector<std::int64_t> bidders;
  for (const auto& b : bids) bidders.push_back(b.bidder_id);
  auto digest = seats_sha256(bidders, *seat_of, "bids");
  if (!digest) return tl::unexpected(digest.error());
  detail::sort_canonical(bids);
  LotteryOutcome out;
  out.protocol = kDecisionV1;
  out.seats_sha256 = *digest;
  out.bids_sha256 = detail::plain_bids_sha256(bids);
  out.bids = std::move(bids);
  inputs_sha256 = sha256_hex(class_decision_inputs_text(in, out.bids_sha256, out.seats_sha256));
  out.tie_draw =
      detail::uniform_of(std::string(kDecisionV1) + "|" + secret_hex + "|" + inputs_sha256 + "|0");
  award_by_rankings(out, *seat_of, classes, rule);
  return out;
}

std::vector<ClassSeat> decision_seats(std::vector<std::pair<std::int64_t, int>> bidder_classes) {
  std::sort(bidder_classes.begin(), bidder_classes.end());
  std::map<int, int> taken;
  std::vector<ClassSeat> seats;
  for (const auto& [bidder, c] : bidder_classes) seats.push_back({bidder, c, taken[c]++});
  return seats;
}

}  // namespace dia
