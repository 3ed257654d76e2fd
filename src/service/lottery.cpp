// The verifiable lottery (see dia/lottery.hpp for the exact definition).
#include "dia/lottery.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>

#include "dia/error.hpp"
#include "service/lottery_detail.hpp"

namespace dia {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  DIA_CHECK(EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) == 1);
  return hex_encode({reinterpret_cast<const char*>(digest), length});
}

std::string hex_encode(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const char byte : bytes) {
    const auto c = static_cast<unsigned char>(byte);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string hex_decode(const std::string& hex) {
  if (hex.size() % 2) return {};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string lottery_commitment(const std::string& seed_hex) {
  return sha256_hex(hex_decode(seed_hex));
}

namespace detail {

double uniform_of(const std::string& input) {
  const std::string digest = hex_decode(sha256_hex(input));
  std::uint64_t word = 0;
  for (int i = 0; i < 8; ++i) word = (word << 8) | static_cast<unsigned char>(digest[i]);
  return std::ldexp(static_cast<double>(word >> 11), -53);
}

void sort_canonical(std::vector<SealedBid>& bids) {
  std::sort(bids.begin(), bids.end(), [](const SealedBid& a, const SealedBid& b) {
    return a.amount != b.amount ? a.amount > b.amount : a.bidder_id < b.bidder_id;
  });
}

// The winner of out.bids (canonical order) under `rule`, from out.tie_draw and out.delivery_draw.
void decide(LotteryOutcome& out, const ExPostRule& rule) {
  out.rule = rule_name(rule);
  if (out.bids.empty()) return;
  const auto units = [](Micros amount) {
    return static_cast<double>(amount) / double(kMicrosPerUnit);
  };
  if (const auto* border = std::get_if<BorderLottery>(&rule)) {
    out.highest = out.bids[0];
    std::vector<double> amounts;
    for (const auto& b : out.bids) amounts.push_back(units(b.amount));
    const int w = border->draw_winner(amounts, out.tie_draw);
    out.delivered = w >= 0 && static_cast<std::size_t>(w) < out.bids.size();
    if (out.delivered) out.winner = out.bids[static_cast<std::size_t>(w)];
    return;
  }
  std::size_t ties = 0;
  while (ties < out.bids.size() && out.bids[ties].amount == out.bids[0].amount) ++ties;
  const auto pick = std::min(ties - 1, static_cast<std::size_t>(out.tie_draw * double(ties)));
  out.highest = out.bids[pick];
  out.win_probability =
      std::get<HighestBidderLottery>(rule).win_probability(units(out.highest->amount));
  out.delivered = out.delivery_draw < out.win_probability;
  if (out.delivered) out.winner = out.highest;
}

std::string plain_bids_sha256(const std::vector<SealedBid>& canonical) {
  std::string lines;
  for (const auto& b : canonical) {
    lines += std::to_string(b.bidder_id) + ":" + std::to_string(b.amount) + "\n";
  }
  return sha256_hex(lines);
}

}  // namespace detail

double lottery_uniform(const std::string& seed_hex, std::int64_t auction_id,
                       const std::string& bids_sha256, int counter) {
  return detail::uniform_of("dia-lottery-v1|" + seed_hex + "|" + std::to_string(auction_id) + "|" +
                            bids_sha256 + "|" + std::to_string(counter));
}

LotteryOutcome draw_lottery(const std::string& seed_hex, std::int64_t auction_id,
                            std::vector<SealedBid> bids, const ExPostRule& rule) {
  detail::sort_canonical(bids);
  LotteryOutcome out;
  out.bids_sha256 = detail::plain_bids_sha256(bids);
  out.bids = std::move(bids);
  out.tie_draw = lottery_uniform(seed_hex, auction_id, out.bids_sha256, 0);
  out.delivery_draw = lottery_uniform(seed_hex, auction_id, out.bids_sha256, 1);
  detail::decide(out, rule);
  return out;
}

nlohmann::json outcome_json(const LotteryOutcome& o) {
  using nlohmann::json;
  json j{{"rule", o.rule},
         {"bids_sha256", o.bids_sha256},
         {"highest_bidder_id", o.highest ? json(o.highest->bidder_id) : json(nullptr)},
         {"highest_bid_micros", o.highest ? o.highest->amount : 0},
         {"delivered", o.delivered},
         {"winner_id", o.winner ? json(o.winner->bidder_id) : json(nullptr)},
         {"deposit_micros", o.winner ? o.winner->amount : 0}};
  if (o.rule == kBorderLotteryRule) {
    j["winner_draw"] = o.tie_draw;
  } else if (o.rule == kPriorityRankingsRule) {
    j["ranking_draw"] = o.tie_draw;
    j["ranking"] = o.ranking;
    j["winner_class"] = o.winner_class >= 0 ? json(o.winner_class) : json(nullptr);
    j["seats_sha256"] = o.seats_sha256;
  } else {
    j["tie_draw"] = o.tie_draw;
    j["delivery_draw"] = o.delivery_draw;
    j["win_probability"] = o.win_probability;
  }
  if (o.protocol == kLotteryV2) {
    j["protocol"] = o.protocol;
    j["commitments_sha256"] = o.commitments_sha256;
    j["unrevealed_bidder_ids"] = o.unrevealed;
  }
  return j;
}

}  // namespace dia
