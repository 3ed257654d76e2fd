// Golden tests of `dia design` through the real CLI, against numbers derived independently:
// closed forms, hand computation, or a second method written here in the test.
#include <gtest/gtest.h>

#include <cmath>

#include "support/run_cli.hpp"

namespace {

using dia::testing::run_cli;
const double kGoldenRatio = (1 + std::sqrt(5.0)) / 2;

TEST(DesignGolden, UniformZeroOneMatchesClosedForm) {
  // docs/model.md#example-uniform: inspection (sqrt5 - 1)/4, Myerson 1/4; the (ODE) with f = 1 is
  // linear, its trajectory is theta = golden ratio * w, so the cutoff is 1/golden ratio.
  const auto run = run_cli({"design", "--values", "uniform(0,1)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), (std::sqrt(5.0) - 1) / 4, 1e-9);
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), 0.25, 1e-9);
  EXPECT_NEAR(j["revenue"]["posted_price"].get<double>(), 0.25, 1e-9);
  EXPECT_NEAR(j["revenue"]["second_price"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(j["cutoff"].get<double>(), 1 / kGoldenRatio, 1e-6);
  EXPECT_TRUE(j["audit"]["passed"].get<bool>());
  EXPECT_LT(j["audit"]["dual_gap"].get<double>(), 1e-12);
  EXPECT_EQ(j["mechanism"].size(), 101u);
}

TEST(DesignGolden, ThreePointExampleByHand) {
  // docs/model.md#example-three-types, checked by hand: X = (1/2, 1, 1), U = (0, 1/2, 1), revenue
  // .5*(1*.5) + .3*(2 - .5) + .2*(3 - 1) = .25 + .45 + .4 = 1.1; posted price 1 earns 1.0.
  const auto run =
      run_cli({"design", "--values", "discrete(1:0.5,2:0.3,3:0.2)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), 1.1, 1e-12);
  EXPECT_NEAR(j["revenue"]["posted_price"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(j["cutoff"].get<double>(), 2.0, 0);
  const auto& rows = j["mechanism"];
  ASSERT_EQ(rows.size(), 3u);
  const double x[] = {0.5, 1, 1}, u[] = {0, 0.5, 1};
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(rows[k]["allocation"].get<double>(), x[k], 1e-12);
    EXPECT_NEAR(rows[k]["rent"].get<double>(), u[k], 1e-12);
  }
  EXPECT_TRUE(rows[0]["best_alternative_bid"].is_null());
  EXPECT_NEAR(rows[2]["winner_reward"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(rows[1]["winner_net_payment"].get<double>(), 1.5, 1e-12);
  EXPECT_LT(j["audit"]["dual_gap"].get<double>(), 1e-12);
}

// Uniform(a,b), a > 0: with f constant the (ODE) is the linear system dw/ds = theta - w,
// dtheta/ds = w with eigenvalues 1/phi and -phi. From (a, a):
//   w(s) = a/sqrt5 (phi e^{s/phi} + e^{-phi s}/phi), theta(s) = a/sqrt5 (phi^2 e^{s/phi} - e^{-phi
//   s}/phi^2).
// Solve theta(s*) = b by bisection; the cutoff is w(s*) and revenue = (b^2 - c^2) / (2 (b - a)).
TEST(DesignGolden, UniformOneTwoByClosedFormTrajectory) {
  const double a = 1, b = 2, phi = kGoldenRatio, r5 = std::sqrt(5.0);
  auto w = [&](double s) { return a / r5 * (phi * std::exp(s / phi) + std::exp(-phi * s) / phi); };
  auto theta = [&](double s) {
    return a / r5 * (phi * phi * std::exp(s / phi) - std::exp(-phi * s) / (phi * phi));
  };
  double lo = 0, hi = 10;
  for (int i = 0; i < 200; ++i) (theta((lo + hi) / 2) < b ? lo : hi) = (lo + hi) / 2;
  const double c = w(lo), revenue = (b * b - c * c) / (2 * (b - a));
  const auto run = run_cli({"design", "--values", "uniform(low=1,high=2)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["values"], "uniform(low=1, high=2)");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), revenue, 1e-9);
  EXPECT_NEAR(j["cutoff"].get<double>(), c, 1e-7);
  // Myerson for uniform(1,2): phi(v) = 2v - 2 >= 0 everywhere, so price 1... check: revenue
  // p (2 - p) is maximised at p = 1 on [1, 2]: posted price 1, revenue 1.
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), 1.0, 1e-9);
}

// Exponential(1) has no closed form. Second method, written here: fixed-step RK4 on the original
// parametrisation dw/ds = (theta - w) f(theta), dtheta/ds = w f(w) from (eps, phi eps) until
// theta = 40 (the rest of the path moves w by less than E[v; v >= 40]/(c f(c)) ~ 1e-16), then
// revenue = E[v ; v >= c] = e^{-c} (c + 1). Step halving shows the RK4 error is below 1e-10.
TEST(DesignGolden, ExponentialBySecondMethod) {
  auto f = [](double x) { return std::exp(-x); };
  auto cutoff = [&](double h) {
    double w = 1e-8, th = kGoldenRatio * 1e-8;
    auto dw = [&](double w_, double t_) { return (t_ - w_) * f(t_); };
    auto dt = [&](double w_, double) { return w_ * f(w_); };
    while (th < 40) {
      const double k1w = dw(w, th), k1t = dt(w, th);
      const double k2w = dw(w + h / 2 * k1w, th + h / 2 * k1t), k2t = dt(w + h / 2 * k1w, th);
      const double k3w = dw(w + h / 2 * k2w, th + h / 2 * k2t), k3t = dt(w + h / 2 * k2w, th);
      const double k4w = dw(w + h * k3w, th + h * k3t), k4t = dt(w + h * k3w, th);
      w += h / 6 * (k1w + 2 * k2w + 2 * k3w + k4w);
      th += h / 6 * (k1t + 2 * k2t + 2 * k3t + k4t);
    }
    return w;
  };
  const double c1 = cutoff(0.01), c2 = cutoff(0.005);
  ASSERT_NEAR(c1, c2, 1e-7);
  const double revenue = std::exp(-c2) * (c2 + 1);
  const auto run = run_cli({"design", "--values", "exponential(mean=1)", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = run.json();
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_NEAR(j["revenue"]["inspection"].get<double>(), revenue, 1e-8);
  EXPECT_NEAR(j["cutoff"].get<double>(), c2, 1e-6);
  EXPECT_NEAR(j["revenue"]["myerson"].get<double>(), std::exp(-1.0), 1e-9);
}

}  // namespace
