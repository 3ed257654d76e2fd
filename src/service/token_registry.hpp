// Who holds which bearer token (stored and looked up as SHA-256). Every handler thread reads it
// to authenticate a request before parsing anything; only the writer thread changes it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
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
      token_of_ = std::move(other.token_of_);
      generation_ += other.generation_ + 1;
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
  // The principal's token from now on: the one it held before no longer authenticates.
  void add(const std::string& token_sha256, Principal who) {
    std::unique_lock lock(mutex_);
    auto& held = token_of_[who.id];
    if (held != token_sha256) tokens_.erase(held);
    held = token_sha256;
    tokens_[token_sha256] = std::move(who);
    ++generation_;
  }
  void remove(const std::string& token_sha256) {
    std::unique_lock lock(mutex_);
    const auto it = tokens_.find(token_sha256);
    if (it == tokens_.end()) return;
    token_of_.erase(it->second.id);
    tokens_.erase(it);
  }
  // Grows whenever a token is added or the tokens are replaced (UnknownTokens forgets then).
  std::uint64_t generation() const { return generation_; }
  // Every token hash and its principal's id, in order (House::state_text).
  std::map<std::string, std::int64_t> ids() const {
    std::shared_lock lock(mutex_);
    std::map<std::string, std::int64_t> out;
    for (const auto& [hash, who] : tokens_) out.emplace(hash, who.id);
    return out;
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Principal> tokens_;
  std::unordered_map<std::int64_t, std::string> token_of_;  // by principal
  std::atomic<std::uint64_t> generation_ = 0;
};

}  // namespace dia::service
