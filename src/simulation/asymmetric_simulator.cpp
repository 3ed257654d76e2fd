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
  std::uint64_t auctions = 0, sales = 0, lower = 0;
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
    const int w = m.rule().winner(m.rule().draw_ranking(rng), {types.data(), n});
    if (w < 0) continue;
    const auto i = static_cast<std::size_t>(w);
    const double value = m.value(i, types[i]);
    const double reward = m.reward[i][types[i]];
    const double payment = value - reward;
    ++s.sales;
    s.lower += value < top;
    s.deviation += payment - shift;
    s.deviation2 += (payment - shift) * (payment - shift);
    s.reward += reward;
    BlockSum::Bidder& b = s.bidders[i];
    const double d = payment - m.expected[i].revenue_expected;
    b.deviation += d;
    b.deviation2 += d * d;
    b.reward += reward;
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

}  // namespace

Expected<AsymmetricSimulator> AsymmetricSimulator::create(AsymmetricMechanism mechanism) {
  const std::size_t n = mechanism.bidders.size();
  if (n < 1 || n > static_cast<std::size_t>(kMaxBidders) || mechanism.reduced.size() != n ||
      (!mechanism.labels.empty() && mechanism.labels.size() != n)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("an asymmetric simulation needs 1..{} bidders, each with its types "
                            "and reduced form",
                            kMaxBidders));
  }
  if (!(mechanism.reward_scale >= 0 && mechanism.reward_scale <= 1)) {
    return fail(ErrorCode::kInvalidArgument, "--reward-scale must be in [0, 1]");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = mechanism.bidders[i];
    const auto& r = mechanism.reduced[i];
    if (t.size() == 0 || r.allocation.size() != t.size() || r.rent.size() != t.size()) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("bidder {}: {} types but {} allocations and {} rents", i + 1,
                              t.size(), r.allocation.size(), r.rent.size()));
    }
  }
  if (!mechanism.rule) {
    std::vector<std::vector<double>> x;
    for (const auto& r : mechanism.reduced) x.push_back(r.allocation);
    auto rule = PriorityRankings::build(mechanism.bidders, x);
    if (!rule) return tl::unexpected(rule.error());
    mechanism.rule = std::make_shared<const PriorityRankings>(std::move(*rule));
  }
  if (mechanism.rule->bidders() != n) {
    return fail(ErrorCode::kInvalidArgument, "the ex post rule is for another set of bidders");
  }
  if (mechanism.labels.empty()) mechanism.labels.assign(n, "");
  auto model = std::make_shared<Model>();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = mechanism.bidders[i];
    const auto& r = mechanism.reduced[i];
    model->samplers.emplace_back(t.probabilities.begin(), t.probabilities.end());
    std::vector<double> reward(t.size(), 0.0);
    long double revenue = 0, sale = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const double x = r.allocation[k];
      if (x > 0) reward[k] = mechanism.reward_scale * std::min(t.values[k], r.rent[k] / x);
      revenue += t.probabilities[k] * (t.values[k] * x - mechanism.reward_scale * r.rent[k]);
      sale += t.probabilities[k] * x;
    }
    model->reward.push_back(std::move(reward));
    BidderMonteCarlo e;
    e.revenue_expected = static_cast<double>(revenue);
    e.sale_probability = static_cast<double>(sale);
    model->expected.push_back(e);
    model->expected_revenue += e.revenue_expected;
  }
  model->mechanism = std::move(mechanism);
  return AsymmetricSimulator(std::move(model));
}

std::size_t AsymmetricSimulator::bidders() const { return model_->mechanism.bidders.size(); }
const AsymmetricMechanism& AsymmetricSimulator::mechanism() const { return model_->mechanism; }
const PriorityRankings& AsymmetricSimulator::rule() const { return model_->rule(); }
double AsymmetricSimulator::expected_revenue() const { return model_->expected_revenue; }

AsymmetricMonteCarloResult AsymmetricSimulator::run(std::uint64_t auctions, std::uint64_t seed,
                                                    int threads, const ProgressFn& progress) const {
  const Model& m = *model_;
  const std::size_t n = bidders();
  const double shift = m.expected_revenue;
  long double deviation = 0, deviation2 = 0, reward = 0;
  std::uint64_t sales = 0, lower = 0;
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
