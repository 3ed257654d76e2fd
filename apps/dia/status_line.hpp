// The status line of `dia simulate` on stderr (apps/dia only): drawn only on a terminal and once
// the command has taken a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace dia::cli {

// A status line on stderr, drawn only on a terminal and once the command has taken a second:
// a progress bar while the auctions run, otherwise the current phase (designing, the audit, ...)
// with its elapsed time, redrawn by a ticker thread.
class StatusLine {
 public:
  explicit StatusLine(bool enabled) : enabled_(enabled), start_(clock::now()) {
    if (enabled_) ticker_ = std::jthread([this](std::stop_token stop) { tick(stop); });
  }
  ~StatusLine() {
    if (!enabled_) return;
    ticker_.request_stop();
    ticker_.join();
    if (drawn_) std::fputs("\r\033[K", stderr);
  }
  void phase(const char* name) {
    const std::lock_guard lock(mutex_);
    phase_ = name;
    phase_start_ = clock::now();
    fraction_ = -1;
  }
  void progress(double fraction, std::uint64_t done) {
    const std::lock_guard lock(mutex_);
    if (fraction_ < 0) phase_start_ = clock::now();
    fraction_ = fraction;
    done_ = done;
  }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds_since(clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
  }
  void tick(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const std::lock_guard lock(mutex_);
      if (seconds_since(start_) < 1.0) continue;
      constexpr int kWidth = 30;
      const double elapsed = seconds_since(phase_start_);
      if (fraction_ >= 0) {
        const int filled = static_cast<int>(fraction_ * kWidth);
        std::fprintf(stderr, "\r\033[Ksimulating [%s%s] %3.0f%%  %.3g auctions/s",
                     std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                     100 * fraction_, elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0);
      } else {
        std::fprintf(stderr, "\r\033[K%s ... %.0f s", phase_.c_str(), elapsed);
      }
      std::fflush(stderr);
      drawn_ = true;
    }
  }

  bool enabled_, drawn_ = false;
  clock::time_point start_, phase_start_ = clock::now();
  std::mutex mutex_;
  std::string phase_ = "starting";
  double fraction_ = -1;
  std::uint64_t done_ = 0;
  std::jthread ticker_;
};

}  // namespace dia::cli
