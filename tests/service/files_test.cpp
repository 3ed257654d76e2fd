// The server never reads its own files for a client, and stored designs are self-contained: no
// SPEC over HTTP may name a file, an old stored design that names one is rewritten to its atoms
// once, and dia verify-lottery reads no file named inside an export.
#include "service_fixture.hpp"
#include "support/run_cli.hpp"

namespace dia::testing {
namespace {

TEST_P(ServiceTest, ASpecThatNamesAFileIsRefusedUnread) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  const std::string csv = (dir_ / "values.csv").string();
  std::ofstream(csv) << "secret-first-line\n1\n2\n";
  const std::vector<std::string> specs{
      "empirical(/etc/passwd)", "empirical(" + csv + ")", "EMPIRICAL( \"" + csv + "\" )",
      "mixture(0.5:discrete(1:1), 0.5:empirical(/etc/passwd))",
      "mixture(0.5:mixture(1:empirical(/etc/passwd)), 0.5:discrete(3:1))"};
  for (const auto& spec : specs) {
    for (const char* path : {"/v1/designs", "/v1/auctions"}) {
      const Answer a = op().post(path, json{{"values", spec}}, unique_key());
      EXPECT_EQ(a.status, 400) << spec << " " << a.body;
      EXPECT_EQ(a.body["error"]["code"], "file_not_allowed") << a.body;
      EXPECT_NE(a.body["error"]["hint"].get<std::string>().find("discrete("), std::string::npos);
      const std::string text = a.body.dump();
      EXPECT_EQ(text.find("root"), std::string::npos) << text;
      EXPECT_EQ(text.find("secret"), std::string::npos) << text;
    }
  }
  // The inline forms the hint names work.
  EXPECT_EQ(
      op().post("/v1/designs", json{{"values", "discrete(1:0.5, 2:0.5)"}}, unique_key()).status,
      201);
  EXPECT_EQ(op().post("/v1/designs", two_bidder_design(), unique_key()).status, 201);
}

std::int64_t close_with_bids(Client& c, std::int64_t auction,
                             const std::vector<std::pair<std::int64_t, std::string>>& bidders,
                             int port) {
  for (const auto& [id, token] : bidders) {
    Client b(port, token);
    EXPECT_EQ(b.post("/v1/auctions/" + std::to_string(auction) + "/bids",
                     json{{"amount_micros", 2'000'000}}, unique_key())
                  .status,
              201);
  }
  EXPECT_EQ(
      c.post("/v1/auctions/" + std::to_string(auction) + "/close", json::object(), unique_key())
          .status,
      200);
  return auction;
}

TEST_P(ServiceTest, StoredDesignsNamingAFileAreMadeSelfContainedOnce) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  // A saved design (its reduced form lists only the values) and an optimiser's design (it lists
  // the probabilities too), then turned into what an older dia stored: a SPEC naming a file.
  const std::int64_t saved = auction(two_bidder_design());
  const std::int64_t designed = auction(json{{"values", "discrete(1:0.25, 3:0.75)"}});
  const auto design_of = [&](std::int64_t id) {
    return op().get("/v1/auctions/" + std::to_string(id)).body["design_id"].get<std::int64_t>();
  };
  const auto saved_design = design_of(saved), designed_design = design_of(designed);
  server_->stop(SIGTERM);
  const std::string csv = (dir_ / "old.csv").string();
  std::ofstream(csv) << "value\n1\n2\n";  // the atoms of discrete(1:0.5, 2:0.5)
  {
    auto db = ledger::open_database(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->execute_batch(
        {{"UPDATE designs SET spec = ? WHERE id = ?", {"empirical(" + csv + ")", saved_design}},
         {"UPDATE designs SET spec = ? WHERE id = ?",
          {std::string("empirical(/nonexistent/dia/never-read.csv)"), designed_design}}}));
  }
  start_server();
  const auto values = [&](std::int64_t id) {
    return op().get("/v1/auctions/" + std::to_string(id)).body["values"];
  };
  EXPECT_EQ(values(saved), "discrete(1:0.5, 2:0.5)");
  EXPECT_EQ(values(designed), "discrete(1:0.25, 3:0.75)");
  // The file gone, then back with other values: starts are unaffected, nothing reads it.
  server_->stop(SIGTERM);
  fs::remove(csv);
  start_server();
  EXPECT_EQ(values(saved), "discrete(1:0.5, 2:0.5)");
  server_->stop(SIGTERM);
  std::ofstream(csv) << "7\n8\n";
  start_server();
  EXPECT_EQ(values(saved), "discrete(1:0.5, 2:0.5)");
  // The auction runs, and its export verifies without any file.
  auto c = op();
  close_with_bids(c, saved, {bidder(5'000'000), bidder(5'000'000)}, server_->port());
  const fs::path file = dir_ / "export.json";
  std::ofstream(file) << op().get("/v1/auctions/" + std::to_string(saved) + "/export").body.dump();
  const CliRun run = run_cli({"verify-lottery", file.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST_P(ServiceTest, VerifyLotteryReadsNoFileNamedInAnExport) {
  DIA_REQUIRE_BACKEND(url_);
  start_server();
  auto c = op();
  // An optimiser's design (its export lists the probabilities) and a saved one (values only).
  const std::int64_t designed =
      close_with_bids(c, auction(json{{"values", "discrete(1:0.5, 2:0.5)"}, {"bidders", 2}}),
                      {bidder(5'000'000), bidder(5'000'000)}, server_->port());
  const std::int64_t saved = close_with_bids(
      c, auction(two_bidder_design()), {bidder(5'000'000), bidder(5'000'000)}, server_->port());
  const std::string csv = (dir_ / "named.csv").string();
  std::ofstream(csv) << "1\n2\n";  // readable and right: still never read
  const auto verify = [&](std::int64_t id, const std::string& spec) {
    json e = op().get("/v1/auctions/" + std::to_string(id) + "/export").body;
    e["design"]["values"] = spec;
    const fs::path file = dir_ / ("export-" + std::to_string(id) + ".json");
    std::ofstream(file) << e.dump();
    return run_cli({"verify-lottery", file.string()});
  };
  const CliRun rebuilt = verify(designed, "empirical(/nonexistent/dia/values.csv)");
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.out << rebuilt.err;
  const CliRun refused = verify(saved, "empirical(" + csv + ")");
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("reads no file named in an export"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace dia::testing
