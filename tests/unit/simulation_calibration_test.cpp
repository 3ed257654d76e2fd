// Calibrated standard errors: for each mechanism, 400 independent runs (seeds 1..400) of 10^5
// auctions give z = (mean - expected) / stderr, which must look like N(0, 1): a chi-square
// goodness-of-fit test on 20 equiprobable bins of N(0, 1) (shape), and sum z^2 against
// chi-square(400) (scale: an understated stderr inflates every z). The seeds are fixed, so the
// verdict is deterministic; each test fails only below p = 1e-3, which a calibrated estimate of
// these seeds clears (the p-values are printed). bench/simulate_long_run.sh is the 10^8 run.
#include <gtest/gtest.h>

#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "dia/simulation.hpp"

namespace {

using dia::SimulatedMechanism;

constexpr int kRuns = 400;
constexpr std::uint64_t kAuctions = 100000;
constexpr int kBins = 20;
constexpr double kAlpha = 1e-3;

struct Calibration {
  double shape_p = 0;  // chi-square goodness of fit of the z's to N(0, 1), 19 degrees
  double scale_p = 0;  // two-sided: sum z^2 against chi-square(kRuns)
  double mean_z = 0;   // ~ N(0, 1 / kRuns)
  double mean_z2 = 0;  // ~ 1
};

Calibration calibrate(const std::string& spec, SimulatedMechanism mechanism, int bidders) {
  auto d = dia::parse_distribution(spec);
  EXPECT_TRUE(d.has_value()) << spec;
  dia::SimulationConfig config;
  config.mechanism = mechanism;
  config.bidders = bidders;
  auto sim = dia::Simulator::create(*d, config);
  EXPECT_TRUE(sim.has_value()) << spec;
  const boost::math::normal normal;
  std::array<int, kBins> counts{};
  double sum = 0, sum2 = 0;
  for (int seed = 1; seed <= kRuns; ++seed) {
    const auto r = sim->run(kAuctions, static_cast<std::uint64_t>(seed), 2);
    EXPECT_GT(r.revenue_stderr, 0) << spec;
    const double z = (r.revenue_mean - sim->expected_revenue()) / r.revenue_stderr;
    sum += z;
    sum2 += z * z;
    const double u = boost::math::cdf(normal, z);  // uniform on [0, 1] if z ~ N(0, 1)
    ++counts[std::min(kBins - 1, static_cast<int>(u * kBins))];
  }
  const double expected = static_cast<double>(kRuns) / kBins;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  Calibration out;
  out.shape_p =
      boost::math::cdf(boost::math::complement(boost::math::chi_squared(kBins - 1), chi2));
  const boost::math::chi_squared scale(kRuns);
  out.scale_p = 2 * std::min(boost::math::cdf(scale, sum2),
                             boost::math::cdf(boost::math::complement(scale, sum2)));
  out.mean_z = sum / kRuns;
  out.mean_z2 = sum2 / kRuns;
  return out;
}

void expect_calibrated(const std::string& spec, SimulatedMechanism mechanism, int bidders) {
  const Calibration c = calibrate(spec, mechanism, bidders);
  const std::string what = spec + " " + dia::to_string(mechanism) + " n=" + std::to_string(bidders);
  std::cout << what << ": shape p = " << c.shape_p << ", scale p = " << c.scale_p
            << ", mean z = " << c.mean_z << ", mean z^2 = " << c.mean_z2 << "\n";
  EXPECT_GT(c.shape_p, kAlpha) << what;
  EXPECT_GT(c.scale_p, kAlpha) << what;
  // sum z ~ N(0, kRuns): |mean z| beyond 3.3 / sqrt(kRuns) has p < 1e-3.
  EXPECT_LT(std::abs(c.mean_z), 3.3 / std::sqrt(kRuns)) << what;
}

TEST(Calibration, InspectionRuleOnAQuantileGrid) {
  expect_calibrated("uniform(0,1)", SimulatedMechanism::kInspection, 2);
}

TEST(Calibration, InspectionRuleOnAtoms) {
  expect_calibrated("discrete(1:0.5,2:0.3,3:0.2)", SimulatedMechanism::kInspection, 1);
}

// q = X/G > 1 at the bottom: the design runs as the Border lottery.
TEST(Calibration, BorderLottery) {
  expect_calibrated("uniform(1,2)", SimulatedMechanism::kInspection, 2);
}

TEST(Calibration, ClassicMechanisms) {
  expect_calibrated("uniform(0,1)", SimulatedMechanism::kSecondPrice, 2);
  expect_calibrated("uniform(0,1)", SimulatedMechanism::kMyerson, 2);
  expect_calibrated("exponential(1)", SimulatedMechanism::kSecondPriceReserve, 3);
}

// Revenue per auction is 3 (a sale at the posted price 3) or 0 (unsold) for one bidder with
// values 1 or 3 (Myerson posts 3: 1.5 > 1). With S sales in N auctions the sample variance is
// exactly 9 r (1 - r) N / (N - 1), r = S / N, so stderr = 3 sqrt(r (1 - r) / (N - 1)): the unsold
// auctions' zeros are half of it.
TEST(Calibration, StandardErrorCountsTheUnsoldAuctions) {
  auto d = dia::parse_distribution("discrete(1:0.5,3:0.5)");
  ASSERT_TRUE(d.has_value());
  dia::SimulationConfig config;
  config.mechanism = SimulatedMechanism::kMyerson;
  auto sim = dia::Simulator::create(*d, config);
  ASSERT_TRUE(sim.has_value());
  EXPECT_NEAR(sim->expected_revenue(), 1.5, 1e-12);
  const std::uint64_t n = 300000;
  const auto r = sim->run(n, 5, 2);
  const double rate = r.sale_rate;
  ASSERT_GT(rate, 0.4);
  ASSERT_LT(rate, 0.6);
  EXPECT_NEAR(r.revenue_mean, 3 * rate, 1e-12);
  EXPECT_NEAR(r.revenue_stderr, 3 * std::sqrt(rate * (1 - rate) / static_cast<double>(n - 1)),
              1e-9 * r.revenue_stderr);
}

// A coarse grid makes the grid rule's tie-breaking visible: on 4 equal-mass cells of uniform(0,1)
// with 3 bidders, the chance of being highest in cell k is the cell average
// (F_k^3 - F_(k-1)^3) / (3 / 4), 0.771 in the top cell, not F_k^2 = 1. This design runs as the
// highest-bidder lottery (q = X / G <= 1; finer grids need the Border lottery), which must play
// the designed X with that G, so the simulated revenue is the design's.
TEST(Calibration, TheGridRuleOnCoarseCellsEarnsTheDesign) {
  auto d = dia::parse_distribution("uniform(0,1)");
  ASSERT_TRUE(d.has_value());
  dia::SimulationConfig config;
  config.mechanism = SimulatedMechanism::kInspection;
  config.bidders = 3;
  config.design.grid = 4;
  auto sim = dia::Simulator::create(*d, config);
  ASSERT_TRUE(sim.has_value()) << sim.error().line();
  const auto r = sim->run(1000000, 9, 2);
  EXPECT_LT(std::abs(r.revenue_mean - sim->expected_revenue()), 4 * r.revenue_stderr)
      << r.revenue_mean << " vs " << sim->expected_revenue() << " +- " << r.revenue_stderr;
}

}  // namespace
