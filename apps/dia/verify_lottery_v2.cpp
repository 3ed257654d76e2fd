// `dia verify-lottery` on a dia-auction-export-v2 (docs/api.md, "dia-lottery-v2"): every hash
// recomputed from the export's own contents, in the order that anchors each on the one before:
// design -> design_sha256 -> terms_digest (with the seed commitment) -> each bid's commitment ->
// the draws -> the outcome -> deposit, forfeits and reward.
#include <cstdlib>
#include <optional>

#include "commands.hpp"
#include "dia/class_lottery.hpp"
#include "dia/lottery.hpp"
#include "verify_lottery.hpp"

namespace dia::cli {

using nlohmann::json;

ExportedDesign exported_design(const json& design) {
  const json& reduced = design.at("reduced_form");
  ExportedDesign out;
  out.with_classes = reduced.contains("classes");
  if (out.with_classes) {
    auto parsed = class_designs_from_json(reduced);
    if (!parsed) throw UserError{parsed.error()};
    out.classes = std::move(*parsed);
    auto built = class_rule(out.classes);
    if (!built) throw UserError{built.error()};
    out.rankings.emplace(std::move(*built));
    out.digest = sha256_hex(class_design_digest_text(out.classes));
  } else {
    out.values = reduced.at("values").get<std::vector<double>>();
    out.allocation = reduced.at("allocation").get<std::vector<double>>();
    out.rule = exported_rule(design);
    out.digest = sha256_hex(design_digest_text(
        design.at("values").get<std::string>(), design.at("bidders").get<int>(), out.values,
        out.allocation, reduced.value("probabilities", std::vector<double>{})));
  }
  return out;
}

Micros ExportedDesign::check_reward(const json& inspection, const LotteryOutcome& o,
                                    Micros tolerance, Failures& failures) const {
  const Micros deposit = o.winner ? o.winner->amount : 0;
  // A design with classes rewards by the winner's class (docs/api.md, "Bidder classes").
  const ClassDesign* c =
      with_classes && o.delivered ? &classes[static_cast<std::size_t>(o.winner_class)] : nullptr;
  return check_inspection(inspection, o.delivered, deposit, tolerance, c ? c->types.values : values,
                          c ? c->allocation : allocation, failures);
}

Micros ExportedDesign::reward_if_truthful(const LotteryOutcome& o) const {
  if (!o.delivered) return 0;
  const ClassDesign* c =
      with_classes ? &classes[static_cast<std::size_t>(o.winner_class)] : nullptr;
  return winner_reward_micros(c ? c->types.values : values, c ? c->allocation : allocation,
                              o.winner->amount);
}

json verify_v2(const json& e, const std::string& expected_terms_digest, Failures& failures) {
  const auto auction_id = e.at("auction_id").get<std::int64_t>();
  // A design with bidder classes (docs/api.md, "Bidder classes") runs priority rankings rebuilt
  // from its classes; any other design its ex post rule.
  const ExportedDesign d = exported_design(e.at("design"));
  const bool with_classes = d.with_classes;
  const std::string& design_digest = d.digest;
  const json& t = e.at("terms");
  const LotteryTerms terms{
      t.at("auction_id").get<std::int64_t>(),     t.at("currency").get<std::string>(),
      t.at("design_sha256").get<std::string>(),   t.at("tolerance_micros").get<Micros>(),
      t.at("max_bid_micros").get<Micros>(),       t.at("penalty_micros").get<Micros>(),
      t.at("reveal_seconds").get<std::int64_t>(), t.at("seed_commitment").get<std::string>()};
  if (design_digest != terms.design_sha256) {
    failures.push_back("the design does not match the terms' design_sha256 " + terms.design_sha256 +
                       " (recomputed " + design_digest + "): the design was edited");
  }
  if (terms.auction_id != auction_id) {
    failures.push_back("the terms are those of auction " + std::to_string(terms.auction_id));
  }
  const std::string digest = terms_digest(terms);
  if (digest != e.at("terms_digest").get<std::string>()) {
    failures.push_back("terms_digest differs: claimed " + e.at("terms_digest").dump() +
                       ", recomputed \"" + digest + "\" from the terms");
  }
  if (!expected_terms_digest.empty() && digest != expected_terms_digest) {
    failures.push_back("the terms (digest " + digest + ") are not the ones published at open (" +
                       expected_terms_digest + ")");
  }
  const std::string seed = e.at("seed").get<std::string>();
  if (lottery_commitment(seed) != terms.seed_commitment ||
      e.at("commitment").get<std::string>() != terms.seed_commitment) {
    failures.push_back("the seed does not match the commitment published at open");
  }
  // Each revealed bid must open its commitment (under the terms digest recomputed above) and lie
  // in 1..max_bid; an unrevealed one is no bid.
  std::vector<BidCommitment> frozen;
  for (const auto& c : e.at("commitments")) {
    BidCommitment f{c.at("bidder_id").get<std::int64_t>(), c.at("commitment").get<std::string>(),
                    std::nullopt, ""};
    const std::string who = "bidder " + std::to_string(f.bidder_id);
    if (c.contains("amount_micros")) {
      f.amount = c.at("amount_micros").get<Micros>();
      f.salt = c.at("salt").get<std::string>();
      if (bid_commitment(digest, auction_id, f.bidder_id, *f.amount, f.salt) != f.commitment) {
        failures.push_back(who + "'s revealed bid (" + std::to_string(*f.amount) +
                           " micros and its salt) does not open its commitment");
      }
      if (*f.amount < 1 || *f.amount > terms.max_bid) {
        failures.push_back(who + "'s bid " + std::to_string(*f.amount) +
                           " micros is outside 1..max_bid_micros");
      }
    } else if (c.value("revealed", true)) {
      failures.push_back(who + "'s commitment has neither an opening nor \"revealed\": false");
    }
    frozen.push_back(std::move(f));
  }
  LotteryOutcome o;
  if (with_classes) {
    std::vector<ClassSeat> seats;
    for (const auto& s : e.at("seats")) {
      seats.push_back({s.at("bidder_id").get<std::int64_t>(), s.at("class").get<int>(),
                       s.at("seat").get<int>()});
    }
    auto drawn = draw_lottery_classes(digest, seed, frozen, seats, d.classes, *d.rankings);
    if (!drawn) {
      failures.push_back("the seats: " + drawn.error().message);
      return json{{"auction_id", auction_id}, {"terms_digest", digest}};
    }
    o = std::move(*drawn);
  } else {
    o = draw_lottery_v2(digest, seed, frozen, *d.rule);
  }
  const json expected = outcome_json(o);
  compare_outcome(expected, e.at("outcome"), failures);
  // The money: the winner deposits its bid, each unrevealed commitment forfeits the penalty, and
  // a truthful winner gets the design's reward for its bid (a liar nothing).
  const json& s = e.at("settlement");
  const Micros deposit = o.winner ? o.winner->amount : 0;
  if (s.at("deposit_micros").get<Micros>() != deposit) {
    failures.push_back("deposit_micros differs: claimed " + s.at("deposit_micros").dump() +
                       ", recomputed " + std::to_string(deposit));
  }
  const Micros forfeited = terms.penalty * Micros(o.unrevealed.size());
  if (s.at("forfeited_micros").get<Micros>() != forfeited) {
    failures.push_back("forfeited_micros differs: claimed " + s.at("forfeited_micros").dump() +
                       ", recomputed " + std::to_string(forfeited));
  }
  json out{{"auction_id", auction_id},
           {"commitment", lottery_commitment(seed)},
           {"terms_digest", digest},
           {"design_sha256", design_digest},
           {"forfeited_micros", forfeited}};
  if (s.contains("inspection")) {
    out["reward_micros"] = d.check_reward(s.at("inspection"), o, terms.tolerance, failures);
  }
  out.update(expected);
  return out;
}

}  // namespace dia::cli
