// The house's hash chain of secrets for one-shot decisions (dia/decision_lottery.hpp): generated
// from its top secret, held in memory as raw bytes, consumed one index at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dia::service {

class DecisionChain {
 public:
  // The secrets a new chain holds: decisions 1..kLength. Generating one costs kLength SHA-256
  // of 32 bytes (a few ms) and kLength * 32 bytes of memory (2 MiB).
  static constexpr std::int64_t kLength = 65536;

  DecisionChain() = default;
  // The chain whose top secret s_length is `top_secret_hex` (64 hex digits).
  DecisionChain(std::int64_t id, const std::string& top_secret_hex, std::int64_t length);

  std::int64_t id() const { return id_; }
  std::int64_t length() const { return static_cast<std::int64_t>(links_.size()) - 1; }
  // s_k in hex, 0 <= k <= length (s_0 is the published anchor).
  std::string secret_hex(std::int64_t k) const;
  std::string anchor_hex() const { return secret_hex(0); }

 private:
  std::int64_t id_ = 0;
  std::vector<std::array<unsigned char, 32>> links_;  // links_[k] = s_k
};

}  // namespace dia::service
