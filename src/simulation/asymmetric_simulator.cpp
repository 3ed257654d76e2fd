// The asymmetric simulator (see asymmetric_simulation.hpp): building it from a mechanism, and the
// Monte Carlo run in fixed blocks (simulation/block_runner.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "simulation/asymmetric_model.hpp"
#include "simulation/block_runner.hpp"
#include "simulation/classic_rule.hpp"
#include "simulation/random.hpp"

namespace dia {
namespace {

using Model = AsymmetricSimulator::Model;
constexpr std::size_t kArrayBidders = detail::ClassicRule::kMaxBidders;  // >= kMaxBidders

// Sums of one block: the total and each bidder's net payments around their expected values
// (sold auctions only; the unsold ones are added at the end of the block).
struct BlockSum {
  struct Bidder {
    double deviation = 0, deviation2 = 0, reward = 0;
    std::uint64_t wins = 0;
  };
  double deviation = 0, deviation2 = 0, reward = 0;
  std::uint64_t auctions = 0, sales = 0, lower = 0, denied = 0;
  std::vector<Bidder> bidders;
};

BlockSum run_block(const Model& m, std::uint64_t seed, std::uint64_t block, std::uint64_t count,
                   double shift) {
  pcg64 rng = detail::block_stream(seed, block);
  const std::size_t n = m.mechanism.bidders.size();
  std::array<std::uint32_t, kArrayBidders> types{};
  BlockSum s;
  s.auctions = count;
  s.bidders.resize(n);
  for (std::uint64_t a = 0; a < count; ++a) {
    double top = 0;
    for (std::size_t i = 0; i < n; ++i) {
      types[i] = m.samplers[i](rng);
      top = std::max(top, m.value(i, types[i]));
    }
    const Model::Sale sale = m.play({types.data(), n}, rng);
    if (sale.winner < 0) continue;
    const auto i = static_cast<std::size_t>(sale.winner);
    ++s.sales;
    s.lower += m.value(i, types[i]) < top;
    s.denied += sale.denied;
    s.deviation += sale.payment - shift;
    s.deviation2 += (sale.payment - shift) * (sale.payment - shift);
    s.reward += sale.reward;
    BlockSum::Bidder& b = s.bidders[i];
    const double d = sale.payment - m.expected[i].revenue_expected;
    b.deviation += d;
    b.deviation2 += d * d;
    b.reward += sale.reward;
    ++b.wins;
  }
  const auto unsold = static_cast<double>(count - s.sales);
  s.deviation -= unsold * shift;
  s.deviation2 += unsold * shift * shift;
  for (std::size_t i = 0; i < n; ++i) {
    const double others = static_cast<double>(count - s.bidders[i].wins);
    const double e = m.expected[i].revenue_expected;
    s.bidders[i].deviation -= others * e;
    s.bidders[i].deviation2 += others * e * e;
  }
  return s;
}

// Inspection: each type's reward and each bidder's expected revenue and sale probability.
void tabulate_inspection(Model& model) {
  const AsymmetricMechanism& mechanism = model.mechanism;
  for (std::size_t i = 0; i < mechanism.bidders.size(); ++i) {
    const auto& t = mechanism.bidders[i];
    const auto& r = mechanism.reduced[i];
    std::vector<double> reward(t.size(), 0.0);
    long double revenue = 0, noise_free = 0, sale = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const double x = r.allocation[k];
      if (x > 0) reward[k] = mechanism.reward_scale * std::min(t.values[k], r.rent[k] / x);
      const double rent = mechanism.reward_scale * r.rent[k];
      revenue += t.probabilities[k] * (t.values[k] * x - rent * model.paid_probability);
      noise_free += t.probabilities[k] * (t.values[k] * x - rent);
      sale += t.probabilities[k] * x;
    }
    model.reward.push_back(std::move(reward));
    BidderMonteCarlo e;
    e.revenue_expected = static_cast<double>(revenue);
    e.sale_probability = static_cast<double>(sale);
    model.expected.push_back(e);
    model.expected_revenue += e.revenue_expected;
    model.designed_revenue += static_cast<double>(noise_free);
  }
}

// Classic: the rule, each bidder's expected payment and sale probability from its exact interim
// table, and the revenue of asymmetric_classic_revenues beside it.
void tabulate_classic(Model& model) {
  const AsymmetricMechanism& mechanism = model.mechanism;
  const AsymmetricClassicRevenues classic = asymmetric_classic_revenues(mechanism.bidders);
  model.classic.emplace(mechanism.bidders, mechanism.kind, classic);
  for (std::size_t i = 0; i < mechanism.bidders.size(); ++i) {
    const auto& t = mechanism.bidders[i];
    const auto& interim = model.classic->interim(i);
    long double revenue = 0, sale = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
      revenue += t.probabilities[k] * interim.payment[k];
      sale += t.probabilities[k] * interim.allocation[k];
    }
    BidderMonteCarlo e;
    e.revenue_expected = static_cast<double>(revenue);
    e.sale_probability = static_cast<double>(sale);
    model.expected.push_back(e);
    model.expected_revenue += e.revenue_expected;
  }
  switch (mechanism.kind) {
    case SimulatedMechanism::kMyerson:
      model.designed_revenue = classic.myerson;
      break;
    case SimulatedMechanism::kSecondPrice:
      model.designed_revenue = classic.second_price;
      break;
    case SimulatedMechanism::kSecondPriceReserve:
      model.designed_revenue = classic.second_price_anonymous_reserve;
      break;
    default:
      model.designed_revenue = classic.second_price_myerson_reserves;
      break;
  }
}

}  // namespace

Expected<AsymmetricSimulator> AsymmetricSimulator::create(AsymmetricMechanism mechanism) {
  const std::size_t n = mechanism.bidders.size();
  const bool inspection = mechanism.kind == SimulatedMechanism::kInspection;
  if (n < 1 || n > static_cast<std::size_t>(kMaxBidders) ||
      (inspection && mechanism.reduced.size() != n) ||
      (!mechanism.labels.empty() && mechanism.labels.size() != n)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("an asymmetric simulation needs 1..{} bidders, each with its types "
                            "(and for inspection its reduced form)",
                            kMaxBidders));
  }
  if (!(mechanism.reward_scale >= 0 && mechanism.reward_scale <= 1)) {
    return fail(ErrorCode::kInvalidArgument, "--reward-scale must be in [0, 1]");
  }
  if (!inspection && mechanism.noise.active()) {
    return fail(ErrorCode::kInvalidArgument,
                "--inspection-noise applies to --mechanism inspection only",
                "the classic mechanisms do not inspect");
  }
  if (!(mechanism.tolerance >= 0) || !std::isfinite(mechanism.tolerance)) {
    return fail(ErrorCode::kInvalidArgument, "--tolerance must be a finite number >= 0");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = mechanism.bidders[i];
    if (t.size() == 0)
      return fail(ErrorCode::kInvalidArgument, fmt::format("bidder {} has no types", i + 1));
    if (!inspection) continue;
    const auto& r = mechanism.reduced[i];
    if (r.allocation.size() != t.size() || r.rent.size() != t.size()) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("bidder {}: {} types but {} allocations and {} rents", i + 1,
                              t.size(), r.allocation.size(), r.rent.size()));
    }
  }
  if (inspection && !mechanism.rule) {
    std::vector<std::vector<double>> x;
    for (const auto& r : mechanism.reduced) x.push_back(r.allocation);
    auto rule = PriorityRankings::build(mechanism.bidders, x);
    if (!rule) return tl::unexpected(rule.error());
    mechanism.rule = std::make_shared<const PriorityRankings>(std::move(*rule));
  }
  if (inspection && mechanism.rule->bidders() != n) {
    return fail(ErrorCode::kInvalidArgument, "the ex post rule is for another set of bidders");
  }
  if (mechanism.labels.empty()) mechanism.labels.assign(n, "");
  auto model = std::make_shared<Model>();
  model->mechanism = std::move(mechanism);
  const AsymmetricMechanism& m = model->mechanism;
  for (const auto& t : m.bidders) {
    model->samplers.emplace_back(t.probabilities.begin(), t.probabilities.end());
  }
  if (inspection) {
    if (m.noise.active()) {
      model->paid_probability = m.noise.probability_between(-m.tolerance, m.tolerance);
    }
    tabulate_inspection(*model);
  } else {
    tabulate_classic(*model);
  }
  return AsymmetricSimulator(std::move(model));
}

std::size_t AsymmetricSimulator::bidders() const { return model_->mechanism.bidders.size(); }
const AsymmetricMechanism& AsymmetricSimulator::mechanism() const { return model_->mechanism; }
bool AsymmetricSimulator::inspection() const { return !model_->classic; }
const PriorityRankings& AsymmetricSimulator::rule() const {
  DIA_CHECK(inspection());
  return model_->rule();
}
double AsymmetricSimulator::expected_revenue() const { return model_->expected_revenue; }
double AsymmetricSimulator::designed_revenue() const { return model_->designed_revenue; }
std::vector<double> AsymmetricSimulator::reserves() const {
  return model_->classic ? model_->classic->reserves() : std::vector<double>{};
}

AsymmetricMonteCarloResult AsymmetricSimulator::run(std::uint64_t auctions, std::uint64_t seed,
                                                    int threads, const ProgressFn& progress) const {
  const Model& m = *model_;
  const std::size_t n = bidders();
  const double shift = m.expected_revenue;
  long double deviation = 0, deviation2 = 0, reward = 0;
  std::uint64_t sales = 0, lower = 0, denied = 0;
  std::vector<long double> b_dev(n, 0), b_dev2(n, 0), b_reward(n, 0);
  std::vector<std::uint64_t> wins(n, 0);
  const detail::BlockRun run = detail::run_blocks<BlockSum>(
      auctions, threads, progress,
      [&](std::uint64_t block, std::uint64_t count) {
        return run_block(m, seed, block, count, shift);
      },
      [&](const BlockSum& s) {
        deviation += s.deviation;
        deviation2 += s.deviation2;
        reward += s.reward;
        sales += s.sales;
        lower += s.lower;
        denied += s.denied;
        for (std::size_t i = 0; i < n; ++i) {
          b_dev[i] += s.bidders[i].deviation;
          b_dev2[i] += s.bidders[i].deviation2;
          b_reward[i] += s.bidders[i].reward;
          wins[i] += s.bidders[i].wins;
        }
      });
  AsymmetricMonteCarloResult out;
  MonteCarloResult& t = out.total;
  t.auctions = auctions;
  t.seed = seed;
  t.threads = run.threads;
  t.blocks = run.blocks;
  const auto count = static_cast<long double>(auctions);
  const detail::MeanStderr total = detail::shifted_mean(shift, deviation, deviation2, auctions);
  t.revenue_mean = total.mean;
  t.revenue_stderr = total.standard_error;
  t.reward_mean = static_cast<double>(reward / count);
  t.sale_rate = static_cast<double>(sales) / static_cast<double>(auctions);
  // Every winner bids truthfully: the share of winners a noisy inspection refused.
  t.denied_rate = sales ? static_cast<double>(denied) / static_cast<double>(sales) : 0.0;
  t.seconds = run.seconds;
  t.auctions_per_second = t.seconds > 0 ? static_cast<double>(auctions) / t.seconds : 0.0;
  out.lower_bidder_wins = static_cast<double>(lower) / static_cast<double>(auctions);
  for (std::size_t i = 0; i < n; ++i) {
    BidderMonteCarlo b = m.expected[i];
    const detail::MeanStderr r =
        detail::shifted_mean(b.revenue_expected, b_dev[i], b_dev2[i], auctions);
    b.revenue_mean = r.mean;
    b.revenue_stderr = r.standard_error;
    b.sale_rate = static_cast<double>(wins[i]) / static_cast<double>(auctions);
    b.reward_mean = static_cast<double>(b_reward[i] / count);
    out.bidders.push_back(b);
  }
  return out;
}

}  // namespace dia
