// Bids from request bodies (see bid_input.hpp).
#include "service/bid_input.hpp"

#include <algorithm>
#include <cmath>

#include "dia/lottery.hpp"
#include "service/openrtb_fields.hpp"
#include "service/openrtb_terms.hpp"

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

// An OpenRTB `ext` (an object, as check_fields saw): its `dia` member holds only the terms we
// know, and they must agree with the bid; other members belong to other parties and pass unread,
// as OpenRTB specifies. The bid's own ext.dia may also carry a v2 commitment or salt (into
// `sealed`).
void check_ext(const json& holder, const std::string& where, Micros amount,
               BidInput* sealed = nullptr) {
  if (!holder.contains("ext")) return;
  const json& ext = holder.at("ext");
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

// Bid.id, which dia keeps with the bid: at most 1024 bytes, no control characters.
std::string bid_id(const json& bid) {
  const std::string id = bid.at("id").get<std::string>();
  if (id.size() > 1024 || std::any_of(id.begin(), id.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    bad_input("invalid_field",
              "seatbid[0].bid[0].id must be at most 1024 bytes without control characters",
              "e.g. \"b1\"");
  }
  return id;
}

constexpr const char* kOneBid =
    "one sealed bid per bidder: {\"id\":\"AUCTION_ID\",\"seatbid\":[{\"bid\":[{\"id\":\"b1\","
    "\"impid\":\"1\",\"price\":1.5}]}]}";

Micros price_micros(const json& price) {
  const double units = price.get<double>();
  const double scaled = units * double(kMicrosPerUnit);
  if (!(units > 0) || scaled > 9e15 || std::abs(scaled - std::round(scaled)) > 1e-3) {
    bad_input("invalid_amount",
              "price must be positive with at most 6 decimals, got " + price.dump());
  }
  const auto amount = static_cast<Micros>(std::llround(scaled));
  if (amount < 1) {
    bad_input("invalid_amount", "price " + price.dump() + " is less than one micro-unit (1e-6)",
              "bid at least 0.000001");
  }
  return amount;
}

}  // namespace

BidInput parse_openrtb_response(const json& body, const std::string& request_id,
                                const std::string& imp_id, const std::string& currency,
                                const std::string& id_hint) {
  openrtb::check_fields(body, openrtb::kBidResponse, "BidResponse");
  if (body.at("id") != json(request_id)) {
    bad_input("invalid_field", "OpenRTB id must be the bid request id \"" + request_id + "\"",
              id_hint);
  }
  const std::string cur = get_string(body, "cur", false, "USD");
  if (cur != currency) {
    bad_input("invalid_currency", "this exchange trades in " + currency + ", got cur " + cur);
  }
  // OpenRTB 2.6: seatbid is "1+ required if a bid is to be made"; without one it is a no-bid.
  if (!body.contains("seatbid") || body.at("seatbid").empty()) {
    check_ext(body, "BidResponse", 0);
    return {0, "openrtb", "", "", "", true, body.value("nbr", json())};
  }
  if (body.contains("nbr")) {
    bad_input("invalid_openrtb", "a BidResponse with a bid may not give nbr (a no-bid reason)",
              "leave nbr out, or send no seatbid to decline");
  }
  const json& seatbid = body.at("seatbid");
  if (seatbid.size() != 1)
    bad_input("invalid_openrtb", "seatbid must hold exactly one seat", kOneBid);
  openrtb::check_fields(seatbid[0], openrtb::kSeatBid, "seatbid[0]");
  const json& bids = seatbid[0].at("bid");
  if (bids.empty()) {
    bad_input("invalid_openrtb", "seatbid[0].bid is empty: OpenRTB 2.6 requires at least one bid",
              "send no seatbid (and optionally nbr) to decline");
  }
  if (bids.size() != 1)
    bad_input("invalid_openrtb", "seatbid[0].bid must hold exactly one bid", kOneBid);
  const json& bid = bids[0];
  openrtb::check_fields(bid, openrtb::kBid, "seatbid[0].bid[0]");
  if (bid.at("impid") != json(imp_id)) {
    bad_input("invalid_field", "impid must be \"" + imp_id + "\"",
              "the BidRequest offers one imp, id \"" + imp_id + "\"");
  }
  const Micros amount = price_micros(bid.at("price"));
  check_ext(body, "BidResponse", amount);
  check_ext(seatbid[0], "seatbid[0]", amount);
  BidInput out{amount,
               "openrtb",
               "",
               "",
               bid_id(bid),
               false,
               json(),
               notice_url(bid, "nurl"),
               notice_url(bid, "burl"),
               notice_url(bid, "lurl")};
  for (std::string* url : {&out.nurl, &out.burl, &out.lurl}) {
    *url = substitute_bid_macros(*url, body.value("bidid", ""), seatbid[0].value("seat", ""),
                                 bid.value("adid", ""));
  }
  check_ext(bid, "seatbid[0].bid[0]", amount, &out);
  return out;
}

BidInput parse_bid(const json& body, std::int64_t auction_id, const std::string& currency) {
  if (body.contains("commitment")) {
    only_keys(body, {"commitment"}, "a sealed bid");
    return {0, "dia", hex256(body, "commitment", "the bid"), "", "", false, json()};
  }
  if (body.contains("amount_micros") || !openrtb::has_any(body, openrtb::kBidResponse)) {
    only_keys(body, {"amount_micros", "salt"}, "a bid (or give an OpenRTB 2.6 BidResponse)");
    return {*get_micros(body, "amount_micros", true, 1),
            "dia",
            "",
            hex256(body, "salt", "the bid"),
            "",
            false,
            json()};
  }
  const std::string id = std::to_string(auction_id);
  return parse_openrtb_response(
      body, id, "1", currency,
      "the BidResponse answers GET /v1/auctions/" + id + "/openrtb, whose id is the auction id");
}

Reply bid_answer(Reply submitted, const BidInput& bid) {
  if (submitted.status == 201 && bid.format == "openrtb") {
    submitted.body["openrtb_bid_id"] = bid.openrtb_bid_id;
  }
  return submitted;
}

Reply no_bid_answer(const json& auction, const BidInput& bid) {
  json answer{{"auction_id", auction.at("auction_id")},
              {"auction_status", auction.at("status")},
              {"no_bid", true}};
  if (!bid.nbr.is_null()) answer["nbr"] = bid.nbr;
  return {200, answer};
}

int parse_class_field(const json& body) {
  if (!body.contains("class")) bad_input("missing_field", "missing field 'class'");
  const json& given = body.at("class");
  if (!given.is_number_integer() || given.get<std::int64_t>() < 0) {
    bad_input(
        "invalid_field", "class must be an integer >= 0: a bidder class of the design",
        "classes are numbered from 0 in the design's order (GET /v1/auctions/{id} lists them)");
  }
  return static_cast<int>(std::min<std::int64_t>(given.get<std::int64_t>(), 1000));
}

}  // namespace dia::service
