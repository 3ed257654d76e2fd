// `dia verify-lottery FILE`: recomputes a closed auction's lottery from its export
// (GET /v1/auctions/{id}/export) and checks the commitment, the draws and the outcome.
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.hpp"
#include "dia/distribution.hpp"
#include "dia/lottery.hpp"

namespace dia::cli {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& message) {
  throw UserError{{ErrorCode::kInvalidArgument, message,
                   "pass the JSON of GET /v1/auctions/{id}/export for a closed auction"}};
}

int verify(const std::string& path) {
  std::ifstream in(path == "-" ? "/dev/stdin" : path);
  if (!in) throw UserError{{ErrorCode::kIo, "cannot read " + path, ""}};
  std::stringstream text;
  text << in.rdbuf();
  const json e = json::parse(text.str(), nullptr, false);
  if (e.is_discarded() || !e.is_object() || e.value("format", "") != "dia-auction-export-v1") {
    bad(path + " is not a dia auction export");
  }
  try {
    const std::string seed = e.at("seed").get<std::string>();
    const auto auction_id = e.at("auction_id").get<std::int64_t>();
    const json& design = e.at("design");
    const json& reduced = design.at("reduced_form");
    const DiscreteTypes grid{reduced.at("values").get<std::vector<double>>(),
                             reduced.value("probabilities", std::vector<double>{})};
    // Verified from the export alone: a file its SPEC names (older exports) is never read.
    auto distribution = parse_stored_spec(design.at("values").get<std::string>(), grid);
    if (!distribution && distribution.error().code == ErrorCode::kFileNotAllowed) {
      bad("the export's design names a file and does not list its atoms' probabilities; "
          "verify-lottery reads no file named in an export (export the auction again from a "
          "current dia serve: its designs are self-contained)");
    }
    if (!distribution) throw UserError{distribution.error()};
    auto rule = build_ex_post_rule(*distribution, design.at("bidders").get<int>(), grid,
                                   reduced.at("allocation").get<std::vector<double>>());
    if (!rule) throw UserError{rule.error()};
    std::vector<SealedBid> bids;
    for (const auto& b : e.at("bids")) {
      bids.push_back({b.at("bidder_id").get<std::int64_t>(), b.at("amount_micros").get<Micros>()});
    }
    const json expected = outcome_json(draw_lottery(seed, auction_id, bids, *rule));
    json claimed = e.at("outcome");
    // Outcomes from before the Border lottery name no rule: they are highest-bidder lotteries.
    if (!claimed.contains("rule")) claimed["rule"] = kHighestBidderRule;
    std::vector<std::string> failures;
    if (lottery_commitment(seed) != e.at("commitment").get<std::string>()) {
      failures.push_back("the seed does not match the commitment published at open");
    }
    // Every claimed field is recomputed, and every recomputed one must be claimed: the draws and
    // bids exactly, q(w) (floating point from the design) within 1e-12.
    for (const auto& [key, value] : expected.items()) {
      if (!claimed.contains(key)) {
        failures.push_back(key + " is missing");
      } else if (key == "win_probability") {
        const json& q = claimed.at(key);
        if (!q.is_number() || std::abs(q.get<double>() - value.get<double>()) > 1e-12) {
          failures.push_back(key + " differs: claimed " + q.dump() + ", recomputed " +
                             value.dump());
        }
      } else if (claimed.at(key) != value) {
        failures.push_back(key + " differs: claimed " + claimed.at(key).dump() + ", recomputed " +
                           value.dump());
      }
    }
    for (const auto& [key, value] : claimed.items()) {
      if (!expected.contains(key)) failures.push_back(key + " is not part of the outcome");
    }
    json out{{"auction_id", auction_id},
             {"verified", failures.empty()},
             {"failures", failures},
             {"commitment", lottery_commitment(seed)}};
    out.update(expected);
    std::cout << out.dump(2) << "\n";
    return failures.empty() ? 0 : kExitAuditFailed;
  } catch (const json::exception& ex) {
    bad(std::string("malformed export: ") + ex.what());
  }
}

}  // namespace

void register_verify_lottery(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify-lottery",
      "recompute a closed auction's lottery from its export (exit 3 if it differs)");
  cmd->add_option("export", *path, "the JSON of GET /v1/auctions/{id}/export, or - for stdin")
      ->required();
  cmd->callback([path, &exit_code] { exit_code = verify(*path); });
}

}  // namespace dia::cli
