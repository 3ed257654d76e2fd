// The answer of POST /v1/decisions written as text (JsonText), without building decision_view's
// JSON tree: for a decision just made (not inspected yet) the same bytes as
// dump_safely(decision_view(a, d, false)), each object's keys in nlohmann's (sorted) order.
// tests/service/decision_text_test.cpp checks them against the tree.
#include "service/house.hpp"
#include "service/json_text.hpp"

namespace dia::service {

std::string House::decision_bids_text(const std::vector<SealedBid>& canonical, const Auction& a,
                                      const Decision& d) {
  std::string out;
  JsonText j(out);
  j.begin_array();
  for (const auto& bid : canonical) {
    j.begin_object();
    j.key("amount_micros").value(bid.amount);
    j.key("bidder_id").value(bid.bidder_id);
    if (!a.seats.empty())
      j.key("class").value(std::int64_t{a.seats.at(bid.bidder_id).bidder_class});
    if (const auto it = d.openrtb_bid_ids.find(bid.bidder_id); it != d.openrtb_bid_ids.end()) {
      j.key("openrtb_bid_id").value(std::string_view(it->second));
    }
    j.end_object();
  }
  j.end_array();
  return out;
}

std::string House::decision_text(const Auction& a, const Decision& d, std::string_view bids_text,
                                 std::string_view outcome_text) const {
  const Design& design = designs_.at(a.design_id);
  const PreparedDesign& p = design.prepared;
  const bool delivered = a.winner_id > 0;
  std::string out;
  out.reserve(1024 + bids_text.size() + outcome_text.size());
  JsonText j(out);
  j.begin_object();
  j.key("bid_format").value(std::string_view(d.format));
  j.key("bids").raw(bids_text);
  j.key("created_at").value(a.created_at);
  j.key("cur").value(std::string_view(currency_));
  j.key("decision_id").value(a.id);
  j.key("delivered").value(delivered);
  j.key("deposit_micros").value(a.deposit);
  j.key("exchange_id").value(d.exchange_id);
  j.key("format").value(std::string_view("dia-decision-export-v1"));
  j.key("lottery").begin_object();
  j.key("chain_anchor").value(std::string_view(d.chain_anchor));
  j.key("chain_id").value(d.chain_id);
  j.key("chain_index").value(d.chain_index);
  j.key("commitment").value(std::string_view(a.commitment));
  j.key("nonce").value(std::string_view(d.nonce));
  j.key("outcome").raw(outcome_text);
  j.key("protocol").value(std::string_view(kDecisionV1));
  j.key("secret").value(std::string_view(a.seed));
  j.end_object();
  if (delivered) {
    if (const auto it = d.openrtb_bid_ids.find(a.winner_id); it != d.openrtb_bid_ids.end()) {
      j.key("openrtb_bid_id").value(std::string_view(it->second));
    }
  }
  j.key("request_id").value(std::string_view(d.request_id));
  j.key("reward").begin_object();
  j.key("design_id").value(a.design_id);
  j.key("design_sha256").value(std::string_view(design.sha256));
  j.key("formula").value(std::string_view("rent_over_allocation"));
  j.key("max").value(std::string_view("deposit"));
  j.key("reward_if_truthful_micros")
      .value(delivered ? reward_micros(a, a.winner_id, a.deposit) : Micros{0});
  j.key("rounding").value(std::string_view("floor_micros"));
  j.key("rule").value(std::string_view(design_rule_name(p)));
  j.key("tolerance_micros").value(a.tolerance);
  j.key("untruthful_micros").value(std::int64_t{0});
  j.end_object();
  j.key("status").value(std::string_view(a.status));
  if (delivered) {
    j.key("winner_id").value(a.winner_id);
  } else {
    j.key("winner_id").null();
  }
  j.end_object();
  return out;
}

}  // namespace dia::service
