// dia-lottery-v2: the terms digest, bid commitments and the draw over revealed bids (see
// dia/lottery.hpp and docs/api.md, "dia-lottery-v2").
#include <algorithm>
#include <cstdio>

#include "dia/lottery.hpp"
#include "service/lottery_detail.hpp"

namespace dia {
namespace detail {

std::string digest_numbers(const std::vector<double>& xs) {
  std::string out;
  char buffer[40];
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::snprintf(buffer, sizeof buffer, "%.17g", xs[i]);
    out += (i ? "," : "") + std::string(buffer);
  }
  return out;
}

}  // namespace detail

bool is_hex256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string design_digest_text(const std::string& spec, int bidders,
                               const std::vector<double>& values,
                               const std::vector<double>& allocation,
                               const std::vector<double>& probabilities) {
  return "dia-design-v2\nvalues=" + spec + "\nbidders=" + std::to_string(bidders) +
         "\ngrid=" + detail::digest_numbers(values) +
         "\nallocation=" + detail::digest_numbers(allocation) +
         "\nprobabilities=" + detail::digest_numbers(probabilities) + "\n";
}

std::string terms_text(const LotteryTerms& t) {
  return "dia-terms-v2\nauction_id=" + std::to_string(t.auction_id) + "\ncurrency=" + t.currency +
         "\ndesign_sha256=" + t.design_sha256 +
         "\ntolerance_micros=" + std::to_string(t.tolerance) +
         "\nmax_bid_micros=" + std::to_string(t.max_bid) +
         "\npenalty_micros=" + std::to_string(t.penalty) +
         "\nreveal_seconds=" + std::to_string(t.reveal_seconds) +
         "\nseed_commitment=" + t.seed_commitment + "\n";
}

std::string terms_digest(const LotteryTerms& terms) { return sha256_hex(terms_text(terms)); }

std::string bid_commitment(const std::string& terms_digest, std::int64_t auction_id,
                           std::int64_t bidder_id, Micros amount, const std::string& salt_hex) {
  return sha256_hex("dia-bid-v2|" + terms_digest + "|" + std::to_string(auction_id) + "|" +
                    std::to_string(bidder_id) + "|" + std::to_string(amount) + "|" + salt_hex);
}

namespace detail {

std::string v2_prefix(LotteryOutcome& out, const std::string& terms_digest,
                      const std::string& seed_hex, const std::vector<BidCommitment>& frozen) {
  out.protocol = kLotteryV2;
  std::vector<const BidCommitment*> by_bidder;
  for (const auto& c : frozen) by_bidder.push_back(&c);
  std::sort(by_bidder.begin(), by_bidder.end(),
            [](const auto* a, const auto* b) { return a->bidder_id < b->bidder_id; });
  std::string commitments;
  std::vector<SealedBid> bids;
  for (const auto* c : by_bidder) {
    commitments += std::to_string(c->bidder_id) + ":" + c->commitment + "\n";
    if (c->amount) {
      bids.push_back({c->bidder_id, *c->amount});
    } else {
      out.unrevealed.push_back(c->bidder_id);
    }
  }
  out.commitments_sha256 = sha256_hex(commitments);
  sort_canonical(bids);
  std::string canonical;
  for (const auto& b : bids) {
    const auto it = std::find_if(by_bidder.begin(), by_bidder.end(),
                                 [&](const auto* c) { return c->bidder_id == b.bidder_id; });
    canonical +=
        std::to_string(b.bidder_id) + ":" + std::to_string(b.amount) + ":" + (*it)->salt + "\n";
  }
  out.bids_sha256 = sha256_hex(canonical);
  out.bids = std::move(bids);
  return "dia-lottery-v2|" + terms_digest + "|" + seed_hex + "|" + out.commitments_sha256 + "|" +
         out.bids_sha256 + "|";
}

}  // namespace detail

LotteryOutcome draw_lottery_v2(const std::string& terms_digest, const std::string& seed_hex,
                               const std::vector<BidCommitment>& frozen, const ExPostRule& rule) {
  LotteryOutcome out;
  const std::string prefix = detail::v2_prefix(out, terms_digest, seed_hex, frozen);
  out.tie_draw = detail::uniform_of(prefix + "0");
  out.delivery_draw = detail::uniform_of(prefix + "1");
  detail::decide(out, rule);
  return out;
}

}  // namespace dia
