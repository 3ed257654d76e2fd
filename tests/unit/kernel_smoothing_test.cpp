// kernel_smoothed: Silverman's bandwidth and the reflected Gaussian kernel CDF, worked by hand.
#include "report/kernel_smoothing.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

double phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// The values 1..10, equally likely, N = 10: sd = sqrt(8.25), the quartiles 3 and 8 (IQR/1.34 =
// 3.73 > sd), so h = 0.9 sqrt(8.25) 10^(-1/5). The smoothed CDF at x is the mean of
// Phi((x - i)/h) + Phi((x + i)/h) - 1 over i = 1..10; 1000 equal-mass atoms follow it within
// one atom's mass.
TEST(KernelSmoothing, SilvermanBandwidthAndTheReflectedKernel) {
  auto sample = dia::parse_distribution(
      "discrete(1:0.1,2:0.1,3:0.1,4:0.1,5:0.1,6:0.1,7:0.1,"
      "8:0.1,9:0.1,10:0.1)");
  ASSERT_TRUE(sample.has_value());
  const auto smoothed = dia::detail::kernel_smoothed(**sample, 10, 1000);
  ASSERT_TRUE(smoothed.has_value()) << smoothed.error().line();
  const double h = 0.9 * std::sqrt(8.25) * std::pow(10.0, -0.2);
  EXPECT_NEAR(smoothed->bandwidth, h, 1e-12);
  const auto& d = *smoothed->distribution;
  EXPECT_EQ(d.atoms().values.size(), 1000u);
  EXPECT_GE(d.lower(), 0.0);  // reflected at 0
  for (double x : {0.5, 2.0, 5.5, 9.0, 12.0}) {
    double f = 0;
    for (int i = 1; i <= 10; ++i) f += 0.1 * (phi((x - i) / h) + phi((x + i) / h) - 1);
    EXPECT_NEAR(d.cdf(x), f, 1.5e-3) << x;
  }
}

TEST(KernelSmoothing, ASingleValueHasNothingToSmooth) {
  auto sample = dia::parse_distribution("discrete(3:1)");
  ASSERT_TRUE(sample.has_value());
  EXPECT_FALSE(dia::detail::kernel_smoothed(**sample, 50, 100).has_value());
}

}  // namespace
