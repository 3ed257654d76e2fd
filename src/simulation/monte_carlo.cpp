// Monte Carlo auctions of the symmetric simulator: fixed blocks with their own streams
// (simulation/block_runner.hpp), so the result does not depend on the thread count.
#include <cmath>

#include "simulation/block_runner.hpp"
#include "simulation/model.hpp"

namespace dia {
namespace {

struct BlockSum {
  double deviation = 0;   // sum of (revenue - shift) over sold auctions
  double deviation2 = 0;  // sum of squares
  double reward = 0;
  std::uint64_t auctions = 0, sales = 0, truthful = 0, denied = 0;
};

BlockSum run_block(const detail::SimulationModel& m, std::uint64_t seed, std::uint64_t block,
                   std::uint64_t count, double shift) {
  pcg64 rng = detail::block_stream(seed, block);
  const int n = m.config.bidders;
  detail::Bid bids[detail::ClassicRule::kMaxBidders];
  BlockSum s;
  s.auctions = count;
  for (std::uint64_t a = 0; a < count; ++a) {
    for (int j = 0; j < n; ++j) bids[j] = m.draw(rng);
    const detail::Outcome o = m.play(bids, rng);
    if (!o.sold) continue;
    const double r = o.payment - shift;
    s.deviation += r;
    s.deviation2 += r * r;
    s.reward += o.reward;
    ++s.sales;
    s.truthful += o.truthful;
    s.denied += o.denied;
  }
  // Unsold auctions earn 0.
  const double unsold = static_cast<double>(count - s.sales);
  s.deviation -= unsold * shift;
  s.deviation2 += unsold * shift * shift;
  return s;
}

}  // namespace

MonteCarloResult Simulator::run(std::uint64_t auctions, std::uint64_t seed, int threads,
                                const ProgressFn& progress) const {
  const detail::SimulationModel& m = *model_;
  const double shift = std::isfinite(m.expected_revenue) ? m.expected_revenue : 0.0;
  long double deviation = 0, deviation2 = 0, reward = 0;
  std::uint64_t sales = 0, truthful = 0, denied = 0;
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
        truthful += s.truthful;
        denied += s.denied;
      });
  MonteCarloResult out;
  out.auctions = auctions;
  out.seed = seed;
  out.threads = run.threads;
  out.blocks = run.blocks;
  const long double n = static_cast<long double>(auctions);
  const detail::MeanStderr revenue = detail::shifted_mean(shift, deviation, deviation2, auctions);
  out.revenue_mean = revenue.mean;
  out.revenue_stderr = revenue.standard_error;
  out.reward_mean = static_cast<double>(reward / n);
  out.sale_rate = static_cast<double>(sales) / static_cast<double>(auctions);
  out.denied_rate = truthful ? static_cast<double>(denied) / static_cast<double>(truthful) : 0.0;
  out.seconds = run.seconds;
  out.auctions_per_second = out.seconds > 0 ? static_cast<double>(auctions) / out.seconds : 0.0;
  return out;
}

}  // namespace dia
