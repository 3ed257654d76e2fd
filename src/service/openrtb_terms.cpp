// The compact OpenRTB BidRequest's pieces (see openrtb_terms.hpp).
#include "service/openrtb_terms.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "dia/ex_post_rule.hpp"
#include "service/house.hpp"

namespace dia::service {

namespace {
json json_micros(std::optional<Micros> m) { return m ? json(*m) : json(nullptr); }
}  // namespace

std::optional<Micros> lowest_winning_bid(const PreparedDesign& d) {
  if (d.classes.empty()) return lowest_winning_bid(d.values, d.allocation);
  std::optional<Micros> lowest;  // the least over the classes
  for (const ClassDesign& c : d.classes) {
    const auto m = lowest_winning_bid(c.types.values, c.allocation);
    if (m && (!lowest || *m < *lowest)) lowest = m;
  }
  return lowest;
}

std::optional<Micros> lowest_winning_bid(const std::vector<double>& values,
                                         const std::vector<double>& allocation) {
  const auto first =
      std::find_if(allocation.begin(), allocation.end(), [](double x) { return x > 0; });
  if (first == allocation.end()) return std::nullopt;
  const double v = values[static_cast<std::size_t>(first - allocation.begin())];
  // The rules' own comparison: a bid of m micros is at or above v iff double(m) / 10^6 >= v.
  const auto reaches = [v](Micros m) {
    return static_cast<double>(m) / double(kMicrosPerUnit) >= v;
  };
  const long double scaled = std::ceil(static_cast<long double>(v) * kMicrosPerUnit);
  Micros m = std::max<Micros>(1, static_cast<Micros>(std::max<long double>(scaled, 1)));
  while (m > 1 && reaches(m - 1)) --m;  // the rounding of v * 10^6 may overshoot or fall short
  while (!reaches(m)) ++m;
  return m;
}

json reward_terms(const PreparedDesign& d, bool with_grid) {
  json reward{{"formula", "rent_over_allocation"},
              {"rounding", "floor_micros"},
              {"max", "deposit"},
              {"untruthful_micros", 0},
              {"grid_points", d.values.size()}};
  // Bidder classes: each class's grid and X are in ext.dia.classes[c].reward and the terms
  // document's classes.
  if (!d.classes.empty()) {
    reward["by_class"] = true;
  } else if (with_grid) {
    reward["values"] = d.values;
    reward["allocation"] = d.allocation;
  }
  return reward;
}

std::string design_terms_text(std::int64_t design_id, const PreparedDesign& d,
                              const std::string& design_sha256, std::optional<Micros> lowest_bid) {
  json terms{{"format", "dia-design-terms-v1"},
             {"design_id", design_id},
             {"values", d.spec},
             {"bidders", d.bidders},
             {"rule", design_rule_name(d)},
             {"design_sha256", design_sha256},
             {"bidfloor_micros", json_micros(lowest_bid)},
             {"deposit", {{"basis", "bid"}, {"fraction", 1}}},
             {"reward", reward_terms(d, true)}};
  if (!d.classes.empty()) {
    json classes = json::array();
    for (std::size_t c = 0; c < d.classes.size(); ++c) {
      const ClassDesign& k = d.classes[c];
      classes.push_back(
          {{"class", c},
           {"values", k.values},
           {"count", k.count},
           {"bidfloor_micros", json_micros(lowest_winning_bid(k.types.values, k.allocation))},
           {"reward", {{"values", k.types.values}, {"allocation", k.allocation}}}});
    }
    terms["classes"] = std::move(classes);
  }
  const json reduced = json::parse(d.reduced_form);
  if (reduced.contains("probabilities")) terms["probabilities"] = reduced.at("probabilities");
  return dump_safely(terms);
}

std::string units_text(Micros amount) {
  const Micros whole = amount / kMicrosPerUnit, fraction = amount % kMicrosPerUnit;
  std::string out = std::to_string(whole);
  if (fraction == 0) return out;
  std::string digits = std::to_string(fraction);
  digits.insert(0, 6 - digits.size(), '0');
  digits.erase(digits.find_last_not_of('0') + 1);
  return out + "." + digits;
}

namespace {

void replace_all(std::string& url, const std::string& macro, const std::string& value) {
  for (auto at = url.find(macro); at != std::string::npos;
       at = url.find(macro, at + value.size())) {
    url.replace(at, macro.size(), value);
  }
}

std::string percent_encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool printable_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
}

}  // namespace

std::string substitute_bid_macros(std::string url, const std::string& bid_id,
                                  const std::string& seat_id, const std::string& ad_id) {
  replace_all(url, "${AUCTION_BID_ID}", percent_encoded(bid_id));
  replace_all(url, "${AUCTION_SEAT_ID}", percent_encoded(seat_id));
  replace_all(url, "${AUCTION_AD_ID}", percent_encoded(ad_id));
  return url;
}

std::string substitute_notice_macros(std::string url, const NoticeOutcome& o) {
  replace_all(url, "${AUCTION_PRICE}", o.won ? units_text(o.price) : "");
  replace_all(url, "${AUCTION_ID}", std::to_string(o.auction_id));
  replace_all(url, "${AUCTION_IMP_ID}", "1");
  replace_all(url, "${AUCTION_CURRENCY}", o.currency);
  replace_all(url, "${AUCTION_MBR}", o.won ? "1" : "");
  replace_all(url, "${AUCTION_LOSS}", std::to_string(o.loss));
  replace_all(url, "${AUCTION_MIN_TO_WIN}", "");
  return url;
}

int loss_reason(Micros bid, std::optional<Micros> bidfloor, bool delivered, Micros winning_bid) {
  if (!bidfloor || bid < *bidfloor) return 100;
  if (!delivered) return 1001;
  return winning_bid > bid ? 102 : 1000;
}

std::string notice_url(const json& bid, const char* key) {
  if (!bid.contains(key)) return {};
  const std::string url = bid.at(key).get<std::string>();
  const bool printable = printable_ascii(url);
  const bool http = url.starts_with("https://") || url.starts_with("http://");
  if (url.size() > 2048 || !printable || !http) {
    bad_input("invalid_field",
              std::string("seatbid[0].bid[0].") + key +
                  " must be an absolute http(s) URL of at most 2048 printable ASCII characters "
                  "without spaces",
              "percent-encode other characters, e.g. https://dsp.example/win?p=${AUCTION_PRICE}");
  }
  return url;
}

Expected<std::string> public_base_url(const std::string& url) {
  const auto scheme = url.starts_with("https://") ? 8u : url.starts_with("http://") ? 7u : 0u;
  const auto host_end = url.find('/', scheme);
  if (scheme == 0 || url.size() > 1024 || !printable_ascii(url) ||
      url.find_first_of("?#@") != std::string::npos ||
      (host_end == std::string::npos ? url.size() : host_end) == scheme) {
    return fail(
        ErrorCode::kInvalidArgument,
        "--public-url must be an absolute http:// or https:// URL with a host and no query, "
        "fragment or user info, of at most 1024 printable ASCII characters",
        "the URL clients reach this server at, e.g. https://auctions.example/dia");
  }
  std::string base = url;
  while (base.size() > scheme && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace dia::service
