// OpenRTB 2.6 BidResponses that dia accepts, shared by the service tests and the type check
// against IAB's OpenRTB 2.6 TypeScript definitions (openrtb_types_test.cpp).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

namespace dia::testing {

using nlohmann::json;

inline const std::filesystem::path kSourceDir = DIA_SOURCE_DIR;  // the repository

// The smallest valid bid: the fields OpenRTB 2.6 requires, and cur.
inline json rtb_bid(std::int64_t auction, double price, const std::string& bid_id = "bid-1") {
  return {{"id", std::to_string(auction)},
          {"cur", "USD"},
          {"seatbid", {{{"bid", {{{"id", bid_id}, {"impid", "1"}, {"price", price}}}}}}}};
}

// Every field OpenRTB 2.6 defines for BidResponse, SeatBid and Bid (but the deprecated Bid.api,
// which IAB's definitions leave out), with values of their lists.
inline json rtb_every_field(std::int64_t auction, double price) {
  const json bid{{"id", "bid-7"},
                 {"impid", "1"},
                 {"price", price},
                 {"nurl", "https://dsp.example/win?p=${AUCTION_PRICE}"},
                 {"burl", "https://dsp.example/bill"},
                 {"lurl", "https://dsp.example/loss?r=${AUCTION_LOSS}"},
                 {"adm", "<div>ad</div>"},
                 {"adid", "ad-1"},
                 {"adomain", {"example.com"}},
                 {"bundle", "com.example.app"},
                 {"iurl", "https://dsp.example/preview.png"},
                 {"cid", "campaign-1"},
                 {"crid", "creative-1"},
                 {"tactic", "tactic-1"},
                 {"cattax", 2},
                 {"cat", {"IAB1"}},
                 {"attr", {1, 2}},
                 {"apis", {3}},
                 {"protocol", 3},
                 {"qagmediarating", 1},
                 {"language", "en"},
                 {"langb", "en-US"},
                 {"dealid", "deal-1"},
                 {"w", 300},
                 {"h", 250},
                 {"wratio", 6},
                 {"hratio", 5},
                 {"exp", 60},
                 {"dur", 30},
                 {"mtype", 1},
                 {"slotinpod", -1},
                 {"ext", {{"dsp", {{"k", 1}}}}}};
  return {{"id", std::to_string(auction)},
          {"seatbid", {{{"bid", {bid}}, {"seat", "seat-1"}, {"group", 0}, {"ext", {{"x", 1}}}}}},
          {"bidid", "response-7"},
          {"cur", "USD"},
          {"customdata", "abc"},
          {"ext", {{"dsp", "any"}}}};
}

// A no-bid: no seatbid, with a reason (2 = invalid request in OpenRTB's list).
inline json rtb_no_bid(std::int64_t auction) {
  return {{"id", std::to_string(auction)}, {"nbr", 2}};
}

// The OpenRTB bid of docs/api.md's worked session (the `-d '...'` holding "seatbid"), as written
// there for auction 1.
inline json docs_bid_example() {
  std::ifstream docs(kSourceDir / "docs" / "api.md");
  const std::regex body(R"(-d '(\{.*"seatbid".*\})')");
  for (std::string line; std::getline(docs, line);) {
    if (std::smatch m; std::regex_search(line, m, body)) return json::parse(m[1].str());
  }
  return nullptr;
}

}  // namespace dia::testing
