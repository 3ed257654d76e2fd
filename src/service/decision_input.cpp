// The body of POST /v1/decisions (see decision_input.hpp).
#include "service/decision_input.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "service/bid_input.hpp"

namespace dia::service {
namespace {

// The exchange's id of the auction: 1-200 visible ASCII characters (it is stored as text and
// hashed in a line of the decision's inputs).
std::string check_request_id(const std::string& id, const std::string& where) {
  const bool visible =
      std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7F; });
  if (id.empty() || id.size() > 200 || !visible) {
    bad_input("invalid_field", where + " must be 1-200 visible ASCII characters",
              "e.g. the exchange's auction id, unique per exchange");
  }
  return id;
}

void add_bid(DecisionInput& in, std::set<std::int64_t>& bidders, std::int64_t bidder,
             Micros amount) {
  if (!bidders.insert(bidder).second) {
    bad_input("duplicate_bid", "bidder " + std::to_string(bidder) + " bids twice",
              "one sealed bid per bidder");
  }
  in.bids.push_back({bidder, amount});
}

void plain_bids(const json& body, DecisionInput& in) {
  in.format = "dia";
  in.request_id = check_request_id(get_string(body, "request_id", true), "request_id");
  const json& bids = body.at("bids");
  if (!bids.is_array()) {
    bad_input("invalid_field", "bids must be an array of {\"bidder_id\", \"amount_micros\"}");
  }
  std::set<std::int64_t> bidders;
  for (const json& b : bids) {
    if (!b.is_object()) bad_input("invalid_field", "each bid must be an object");
    only_keys(b, {"bidder_id", "amount_micros", "class"}, "a bid");
    const Micros bidder = *get_micros(b, "bidder_id", true, 1);
    add_bid(in, bidders, bidder, *get_micros(b, "amount_micros", true, 1));
    if (b.contains("class")) in.classes[bidder] = parse_class_field(b);
  }
}

// The bidder a BidResponse speaks for: its seat, the dia bidder id in decimal.
std::int64_t seat_bidder(const json& response, std::size_t index) {
  const std::string where = "openrtb.responses[" + std::to_string(index) + "].seatbid[0].seat";
  const json& seatbid = response.at("seatbid")[0];
  if (!seatbid.contains("seat")) {
    bad_input("missing_field", "missing field '" + where + "'",
              "the seat names the dia bidder the bid is from: its bidder_id in decimal");
  }
  const std::string seat = seatbid.at("seat").get<std::string>();
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(seat.data(), seat.data() + seat.size(), id);
  if (seat.empty() || ec != std::errc() || ptr != seat.data() + seat.size() || id < 1) {
    bad_input("invalid_field", where + " must be a dia bidder id in decimal, got \"" + seat + "\"");
  }
  return id;
}

void openrtb_bids(const json& body, const std::string& currency, DecisionInput& in) {
  in.format = "openrtb";
  if (body.contains("request_id")) {
    bad_input("invalid_field", "an OpenRTB decision takes its request id from openrtb.request.id",
              "leave request_id out");
  }
  const json& o = body.at("openrtb");
  if (!o.is_object()) bad_input("invalid_openrtb", "openrtb must be an object");
  only_keys(o, {"request", "responses"}, "openrtb");
  if (!o.contains("request") || !o.contains("responses")) {
    bad_input("missing_field", "openrtb needs 'request' (the BidRequest) and 'responses'",
              "{\"openrtb\": {\"request\": BidRequest, \"responses\": [BidResponse, ...]}}");
  }
  // The BidRequest is the exchange's: dia reads id, imp[0].id and cur; the rest passes unread.
  const json& request = o.at("request");
  if (!request.is_object()) bad_input("invalid_openrtb", "openrtb.request must be an object");
  in.request_id = check_request_id(get_string(request, "id", true), "openrtb.request.id");
  if (!request.contains("imp") || !request.at("imp").is_array() || request.at("imp").size() != 1 ||
      !request.at("imp")[0].is_object()) {
    bad_input("invalid_openrtb", "openrtb.request.imp must hold exactly one imp object",
              "a decision sells one impression");
  }
  const std::string imp_id = get_string(request.at("imp")[0], "id", true);
  if (request.contains("cur")) {
    const json& cur = request.at("cur");
    if (!cur.is_array() || cur.size() != 1 || cur[0] != json(currency)) {
      bad_input("invalid_currency",
                "openrtb.request.cur must be [\"" + currency + "\"], the exchange's currency");
    }
  }
  const json& responses = o.at("responses");
  if (!responses.is_array()) bad_input("invalid_openrtb", "openrtb.responses must be an array");
  std::set<std::int64_t> bidders;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const BidInput bid = parse_openrtb_response(
        responses[i], in.request_id, imp_id, currency,
        "each BidResponse answers openrtb.request, whose id is the exchange's auction id");
    if (bid.no_bid) {
      ++in.no_bids;
      continue;
    }
    if (!bid.commitment.empty() || !bid.salt.empty()) {
      bad_input("invalid_field", "a decision's bids are plain: no ext.dia.commitment or salt",
                "the decision's lottery needs no commit and reveal (docs/api.md)");
    }
    const std::int64_t bidder = seat_bidder(responses[i], i);
    add_bid(in, bidders, bidder, bid.amount);
    in.openrtb_bid_ids[bidder] = bid.openrtb_bid_id;
  }
}

}  // namespace

DecisionInput parse_decision(const json& body, const std::string& currency) {
  only_keys(body,
            {"design_id", "values", "bidders", "reduced_form", "tolerance_micros", "request_id",
             "bids", "openrtb", "nonce"},
            "a decision");
  DecisionInput in;
  if (body.contains("design_id")) {
    if (body.contains("values") || body.contains("reduced_form") || body.contains("bidders")) {
      bad_input("invalid_field",
                "give either design_id or a design (values, bidders, reduced_form), not both",
                "a saved design already fixes its values and bidders");
    }
    in.design_id = get_micros(body, "design_id", true, 1);
  } else if (!body.contains("values")) {
    bad_input("missing_field", "a decision needs design_id or a design (values, bidders)");
  }
  in.tolerance = get_micros(body, "tolerance_micros", false);
  in.nonce = get_string(body, "nonce", true);
  if (!is_hex256(in.nonce)) {
    bad_input("invalid_field", "nonce must be 64 lowercase hex digits (32 bytes)",
              "32 fresh random bytes per decision, e.g. head -c 32 /dev/urandom | xxd -p -c 64");
  }
  if (body.contains("bids") == body.contains("openrtb")) {
    bad_input("missing_field", "give the bids as 'bids' (a plain list) or 'openrtb', exactly one",
              "{\"request_id\", \"bids\": [{\"bidder_id\", \"amount_micros\"}]} or {\"openrtb\": "
              "{\"request\": BidRequest, \"responses\": [BidResponse, ...]}}");
  }
  if (body.contains("bids")) {
    plain_bids(body, in);
  } else {
    openrtb_bids(body, currency, in);
  }
  return in;
}

}  // namespace dia::service
