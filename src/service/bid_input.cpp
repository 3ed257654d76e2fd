// Bids from request bodies (see bid_input.hpp).
#include "service/bid_input.hpp"

#include <cmath>

#include "dia/lottery.hpp"

namespace dia::service {

namespace {

// An optional 32-byte value in 64 lowercase hex digits ("" when absent).
std::string hex256(const json& object, const char* key, const std::string& where) {
  const std::string value = get_string(object, key, false);
  if (object.contains(key) && !is_hex256(value)) {
    bad_input("invalid_field", where + "." + key + " must be 64 lowercase hex digits (32 bytes)",
              "e.g. a salt from: head -c 32 /dev/urandom | xxd -p -c 64");
  }
  return value;
}

// An OpenRTB `ext` (object): its `dia` member holds only the terms we know, and they must agree
// with the bid; other members belong to other parties and pass unread, as OpenRTB specifies.
// The bid's own ext.dia may also carry a v2 commitment or salt (into `sealed`).
void check_ext(const json& holder, const std::string& where, Micros amount,
               BidInput* sealed = nullptr) {
  if (!holder.contains("ext")) return;
  const json& ext = holder.at("ext");
  if (!ext.is_object()) bad_input("invalid_openrtb", where + ".ext must be an object");
  if (!ext.contains("dia")) return;
  const json& dia = ext.at("dia");
  if (!dia.is_object()) bad_input("invalid_openrtb", where + ".ext.dia must be an object");
  if (sealed) {
    only_keys(dia, {"deposit_micros", "commitment", "salt"}, where + ".ext.dia");
    sealed->commitment = hex256(dia, "commitment", where + ".ext.dia");
    sealed->salt = hex256(dia, "salt", where + ".ext.dia");
  } else {
    only_keys(dia, {"deposit_micros"}, where + ".ext.dia");
  }
  if (const auto deposit = get_micros(dia, "deposit_micros", false);
      deposit && *deposit != amount) {
    bad_input("invalid_field",
              where + ".ext.dia.deposit_micros " + std::to_string(*deposit) +
                  " contradicts the bid: the winner deposits its bid, " + std::to_string(amount) +
                  " micros",
              "leave deposit_micros out or give the price in micros");
  }
}

}  // namespace

BidInput parse_bid(const json& body, std::int64_t auction_id, const std::string& currency) {
  if (!body.contains("seatbid")) {
    if (body.contains("commitment")) {
      only_keys(body, {"commitment"}, "a sealed bid");
      return {0, "dia", hex256(body, "commitment", "the bid"), ""};
    }
    only_keys(body, {"amount_micros", "salt"}, "a bid (or give an OpenRTB 2.6 bid response)");
    return {*get_micros(body, "amount_micros", true, 1), "dia", "",
            hex256(body, "salt", "the bid")};
  }
  only_keys(body, {"id", "seatbid", "bidid", "cur", "customdata", "nbr", "ext"},
            "an OpenRTB bid response");
  if (body.contains("id") && body.at("id") != json(std::to_string(auction_id))) {
    bad_input("invalid_field",
              "OpenRTB id must be the bid request id \"" + std::to_string(auction_id) + "\"");
  }
  const std::string cur = get_string(body, "cur", false, "USD");
  if (cur != currency) {
    bad_input("invalid_currency", "this exchange trades in " + currency + ", got cur " + cur);
  }
  const json& seatbid = body.at("seatbid");
  if (!seatbid.is_array() || seatbid.size() != 1 || !seatbid[0].is_object() ||
      !seatbid[0].contains("bid") || !seatbid[0]["bid"].is_array() ||
      seatbid[0]["bid"].size() != 1 || !seatbid[0]["bid"][0].is_object()) {
    bad_input(
        "invalid_openrtb", "seatbid must hold exactly one seat with exactly one bid",
        "one sealed bid per bidder: {\"seatbid\":[{\"bid\":[{\"impid\":\"1\",\"price\":1.5}]}]}");
  }
  only_keys(seatbid[0], {"bid", "seat", "group", "ext"}, "seatbid[0]");
  const json& bid = seatbid[0]["bid"][0];
  only_keys(bid, {"id",   "impid",   "price",  "adid", "nurl", "burl",  "lurl",
                  "adm",  "adomain", "bundle", "iurl", "cid",  "crid",  "cat",
                  "attr", "dealid",  "w",      "h",    "exp",  "mtype", "ext"},
            "seatbid[0].bid[0]");
  if (bid.contains("impid") && bid["impid"] != json("1"))
    bad_input("invalid_field", "impid must be \"1\"");
  if (!bid.contains("price") || !bid["price"].is_number()) {
    bad_input("invalid_amount", "seatbid[0].bid[0].price must be a number",
              "price in currency units, e.g. 1.25");
  }
  const double price = bid["price"].get<double>();
  const double scaled = price * double(kMicrosPerUnit);
  if (!(price > 0) || scaled > 9e15 || std::abs(scaled - std::round(scaled)) > 1e-3) {
    bad_input("invalid_amount",
              "price must be positive with at most 6 decimals, got " + bid["price"].dump());
  }
  const auto amount = static_cast<Micros>(std::llround(scaled));
  if (amount < 1) {
    bad_input("invalid_amount",
              "price " + bid["price"].dump() + " is less than one micro-unit (1e-6)",
              "bid at least 0.000001");
  }
  BidInput out{amount, "openrtb", "", ""};
  check_ext(body, "the bid response", amount);
  check_ext(seatbid[0], "seatbid[0]", amount);
  check_ext(bid, "seatbid[0].bid[0]", amount, &out);
  return out;
}

}  // namespace dia::service
