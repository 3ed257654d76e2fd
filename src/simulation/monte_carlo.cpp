// Monte Carlo auctions: fixed blocks with their own streams, run in parallel by oneTBB and
// reduced in block order, so the result does not depend on the thread count.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "dia/cancel.hpp"
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
  const auto start = std::chrono::steady_clock::now();
  const detail::SimulationModel& m = *model_;
  const double shift = std::isfinite(m.expected_revenue) ? m.expected_revenue : 0.0;
  // More threads than cores cannot help (and oneTBB would warn): the result is the same anyway.
  const int cores = tbb::info::default_concurrency();
  const int concurrency = threads > 0 ? std::min(threads, cores) : cores;
  tbb::task_arena arena(concurrency);
  const std::uint64_t blocks = (auctions + kBlockAuctions - 1) / kBlockAuctions;
  // Blocks run in waves so that progress can be reported between them; the fold below is in
  // block order whatever the wave size or thread count.
  const std::uint64_t wave =
      std::max<std::uint64_t>(16, 8 * static_cast<std::uint64_t>(concurrency));
  long double deviation = 0, deviation2 = 0, reward = 0;
  std::uint64_t sales = 0, truthful = 0, denied = 0;
  std::vector<BlockSum> sums;
  for (std::uint64_t first = 0; first < blocks; first += wave) {
    throw_if_cancelled();
    const std::uint64_t count = std::min(wave, blocks - first);
    sums.assign(count, BlockSum{});
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::uint64_t>(0, count, 1),
          [&](const tbb::blocked_range<std::uint64_t>& r) {
            for (std::uint64_t i = r.begin(); i < r.end(); ++i) {
              const std::uint64_t b = first + i;
              const std::uint64_t size = std::min(kBlockAuctions, auctions - b * kBlockAuctions);
              sums[i] = run_block(m, seed, b, size, shift);
            }
          },
          tbb::simple_partitioner());
    });
    for (const BlockSum& s : sums) {
      deviation += s.deviation;
      deviation2 += s.deviation2;
      reward += s.reward;
      sales += s.sales;
      truthful += s.truthful;
      denied += s.denied;
    }
    if (progress) {
      const std::uint64_t done = std::min(auctions, (first + count) * kBlockAuctions);
      progress(static_cast<double>(done) / static_cast<double>(auctions), done);
    }
  }
  MonteCarloResult out;
  out.auctions = auctions;
  out.seed = seed;
  out.threads = concurrency;
  out.blocks = blocks;
  const long double n = static_cast<long double>(auctions);
  out.revenue_mean = static_cast<double>(shift + deviation / n);
  if (auctions > 1) {
    const long double var = (deviation2 - deviation * deviation / n) / (n - 1);
    out.revenue_stderr = static_cast<double>(std::sqrt(std::max(0.0L, var) / n));
  }
  out.reward_mean = static_cast<double>(reward / n);
  out.sale_rate = static_cast<double>(sales) / static_cast<double>(auctions);
  out.denied_rate = truthful ? static_cast<double>(denied) / static_cast<double>(truthful) : 0.0;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.auctions_per_second = out.seconds > 0 ? static_cast<double>(auctions) / out.seconds : 0.0;
  return out;
}

}  // namespace dia
