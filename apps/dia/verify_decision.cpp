// `dia verify-lottery` on a one-shot decision (GET /v1/decisions/{id}, format
// dia-decision-export-v1; docs/api.md, "One-shot decisions"): the design's digest, the chain
// secret against the chain's anchor, the inputs digest, the draws and the outcome, the deposit,
// and the reward, each recomputed from the record alone.
#include <cstdlib>

#include "dia/class_lottery.hpp"
#include "dia/decision_lottery.hpp"
#include "verify_lottery.hpp"

namespace dia::cli {

using nlohmann::json;

namespace {

// The most chain links verify-lottery follows (a forged index cannot make it hash for ever).
constexpr std::int64_t kMaxChainIndex = std::int64_t{1} << 24;

void expect_equal(const json& claimed, const json& recomputed, const std::string& what,
                  Failures& failures) {
  if (claimed != recomputed) {
    failures.push_back(what + " differs: claimed " + claimed.dump() + ", recomputed " +
                       recomputed.dump());
  }
}

}  // namespace

Micros check_inspection(const json& i, bool delivered, Micros deposit, Micros tolerance,
                        const std::vector<double>& values, const std::vector<double>& allocation,
                        Failures& failures) {
  const Micros observed = i.at("observed_micros").get<Micros>();
  const bool truthful = delivered && std::llabs(observed - deposit) <= tolerance;
  const Micros reward = truthful ? winner_reward_micros(values, allocation, deposit) : 0;
  if (!delivered) failures.push_back("an inspection of an auction that sold nothing");
  expect_equal(i.at("truthful"), truthful, "truthful", failures);
  expect_equal(i.at("reward_micros"), reward, "reward_micros", failures);
  return reward;
}

json verify_decision(const json& e, const std::string& expected_anchor, Failures& failures) {
  const ExportedDesign design = exported_design(e.at("design"));
  const json& reward = e.at("reward");
  const json& lottery = e.at("lottery");
  const std::string& design_digest = design.digest;
  expect_equal(reward.at("design_sha256"), design_digest, "design_sha256", failures);
  // The secret must be the chain's k-th: hashed k times it gives the anchor.
  const std::string secret = lottery.at("secret").get<std::string>();
  const std::string anchor = lottery.at("chain_anchor").get<std::string>();
  const auto k = lottery.at("chain_index").get<std::int64_t>();
  if (!is_hex256(secret) || k < 1 || k > kMaxChainIndex) {
    failures.push_back("the secret is not 64 hex digits or chain_index is outside 1.." +
                       std::to_string(kMaxChainIndex));
  } else {
    std::string link = secret;
    for (std::int64_t j = 0; j < k; ++j) link = chain_link(link);
    if (link != anchor) {
      failures.push_back("the secret is not index " + std::to_string(k) +
                         " of the chain with anchor " + anchor);
    }
    expect_equal(lottery.at("commitment"), chain_link(secret), "commitment", failures);
  }
  if (!expected_anchor.empty() && anchor != expected_anchor) {
    failures.push_back("the chain anchor " + anchor + " is not the published one (" +
                       expected_anchor + ")");
  }
  const DecisionInputs inputs{e.at("exchange_id").get<std::int64_t>(),
                              e.at("request_id").get<std::string>(),
                              e.at("cur").get<std::string>(),
                              design_digest,
                              reward.at("tolerance_micros").get<Micros>(),
                              lottery.at("chain_id").get<std::int64_t>(),
                              k,
                              anchor,
                              lottery.at("nonce").get<std::string>()};
  std::vector<SealedBid> bids;
  std::vector<std::pair<std::int64_t, int>> classes;  // a design with bidder classes
  for (const auto& b : e.at("bids")) {
    bids.push_back({b.at("bidder_id").get<std::int64_t>(), b.at("amount_micros").get<Micros>()});
    if (b.contains("class")) classes.emplace_back(bids.back().bidder_id, b.at("class").get<int>());
  }
  std::string inputs_sha256;
  LotteryOutcome o;
  if (design.with_classes) {
    auto drawn = draw_decision_classes(secret, inputs, bids, decision_seats(std::move(classes)),
                                       design.classes, *design.rankings, inputs_sha256);
    if (!drawn) {
      failures.push_back("the bids' classes: " + drawn.error().message);
      return json{{"decision_id", e.at("decision_id")}, {"design_sha256", design_digest}};
    }
    o = std::move(*drawn);
  } else {
    if (!classes.empty()) failures.push_back("a bid names a class, but the design has none");
    o = draw_decision(secret, inputs, bids, *design.rule, inputs_sha256);
  }
  const json expected = decision_outcome_json(o, inputs_sha256);
  compare_outcome(expected, lottery.at("outcome"), failures);
  const Micros deposit = o.winner ? o.winner->amount : 0;
  expect_equal(e.at("delivered"), o.delivered, "delivered", failures);
  expect_equal(e.at("winner_id"), o.winner ? json(o.winner->bidder_id) : json(nullptr), "winner_id",
               failures);
  expect_equal(e.at("deposit_micros"), deposit, "deposit_micros", failures);
  expect_equal(reward.at("reward_if_truthful_micros"), design.reward_if_truthful(o),
               "reward_if_truthful_micros", failures);
  json out{{"decision_id", e.at("decision_id")},
           {"chain_anchor", anchor},
           {"design_sha256", design_digest}};
  if (e.contains("inspection")) {
    out["reward_micros"] = design.check_reward(e.at("inspection"), o, inputs.tolerance, failures);
  }
  out.update(expected);
  return out;
}

}  // namespace dia::cli
