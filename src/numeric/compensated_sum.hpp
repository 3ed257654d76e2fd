// Neumaier's compensated summation in long double: sums of a million terms stay accurate to
// ~1e-19 relative, which the 1e-12 primal-dual agreement of the audit needs.
#pragma once

#include <cmath>

namespace dia::detail {

class CompensatedSum {
 public:
  void add(long double term) {
    const long double t = sum_ + term;
    if (std::fabs(sum_) >= std::fabs(term)) {
      correction_ += (sum_ - t) + term;
    } else {
      correction_ += (term - t) + sum_;
    }
    sum_ = t;
  }
  double value() const { return static_cast<double>(sum_ + correction_); }

 private:
  long double sum_ = 0;
  long double correction_ = 0;
};

}  // namespace dia::detail
