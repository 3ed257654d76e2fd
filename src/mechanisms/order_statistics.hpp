// Distribution of the highest and second-highest of n i.i.d. values through the binomial count of
// values above a threshold (internal; docs/model.md#classic). With s = P(V >= t) (or P(V > t)), the
// number of the n values beyond t is Binomial(n, s), so
//   P(highest beyond t)        = P(Bin(n, s) >= 1) = 1 - (1 - s)^n,
//   P(second highest beyond t) = P(Bin(n, s) >= 2) = 1 - (1 - s)^n - n s (1 - s)^(n-1).
// Both are computed without cancellation when s is tiny (far upper tails).
#pragma once

#include <cmath>

namespace dia::detail {

// (1 - s)^k for s in [0, 1] and k >= 0, accurate for s near 0.
inline double complement_power(double s, double k) {
  if (k == 0) return 1.0;
  if (s >= 1.0) return 0.0;
  return std::exp(k * std::log1p(-s));
}

// P(Bin(n, s) >= 1) = 1 - (1 - s)^n.
inline double binomial_at_least_one(int n, double s) {
  if (s >= 1.0) return 1.0;
  return -std::expm1(n * std::log1p(-s));
}

// P(Bin(n, s) >= 2). For n s < 1/4 the series sum_{j >= 2} C(n, j) s^j (1 - s)^(n - j) (terms
// falling by a factor < n s / (3 (1 - s)) < 0.09); otherwise 1 - (1 - s)^(n - 1) (1 + (n - 1) s),
// which then loses at most a digit and a half.
inline double binomial_at_least_two(int n, double s) {
  if (n < 2 || s <= 0.0) return 0.0;
  if (s >= 1.0) return 1.0;
  const double nn = n;
  if (nn * s < 0.25) {
    const double ratio = s / (1.0 - s);
    double term = 0.5 * nn * (nn - 1.0) * s * s * complement_power(s, nn - 2.0);
    double sum = term;
    for (int j = 2; j < n && term > 1e-18 * sum; ++j) {
      term *= (nn - j) / (j + 1.0) * ratio;
      sum += term;
    }
    return sum;
  }
  return -std::expm1((nn - 1.0) * std::log1p(-s) + std::log1p((nn - 1.0) * s));
}

// (F_hi^n - F_lo^n) for 0 <= F_lo <= F_hi <= 1 given F_hi, (1 - F_hi) and the mass
// m = F_hi - F_lo computed directly: F_hi^n (1 - (1 - m / F_hi)^n), without cancellation.
inline double power_difference(int n, double f_hi, double s_hi, double mass) {
  if (mass <= 0.0 || f_hi <= 0.0) return 0.0;
  const double top = s_hi < 0.5 ? complement_power(s_hi, n) : std::pow(f_hi, n);
  if (mass >= f_hi) return top;
  return top * -std::expm1(n * std::log1p(-mass / f_hi));
}

}  // namespace dia::detail
