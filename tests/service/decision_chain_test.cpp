// The hash chains of one-shot decisions, in process on a House over SQLite (the chain logic does
// not depend on the backend; the HTTP tests run both): the next chain is published half a chain
// before its first use, decisions pass from one chain to the next without a gap, and a reload
// from the database goes on at the next index. 65,537 decisions without bids (nothing to deposit).
#include <openssl/evp.h>

#include "service/decision_input.hpp"
#include "service/house.hpp"
#include "service_fixture.hpp"

namespace dia::testing {
namespace {

using service::Batch;

std::string hash_hex(const std::string& hex_in) {
  std::string bytes;
  for (std::size_t i = 0; i < hex_in.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex_in.substr(i, 2), nullptr, 16));
  }
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[d[i] >> 4];
    out += kHex[d[i] & 15];
  }
  return out;
}

TEST(DecisionChain, NextChainPublishedAheadAndUsedWithoutGap) {
  const fs::path dir = fs::temp_directory_path() / ("dia-chain-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto db = ledger::open_database("sqlite:" + (dir / "chain.db").string());
  ASSERT_TRUE(db);
  ASSERT_TRUE(ledger::migrate(**db));
  service::House house(0, "USD");
  const std::string operator_hash = sha256_hex("chain-test-operator-token");
  ASSERT_TRUE(house.load(**db, operator_hash));
  Batch b;
  const json registered = house.register_principal(b, "exchange", "x").body;
  const service::Principal exchange{registered.at("exchange_id").get<std::int64_t>(), "exchange",
                                    "x"};
  service::PreparedDesign design;
  design.spec = "discrete(1:0.5,2:0.5)";
  design.bidders = 2;
  design.source = "saved";
  const json reduced{{"values", {1.0, 2.0}}, {"allocation", {0.25, 0.75}}};
  design.reduced_form = reduced.dump();
  service::build_rule(design, reduced);
  service::DecisionInput in;
  in.nonce = std::string(64, 'a');
  in.format = "dia";
  const auto chains = [&] { return house.decision_chains().body.at("chains"); };
  const std::int64_t length = chains()[0].at("length");
  ASSERT_EQ(length, 65536);
  json last;
  const auto decide = [&](std::int64_t n) {
    in.request_id = "r" + std::to_string(n);
    const service::Reply r = house.decide(b, exchange, in, &design);
    EXPECT_EQ(r.status, 201) << (r.raw ? *r.raw : r.body.dump());
    if (b.size() > 20000) {
      ASSERT_TRUE((*db)->execute_batch(b));
      b.clear();
    }
    last = r.raw ? json::parse(*r.raw) : r.body;  // a decision's answer is written as text
  };
  for (std::int64_t n = 1; n <= length / 2; ++n) decide(n);
  EXPECT_EQ(chains().size(), 1u);  // half the chain left: the next one is not needed yet
  decide(length / 2 + 1);
  ASSERT_EQ(chains().size(), 2u);  // published now, 32,767 decisions before its first use
  EXPECT_EQ(chains()[1].at("used"), 0);
  const std::string anchor2 = chains()[1].at("anchor");
  for (std::int64_t n = length / 2 + 2; n <= length; ++n) decide(n);
  EXPECT_EQ(last["lottery"]["chain_id"], 1);
  EXPECT_EQ(last["lottery"]["chain_index"], length);
  decide(length + 1);
  EXPECT_EQ(last["lottery"]["chain_id"], 2);
  EXPECT_EQ(last["lottery"]["chain_index"], 1);
  const std::string first_secret = last["lottery"]["secret"];
  EXPECT_EQ(hash_hex(first_secret), anchor2);
  ASSERT_TRUE((*db)->execute_batch(b));
  b.clear();

  // After a reload from the database the chain goes on at index 2, whose hash is index 1.
  ASSERT_TRUE(house.reload(**db));
  decide(length + 2);
  EXPECT_EQ(last["lottery"]["chain_id"], 2);
  EXPECT_EQ(last["lottery"]["chain_index"], 2);
  EXPECT_EQ(hash_hex(last["lottery"]["secret"]), first_secret);
  EXPECT_EQ(chains().size(), 2u);
  const service::Reply again = house.decide(b, exchange, in, &design);  // same request id
  EXPECT_EQ(again.status, 409);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dia::testing
