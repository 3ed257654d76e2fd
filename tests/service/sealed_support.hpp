// dia-lottery-v2 from a bidder's side, written from the protocol's text in docs/api.md (not from
// the house's code): salts, commitments and the terms digest, computed with OpenSSL directly.
#pragma once

#include <openssl/evp.h>

#include <cstdio>
#include <random>
#include <string>

#include "service_fixture.hpp"

namespace dia::testing {

inline std::string sha256_of(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

// 32 bytes from the test's own generator (fixed seeds keep the tests reproducible).
inline std::string random_salt(std::mt19937_64& rng) {
  std::string hex;
  char word[17];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(word, sizeof word, "%016llx", static_cast<unsigned long long>(rng()));
    hex += word;
  }
  return hex;
}

inline std::string bid_commitment_of(const std::string& terms_digest, std::int64_t auction,
                                     std::int64_t bidder, Micros amount, const std::string& salt) {
  return sha256_of("dia-bid-v2|" + terms_digest + "|" + std::to_string(auction) + "|" +
                   std::to_string(bidder) + "|" + std::to_string(amount) + "|" + salt);
}

// The terms digest from an auction as GET /v1/auctions/{id} publishes it.
inline std::string terms_digest_of(const json& auction) {
  const json& t = auction.at("terms");
  return sha256_of("dia-terms-v2\nauction_id=" + auction.at("auction_id").dump() +
                   "\ncurrency=" + auction.at("cur").get<std::string>() +
                   "\ndesign_sha256=" + t.at("design_sha256").get<std::string>() +
                   "\ntolerance_micros=" + auction.at("tolerance_micros").dump() +
                   "\nmax_bid_micros=" + t.at("max_bid_micros").dump() +
                   "\npenalty_micros=" + t.at("penalty_micros").dump() +
                   "\nreveal_seconds=" + t.at("reveal_seconds").dump() +
                   "\nseed_commitment=" + auction.at("commitment").get<std::string>() + "\n");
}

// Two bidders on discrete(1:0.5,2:0.5) with X = (1/4, x2): G = (1/4, 3/4), so a highest bid of 2
// is delivered with probability q(2) = x2 / (3/4) and a highest bid of 1 always (q(1) = 1).
inline json two_bidder_design_with(double x2) {
  return {{"values", "discrete(1:0.5,2:0.5)"},
          {"bidders", 2},
          {"reduced_form", {{"values", {1.0, 2.0}}, {"allocation", {0.25, x2}}}}};
}

inline json sealed_auction(json design, Micros max_bid, Micros penalty, int reveal_seconds) {
  design["protocol"] = "dia-lottery-v2";
  design["max_bid_micros"] = max_bid;
  design["penalty_micros"] = penalty;
  design["reveal_seconds"] = reveal_seconds;
  return design;
}

// A bidder of dia-lottery-v2: commits to an amount with a fresh salt, reveals it later.
struct SealedBidder {
  SealedBidder(std::int64_t bidder_id, int server_port, std::string bearer)
      : id(bidder_id), port(server_port), token(std::move(bearer)) {}
  Client client() const { return Client(port, token); }

  std::int64_t id;
  int port;  // set anew after a server restart
  std::string token;
  std::string salt;
  Micros amount = 0;

  // Keeps the opening only when the commitment was accepted.
  Answer commit(std::int64_t auction, Micros bid, const std::string& terms_digest,
                std::mt19937_64& rng) {
    const std::string fresh = random_salt(rng);
    Answer a = client().post(
        "/v1/auctions/" + std::to_string(auction) + "/bids",
        json{{"commitment", bid_commitment_of(terms_digest, auction, id, bid, fresh)}},
        unique_key());
    if (a.status == 201) {
      amount = bid;
      salt = fresh;
    }
    return a;
  }
  Answer reveal(std::int64_t auction) {
    return client().post("/v1/auctions/" + std::to_string(auction) + "/reveal",
                         json{{"amount_micros", amount}, {"salt", salt}}, unique_key());
  }
};

}  // namespace dia::testing
