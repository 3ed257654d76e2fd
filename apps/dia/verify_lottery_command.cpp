// `dia verify-lottery FILE`: recomputes a closed auction's lottery from its export
// (GET /v1/auctions/{id}/export) and checks the commitment, the draws and the outcome. It reads
// only FILE: an export is self-contained, and no file named inside it is ever opened.
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.hpp"
#include "dia/distribution.hpp"
#include "dia/lottery.hpp"
#include "dia/version.hpp"
#include "verify_lottery.hpp"

namespace dia::cli {

using nlohmann::json;

ExPostRule exported_rule(const json& design) {
  const json& reduced = design.at("reduced_form");
  const DiscreteTypes grid{reduced.at("values").get<std::vector<double>>(),
                           reduced.value("probabilities", std::vector<double>{})};
  // Verified from the export alone: a file its SPEC names (older exports) is never read.
  auto distribution = parse_stored_spec(design.at("values").get<std::string>(), grid);
  if (!distribution && distribution.error().code == ErrorCode::kFileNotAllowed) {
    throw UserError{{ErrorCode::kInvalidArgument,
                     "the export's design names a file and does not list its atoms' "
                     "probabilities; verify-lottery reads no file named in an export",
                     "export the auction again from a current dia serve: its designs are "
                     "self-contained"}};
  }
  if (!distribution) throw UserError{distribution.error()};
  auto rule = build_ex_post_rule(*distribution, design.at("bidders").get<int>(), grid,
                                 reduced.at("allocation").get<std::vector<double>>());
  if (!rule) throw UserError{rule.error()};
  return std::move(*rule);
}

void compare_outcome(const json& expected, const json& claimed_outcome, Failures& failures) {
  if (!claimed_outcome.is_object()) {
    failures.push_back("the outcome is missing");
    return;
  }
  json claimed = claimed_outcome;
  // Outcomes from before the Border lottery name no rule: they are highest-bidder lotteries.
  if (!claimed.contains("rule")) claimed["rule"] = kHighestBidderRule;
  for (const auto& [key, value] : expected.items()) {
    if (!claimed.contains(key)) {
      failures.push_back(key + " is missing");
    } else if (key == "win_probability") {
      const json& q = claimed.at(key);
      if (!q.is_number() || std::abs(q.get<double>() - value.get<double>()) > 1e-12) {
        failures.push_back(key + " differs: claimed " + q.dump() + ", recomputed " + value.dump());
      }
    } else if (claimed.at(key) != value) {
      failures.push_back(key + " differs: claimed " + claimed.at(key).dump() + ", recomputed " +
                         value.dump());
    }
  }
  for (const auto& [key, value] : claimed.items()) {
    if (!expected.contains(key)) failures.push_back(key + " is not part of the outcome");
  }
}

namespace {

[[noreturn]] void bad(const std::string& message) {
  throw UserError{{ErrorCode::kInvalidArgument, message,
                   "pass the JSON of GET /v1/auctions/{id}/export for a closed auction"}};
}

json verify_v1(const json& e, Failures& failures) {
  const std::string seed = e.at("seed").get<std::string>();
  const auto auction_id = e.at("auction_id").get<std::int64_t>();
  const ExPostRule rule = exported_rule(e.at("design"));
  std::vector<SealedBid> bids;
  for (const auto& b : e.at("bids")) {
    bids.push_back({b.at("bidder_id").get<std::int64_t>(), b.at("amount_micros").get<Micros>()});
  }
  const json expected = outcome_json(draw_lottery(seed, auction_id, bids, rule));
  if (lottery_commitment(seed) != e.at("commitment").get<std::string>()) {
    failures.push_back("the seed does not match the commitment published at open");
  }
  compare_outcome(expected, e.at("outcome"), failures);
  json out{{"auction_id", auction_id}, {"commitment", lottery_commitment(seed)}};
  out.update(expected);
  return out;
}

int verify(const std::string& path, const std::string& expected_terms_digest,
           const std::string& expected_anchor) {
  std::ifstream in(path == "-" ? "/dev/stdin" : path);
  if (!in) throw UserError{{ErrorCode::kIo, "cannot read " + path, ""}};
  std::stringstream text;
  text << in.rdbuf();
  const json e = json::parse(text.str(), nullptr, false);
  const std::string format = e.is_object() ? e.value("format", "") : "";
  const bool decision = format == "dia-decision-export-v1";
  if (format != "dia-auction-export-v1" && format != "dia-auction-export-v2" && !decision) {
    bad(path + " is not a dia auction export");
  }
  if (format != "dia-auction-export-v2" && !expected_terms_digest.empty()) {
    bad("--terms-digest applies to dia-lottery-v2 exports; " + path + " is " + format);
  }
  if (!decision && !expected_anchor.empty()) {
    bad("--chain-anchor applies to decisions (GET /v1/decisions/{id}); " + path + " is " + format);
  }
  try {
    Failures failures;
    json out = decision                            ? verify_decision(e, expected_anchor, failures)
               : format == "dia-auction-export-v1" ? verify_v1(e, failures)
                                                   : verify_v2(e, expected_terms_digest, failures);
    out["verified"] = failures.empty();
    out["failures"] = failures;
    out["dia_version"] = kVersion;
    std::cout << out.dump(2) << "\n";
    return failures.empty() ? 0 : kExitAuditFailed;
  } catch (const json::exception& ex) {
    bad(std::string("malformed export: ") + ex.what());
  }
}

}  // namespace

void register_verify_lottery(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  auto terms = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify-lottery",
      "recompute a closed auction's lottery from its export (exit 3 if it differs)");
  cmd->add_option(
         "export", *path,
         "the JSON of GET /v1/auctions/{id}/export (or of GET /v1/decisions/{id}), or - for stdin")
      ->required();
  cmd->add_option("--terms-digest", *terms,
                  "dia-lottery-v2: the terms_digest published when the auction opened (also in "
                  "each commitment's answer); the export must carry exactly these terms");
  auto anchor = std::make_shared<std::string>();
  cmd->add_option("--chain-anchor", *anchor,
                  "a decision (GET /v1/decisions/{id}): the anchor its chain published "
                  "(GET /v1/decisions/chains); the record must use exactly that chain");
  cmd->callback([path, terms, anchor, &exit_code] { exit_code = verify(*path, *terms, *anchor); });
}

}  // namespace dia::cli
