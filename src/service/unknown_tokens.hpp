// The bound on database reads for bearer tokens that memory does not know (several nodes on
// PostgreSQL: such a token may be one another node issued since this node last read, so it is
// looked up). Without a bound, an anonymous client sending made-up tokens makes the house read
// the database at will (docs/api.md, "Threat model"). Two bounds, on the IO thread:
// - a token just found unknown is refused from memory for kUnknownTokenMs (at most
//   kUnknownTokenEntries of them, the oldest out first), and all are forgotten as soon as this
//   node learns of any token (the registry's generation moves: an enrollment here, another
//   node's rows merged, a reload);
// - at most kTokenLookupsPerSecond lookups per second over all clients (a token bucket holding
//   as many), however many distinct tokens or clients: beyond, the request is refused with 429
//   (the token may be valid), never looked up.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dia::service {

inline constexpr std::int64_t kUnknownTokenMs = 1'000;
inline constexpr std::size_t kUnknownTokenEntries = 4'096;
inline constexpr double kTokenLookupsPerSecond = 50;

class UnknownTokens {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Verdict {
    kLookUp,   // ask the database (one lookup of the budget is spent)
    kUnknown,  // found unknown a moment ago: 401 without asking
    kBusy,     // the budget is spent: 429 without asking
  };

  // What to do with a token memory does not know; `generation` is the registry's now.
  Verdict screen(const std::string& token_sha256, std::uint64_t generation, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    forget_if_moved(generation);
    if (const auto it = unknown_.find(token_sha256); it != unknown_.end()) {
      if (now - it->second < std::chrono::milliseconds(kUnknownTokenMs)) return Verdict::kUnknown;
      unknown_.erase(it);
    }
    if (now > refilled_) {  // (another thread may have refilled at a later `now`)
      const double elapsed = std::chrono::duration<double>(now - refilled_).count();
      budget_ = std::min(kTokenLookupsPerSecond, budget_ + elapsed * kTokenLookupsPerSecond);
      refilled_ = now;
    }
    if (budget_ < 1) return Verdict::kBusy;
    budget_ -= 1;
    return Verdict::kLookUp;
  }

  // The database does not know the token either (`generation`: the registry's before the lookup).
  void remember(const std::string& token_sha256, std::uint64_t generation, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    forget_if_moved(generation);
    if (generation < generation_) return;  // a token was issued during the lookup
    if (unknown_.insert_or_assign(token_sha256, now).second) order_.push_back(token_sha256);
    while (order_.size() > kUnknownTokenEntries) {
      unknown_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  // Generations only grow: an older one (a lookup that began before the last change) is ignored.
  void forget_if_moved(std::uint64_t generation) {
    if (generation <= generation_) return;
    generation_ = generation;
    unknown_.clear();
    order_.clear();
  }

  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Clock::time_point> unknown_;  // when found unknown
  std::deque<std::string> order_;                               // insertion order, for eviction
  double budget_ = kTokenLookupsPerSecond;
  Clock::time_point refilled_ = Clock::now();
};

}  // namespace dia::service
