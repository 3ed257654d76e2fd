// A status line on stderr for the commands that can take more than a second: drawn only on a
// terminal, not with --quiet, and only once the command has run for a second. A progress bar
// with the rate and the time left while the auctions run, otherwise the current phase
// (designing, the audit, ...) with its elapsed time, redrawn by a ticker thread.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace dia::cli {

class StatusLine {
 public:
  explicit StatusLine(bool quiet) : enabled_(!quiet && ::isatty(STDERR_FILENO)) {
    if (enabled_) ticker_ = std::jthread([this](std::stop_token stop) { tick(stop); });
  }
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;
  ~StatusLine() { clear(); }

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
  // A phase of equal steps (numbers of bidders, bootstrap designs): returns the callback to call
  // with (steps done, steps in all) after each, which draws the bar and the time left by steps.
  auto steps(const char* name) {
    phase(name);
    progress(0.0, 0);  // the time left counts from here
    return [this](std::size_t done, std::size_t all) {
      progress(all > 0 ? static_cast<double>(done) / static_cast<double>(all) : 0.0, done);
    };
  }
  // Stops the ticker and erases the line, before the command prints its result.
  void clear() {
    if (!enabled_) return;
    enabled_ = false;
    ticker_.request_stop();
    ticker_.join();
    if (drawn_) std::fputs("\r\033[K", stderr);
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
      if (fraction_ > 0) {
        const int filled = static_cast<int>(fraction_ * kWidth);
        std::fprintf(stderr, "\r\033[K%s [%s%s] %3.0f%%  %.3g/s  about %.0f s left", phase_.c_str(),
                     std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                     100 * fraction_, elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0,
                     elapsed * (1 - fraction_) / fraction_);
      } else {
        std::fprintf(stderr, "\r\033[K%s ... %.0f s", phase_.c_str(), elapsed);
      }
      std::fflush(stderr);
      drawn_ = true;
    }
  }

  bool enabled_, drawn_ = false;
  clock::time_point start_ = clock::now(), phase_start_ = clock::now();
  std::mutex mutex_;
  std::string phase_ = "starting";
  double fraction_ = -1;
  std::uint64_t done_ = 0;
  std::jthread ticker_;
};

}  // namespace dia::cli
