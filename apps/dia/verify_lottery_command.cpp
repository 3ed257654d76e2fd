// `dia verify-lottery FILE`: recomputes a closed auction's lottery from its export
// (GET /v1/auctions/{id}/export) and checks the commitment, the draws and the outcome.
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
    auto distribution = parse_distribution(design.at("values").get<std::string>());
    if (!distribution) throw UserError{distribution.error()};
    auto rule = HighestBidderLottery::build(
        design.at("reduced_form").at("values").get<std::vector<double>>(),
        design.at("reduced_form").at("allocation").get<std::vector<double>>(),
        design.at("bidders").get<int>(), *distribution);
    if (!rule) throw UserError{rule.error()};
    std::vector<SealedBid> bids;
    for (const auto& b : e.at("bids")) {
      bids.push_back({b.at("bidder_id").get<std::int64_t>(), b.at("amount_micros").get<Micros>()});
    }
    const LotteryOutcome o = draw_lottery(seed, auction_id, bids, *rule);
    const json& claimed = e.at("outcome");
    std::vector<std::string> failures;
    auto expect = [&](bool ok, const std::string& what) {
      if (!ok) failures.push_back(what);
    };
    expect(lottery_commitment(seed) == e.at("commitment").get<std::string>(),
           "the seed does not match the commitment published at open");
    expect(claimed.at("bids_sha256") == o.bids_sha256, "bids_sha256 differs");
    expect(claimed.at("tie_draw").get<double>() == o.tie_draw, "tie_draw differs");
    expect(claimed.at("delivery_draw").get<double>() == o.delivery_draw, "delivery_draw differs");
    expect(claimed.at("delivered").get<bool>() == o.delivered, "delivered differs");
    const json winner = o.delivered ? json(*o.winner_id) : json(nullptr);
    expect(claimed.at("winner_id") == winner, "winner_id differs");
    expect(claimed.at("deposit_micros").get<Micros>() == (o.delivered ? o.winning_bid : 0),
           "deposit_micros differs");
    const json out{{"auction_id", auction_id},
                   {"verified", failures.empty()},
                   {"failures", failures},
                   {"commitment", lottery_commitment(seed)},
                   {"bids_sha256", o.bids_sha256},
                   {"tie_draw", o.tie_draw},
                   {"delivery_draw", o.delivery_draw},
                   {"win_probability", o.win_probability},
                   {"delivered", o.delivered},
                   {"winner_id", winner},
                   {"deposit_micros", o.delivered ? o.winning_bid : 0}};
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
