// The lines `dia simulate`'s table opens with, shared by the i.i.d. and the asymmetric commands:
// the seed with its threads and blocks, the revenue per auction with its 95% interval and the
// expected revenue with the z-score.
#pragma once

#include <fmt/format.h>

#include <string>

#include "dia/simulation.hpp"

namespace dia::cli {

inline std::string seed_line(const MonteCarloResult& r) {
  return fmt::format("  {:<26}{}  ({} thread{}, {} block{} of {})\n", "seed", r.seed, r.threads,
                     r.threads == 1 ? "" : "s", r.blocks, r.blocks == 1 ? "" : "s",
                     Simulator::kBlockAuctions);
}

inline std::string revenue_lines(const MonteCarloResult& r, double expected) {
  std::string t;
  if (r.auctions > 1 && !(r.revenue_stderr > 0)) {  // every auction earned the same
    t += fmt::format("  {:<26}{:.6f}  (no variance: all {} auctions earned the same)\n",
                     "revenue per auction", r.revenue_mean, r.auctions);
    t += fmt::format("  {:<26}{:.6f}  (no variance: no z-score, no interval)\n", "expected revenue",
                     expected);
  } else if (r.auctions > 1) {
    const double ci = 1.959963984540054 * r.revenue_stderr;
    t += fmt::format("  {:<26}{:.6f}  +- {:.6f} (95% half-width; CI [{:.6f}, {:.6f}])\n",
                     "revenue per auction", r.revenue_mean, ci, r.revenue_mean - ci,
                     r.revenue_mean + ci);
    t += fmt::format("  {:<26}{:.6f}  (z = {:+.2f})\n", "expected revenue", expected,
                     (r.revenue_mean - expected) / r.revenue_stderr);
  } else {  // one auction has no spread to estimate
    t += fmt::format("  {:<26}{:.6f}  (one auction: no confidence interval)\n",
                     "revenue per auction", r.revenue_mean);
    t += fmt::format("  {:<26}{:.6f}\n", "expected revenue", expected);
  }
  return t;
}

}  // namespace dia::cli
