// Who holds which bearer token (stored and looked up as SHA-256). Every handler thread reads it
// to authenticate a request before parsing anything; only the writer thread changes it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace dia::service {

struct Principal {
  std::int64_t id = 0;
  std::string role;  // operator, bidder, inspector, exchange
  std::string name;
};

class TokenRegistry {
 public:
  TokenRegistry() = default;
  // Takes over other's tokens at once (a reloaded house's), under both locks.
  TokenRegistry& operator=(TokenRegistry&& other) {
    if (this != &other) {
      std::scoped_lock lock(mutex_, other.mutex_);
      tokens_ = std::move(other.tokens_);
    }
    return *this;
  }
  std::optional<Principal> find(const std::string& token_sha256) const {
    if (token_sha256.empty()) return std::nullopt;
    std::shared_lock lock(mutex_);
    const auto it = tokens_.find(token_sha256);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
  }
  void add(const std::string& token_sha256, Principal who) {
    std::unique_lock lock(mutex_);
    tokens_[token_sha256] = std::move(who);
  }
  void remove(const std::string& token_sha256) {
    std::unique_lock lock(mutex_);
    tokens_.erase(token_sha256);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Principal> tokens_;
};

}  // namespace dia::service
