// The winner's reward in exact micro-units (see dia/lottery.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dia/error.hpp"
#include "dia/lottery.hpp"

namespace dia {
namespace {

__extension__ using U128 = unsigned __int128;  // GCC and Clang: d * Ma needs 116 bits

// floor(d * a / b) for d >= 0 and 0 < a <= b, exactly: a = Ma 2^ea, b = Mb 2^eb with 53-bit
// integer mantissas, so d a / b = d Ma / (Mb 2^(eb - ea)) in 128-bit integers.
Micros floor_scaled(Micros d, double a, double b) {
  int ea = 0, eb = 0;
  const auto ma = static_cast<std::uint64_t>(std::ldexp(std::frexp(a, &ea), 53));
  const auto mb = static_cast<std::uint64_t>(std::ldexp(std::frexp(b, &eb), 53));
  const int shift = eb - ea;
  DIA_CHECK(shift >= 0);
  if (shift > 64) return 0;  // the denominator exceeds 2^116 > d * Ma
  const U128 numerator = static_cast<U128>(d) * ma;
  const U128 denominator = static_cast<U128>(mb) << shift;
  return static_cast<Micros>(numerator / denominator);
}

// A grid value in micros: the whole number it is within 1e-6 micro of, else rounded up.
Micros grid_micros(double value) {
  const long double scaled = static_cast<long double>(value) * kMicrosPerUnit;
  const long double nearest = std::round(scaled);
  return static_cast<Micros>(std::abs(scaled - nearest) <= 1e-6L ? nearest : std::ceil(scaled));
}

}  // namespace

Micros winner_reward_micros(const std::vector<double>& values,
                            const std::vector<double>& allocation, Micros bid) {
  DIA_CHECK(values.size() == allocation.size());
  // X(w) is the step of the largest grid value <= w, as the ex post rules take it.
  const double w = static_cast<double>(bid) / double(kMicrosPerUnit);
  const auto step =
      static_cast<std::size_t>(std::upper_bound(values.begin(), values.end(), w) - values.begin());
  if (step == 0 || !(allocation[step - 1] > 0)) return 0;
  const double x = allocation[step - 1];
  // A pass in doubles first: each estimate is within 1 micro (a grid value's rounding to micros)
  // plus rounding of the exact value, so only bids within 2 micros of the best estimate can be
  // the maximum, and only they are evaluated exactly (a 10^5-value grid costs ~0.1 ms, not 3).
  auto estimate = [&](std::size_t i) {
    return (static_cast<double>(bid) - values[i] * double(kMicrosPerUnit)) *
           std::min(allocation[i], x) / x;
  };
  double best_estimate = 0;
  for (std::size_t i = 0; i < step; ++i) best_estimate = std::max(best_estimate, estimate(i));
  const double margin = 2 + 1e-12 * static_cast<double>(bid);
  Micros best = 0;
  for (std::size_t i = 0; i < step; ++i) {
    if (!(allocation[i] > 0) || estimate(i) < best_estimate - margin) continue;
    const Micros d = bid - grid_micros(values[i]);
    if (d > 0) best = std::max(best, floor_scaled(d, std::min(allocation[i], x), x));
  }
  return std::min(best, bid);
}

}  // namespace dia
