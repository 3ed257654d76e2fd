// Monte Carlo auctions in fixed blocks (internal): block b of a run has its own stream (seed, b),
// blocks run in parallel by oneTBB in waves (progress is reported between waves) and are folded
// in block order, so a run's result does not depend on the thread count. Shared by the symmetric
// and the asymmetric simulators.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dia/cancel.hpp"
#include "dia/simulation.hpp"

namespace dia::detail {

struct BlockRun {
  int threads = 0;
  std::uint64_t blocks = 0;
  double seconds = 0;
};

// The mean of `count` samples and its standard error from their sums around `shift`:
// sum (r - shift) and sum (r - shift)^2 (shifting by the expected mean avoids cancellation).
struct MeanStderr {
  double mean = 0, standard_error = 0;
};
inline MeanStderr shifted_mean(double shift, long double deviation, long double deviation2,
                               std::uint64_t count) {
  const long double n = static_cast<long double>(count);
  MeanStderr out;
  out.mean = static_cast<double>(shift + deviation / n);
  if (count > 1) {
    const long double var = (deviation2 - deviation * deviation / n) / (n - 1);
    out.standard_error = static_cast<double>(std::sqrt(std::max(0.0L, var) / n));
  }
  return out;
}

// run_block(b, count) plays the `count` auctions of block b and returns their Sum; fold(sum) is
// called for every block in block order.
template <class Sum, class RunBlock, class Fold>
BlockRun run_blocks(std::uint64_t auctions, int threads, const ProgressFn& progress,
                    const RunBlock& run_block, const Fold& fold) {
  const auto start = std::chrono::steady_clock::now();
  constexpr std::uint64_t kBlock = Simulator::kBlockAuctions;
  // More threads than cores cannot help (and oneTBB would warn): the result is the same anyway.
  const int cores = tbb::info::default_concurrency();
  const int concurrency = threads > 0 ? std::min(threads, cores) : cores;
  tbb::task_arena arena(concurrency);
  const std::uint64_t blocks = (auctions + kBlock - 1) / kBlock;
  const std::uint64_t wave =
      std::max<std::uint64_t>(16, 8 * static_cast<std::uint64_t>(concurrency));
  std::vector<Sum> sums;
  for (std::uint64_t first = 0; first < blocks; first += wave) {
    throw_if_cancelled();  // Ctrl-C in Python (dia/cancel.hpp), checked between waves
    const std::uint64_t count = std::min(wave, blocks - first);
    sums.assign(count, Sum{});
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::uint64_t>(0, count, 1),
          [&](const tbb::blocked_range<std::uint64_t>& r) {
            for (std::uint64_t i = r.begin(); i < r.end(); ++i) {
              const std::uint64_t b = first + i;
              sums[i] = run_block(b, std::min(kBlock, auctions - b * kBlock));
            }
          },
          tbb::simple_partitioner());
    });
    for (const Sum& s : sums) fold(s);
    if (progress) {
      const std::uint64_t done = std::min(auctions, (first + count) * kBlock);
      progress(static_cast<double>(done) / static_cast<double>(auctions), done);
    }
  }
  BlockRun out;
  out.threads = concurrency;
  out.blocks = blocks;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace dia::detail
