// dia's OpenRTB against IAB's OpenRTB 2.6 TypeScript definitions (npm `iab-openrtb`, pinned with
// typescript in tests/openrtb/package.json): the BidRequests dia emits for a continuous, a
// discrete and a Border design, and every BidResponse fixture (each posted and accepted here
// first), are written as `const x: BidRequest = ...;` and checked by `tsc --strict`. A response
// without the ids the standard requires is checked beside them and must fail. Without node or
// tests/openrtb/node_modules the test skips saying what to install, and fails when CI=true.
#include <cstdlib>

#include "openrtb_fixtures.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

class OpenRtbTypesTest : public ServiceTest {};

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_P(OpenRtbTypesTest, RequestsAndResponsesTypeCheckAgainstIabOpenRtb26) {
  const fs::path project = fs::weakly_canonical(kSourceDir / "tests" / "openrtb");
  const fs::path tsc = project / "node_modules" / "typescript" / "bin" / "tsc";
  if (std::system("node --version >/dev/null 2>&1") != 0 || !fs::exists(tsc) ||
      !fs::exists(project / "node_modules" / "iab-openrtb")) {
    const std::string what =
        "this test needs node and npm (scripts/install_deps.sh; Debian: apt-get install nodejs npm)"
        " and the pinned packages: npm ci --prefix " +
        project.string();
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << what;
    GTEST_SKIP() << what;
  }
  start_server();
  std::vector<std::pair<std::string, json>> requests, responses;
  const auto request_of = [&](const std::string& name, const json& design,
                              const std::string& rule) {
    const Answer created = op().post("/v1/auctions", design, unique_key());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = std::to_string(created.body["auction_id"].get<std::int64_t>());
    EXPECT_EQ(op().get("/v1/auctions/" + id).body["rule"], rule) << name;
    const Answer request = op().get("/v1/auctions/" + id + "/openrtb");
    ASSERT_EQ(request.status, 200) << request.body;
    requests.emplace_back(name, request.body);
  };
  request_of("continuous", json{{"values", "uniform(0,1)"}, {"bidders", 2}},
             "highest_bidder_lottery");
  request_of("discrete", two_bidder_design(), "highest_bidder_lottery");
  // X_0 = 0.4 > G_0 = 0.25: a saved design the Border lottery runs (the optimiser's uniform(1,2)
  // one, the same BidRequest shape, takes 15 s to design).
  request_of("border",
             json{{"values", "discrete(1:0.5,1.2:0.3,2:0.2)"},
                  {"bidders", 2},
                  {"reduced_form", {{"values", {1.0, 1.2, 2.0}}, {"allocation", {0.4, 0.4, 0.9}}}}},
             "border_lottery");

  // Each response as a bid in a fresh auction of its own (one bid per bidder), accepted.
  const auto accepted = [&](const std::string& name, const std::function<json(std::int64_t)>& of,
                            int status) {
    const auto id = auction(two_bidder_design());
    auto [who, token] = bidder(5'000'000);
    const json body = of(id);
    const Answer r = Client(server_->port(), token)
                         .post("/v1/auctions/" + std::to_string(id) + "/bids", body, unique_key());
    EXPECT_EQ(r.status, status) << name << ": " << r.body;
    responses.emplace_back(name, body);
  };
  accepted(
      "minimal", [](std::int64_t id) { return rtb_bid(id, 1.5); }, 201);
  accepted(
      "every_field", [](std::int64_t id) { return rtb_every_field(id, 1.25); }, 201);
  accepted(
      "with_dia_ext",
      [](std::int64_t id) {
        json body = rtb_bid(id, 2.0);
        body["ext"] = {{"dia", {{"deposit_micros", 2'000'000}}}};
        body["seatbid"][0]["bid"][0]["ext"] = {{"dia", {{"deposit_micros", 2'000'000}}},
                                               {"dsp", 1}};
        return body;
      },
      201);
  accepted("no_bid", rtb_no_bid, 200);
  accepted(
      "docs_example",
      [](std::int64_t id) {
        json body = docs_bid_example();
        if (body.is_object()) body["id"] = std::to_string(id);  // the session's auction is 1
        return body;
      },
      201);

  const fs::path dir = dir_ / "ts";
  fs::create_directories(dir);
  fs::create_directory_symlink(project / "node_modules", dir / "node_modules");
  {
    std::ofstream ts(dir / "dia.ts");
    ts << "import type { BidRequest, BidResponse } from \"iab-openrtb/v26\";\n";
    for (const auto& [name, body] : requests) {
      ts << "export const request_" << name << ": BidRequest = " << body.dump() << ";\n";
    }
    for (const auto& [name, body] : responses) {
      ts << "export const response_" << name << ": BidResponse = " << body.dump() << ";\n";
    }
  }
  // The control: what docs/api.md used to show lacks BidResponse.id and Bid.id.
  std::ofstream(dir / "control.ts")
      << "import type { BidResponse } from \"iab-openrtb/v26\";\n"
         "export const old_example: BidResponse = "
         "{\"seatbid\":[{\"bid\":[{\"impid\":\"1\",\"price\":2.0}]}],\"cur\":\"USD\"};\n";
  const fs::path log = dir / "tsc.log";
  const std::string command = "cd '" + dir.string() + "' && node '" + tsc.string() +
                              "' --strict --noEmit --module nodenext --moduleResolution nodenext"
                              " --target es2022 dia.ts control.ts > tsc.log 2>&1";
  const int status = std::system(command.c_str());
  const std::string out = slurp(log);
  EXPECT_NE(status, 0) << "tsc accepted the control\n" << out;
  // Every error is the control's: each line starting a diagnostic names control.ts.
  std::istringstream lines(out);
  int control_errors = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("error TS") == std::string::npos) continue;
    EXPECT_EQ(line.rfind("control.ts(", 0), 0u) << "tsc --strict on dia's OpenRTB:\n" << out;
    control_errors += line.rfind("control.ts(", 0) == 0;
  }
  EXPECT_GE(control_errors, 1) << out;
  EXPECT_NE(out.find("Property 'id' is missing"), std::string::npos) << out;
  EXPECT_EQ(requests.size(), 3u);
  EXPECT_EQ(responses.size(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenRtbTypesTest, ::testing::Values("sqlite"), backend_name);

}  // namespace
}  // namespace dia::testing
