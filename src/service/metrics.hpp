// The request and group-commit metrics of dia serve, written in the Prometheus text exposition
// format (version 0.0.4) for GET /metrics. Recording is a short critical section per request (a
// hash lookup and a few additions); the text is built only when scraped.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dia::service {

// A histogram with fixed upper bounds (the last bucket is +Inf): counts per bucket, sum, count.
template <std::size_t N>
struct Histogram {
  std::array<std::uint64_t, N + 1> buckets{};  // not cumulative; the exposition sums them
  std::int64_t sum = 0;                        // in the unit of the bounds' scale (micros, jobs)
  void add(const std::array<std::int64_t, N>& bounds, std::int64_t value);
};

// Latency bounds in microseconds (written as seconds): 0.25 ms to 2.5 s.
inline constexpr std::array<std::int64_t, 12> kLatencyMicros{
    250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 1'000'000, 2'500'000};
// Group sizes in requests: powers of two up to --max-batch's default.
inline constexpr std::array<std::int64_t, 11> kGroupSizes{1,  2,   4,   8,   16,  32,
                                                          64, 128, 256, 512, 1024};

class Metrics {
 public:
  // One answered request. method and route must outlive the Metrics (static strings, or the
  // route table's patterns): they are keys, not copies.
  void request(std::string_view method, std::string_view route, int status, std::int64_t micros);
  // One group commit: how many requests it carried and how long the transaction took.
  void group_commit(std::size_t requests, std::int64_t micros);
  // One bearer token that memory did not know looked up in the database (several nodes).
  void token_lookup() { token_lookups_.fetch_add(1, std::memory_order_relaxed); }
  // The families above in the text format (HELP, TYPE, one sample per line).
  std::string text() const;

 private:
  struct Key {
    std::string_view method, route;
    int status = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  mutable std::mutex mutex_;
  std::unordered_map<Key, Histogram<kLatencyMicros.size()>, KeyHash> requests_;
  Histogram<kGroupSizes.size()> group_sizes_;
  Histogram<kLatencyMicros.size()> group_micros_;
  std::atomic<std::uint64_t> token_lookups_ = 0;
};

// A label value as the text format quotes it (backslash, double quote and newline escaped).
std::string prometheus_label(std::string_view value);

}  // namespace dia::service
