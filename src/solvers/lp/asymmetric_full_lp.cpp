// The reference for the asymmetric designer (docs/asymmetric.md section 4): the (LP) with every
// IC row and a Border row for EVERY family of arbitrary sets, 2^M - 1 of them, in one solve.
// It never calls the separation oracle to build its rows.
#include <fmt/format.h>

#include "dia/asymmetric.hpp"
#include "solvers/lp/asymmetric_model.hpp"

namespace dia {

Expected<AsymmetricSolution> solve_asymmetric_full_lp(const std::vector<DiscreteTypes>& bidders) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (bidder, type) for every bit
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t k = 0; k < bidders[i].size(); ++k) pairs.push_back({i, k});
  }
  if (bidders.empty() || pairs.size() > kMaxFullLpTypes) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the full asymmetric LP takes 1 to {} types in all, got {}",
                            kMaxFullLpTypes, pairs.size()));
  }
  detail::AsymmetricLp lp(bidders);
  std::vector<detail::IcRow> ic;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    for (std::size_t k = 1; k < bidders[i].size(); ++k) {
      for (std::size_t j = 0; j < k; ++j) ic.push_back({i, k, j});
    }
  }
  lp.add_ic_rows(ic);
  std::vector<std::vector<std::vector<std::size_t>>> families;
  for (std::size_t mask = 1; mask < (std::size_t{1} << pairs.size()); ++mask) {
    std::vector<std::vector<std::size_t>> sets(bidders.size());
    for (std::size_t b = 0; b < pairs.size(); ++b) {
      if (mask >> b & 1) sets[pairs[b].first].push_back(pairs[b].second);
    }
    families.push_back(std::move(sets));
  }
  lp.add_families(families);
  if (auto solved = lp.solve(false); !solved) return tl::unexpected(solved.error());
  AsymmetricSolution out = detail::finish_asymmetric(bidders, lp.allocation(), false);
  out.dual_bound = lp.dual_bound();
  out.dual_gap = (out.dual_bound - out.revenue) / std::max(1.0, std::fabs(out.dual_bound));
  out.rounds = 1;
  out.iterations = lp.iterations;
  out.border_rows = lp.border_rows;
  out.ic_rows = lp.ic_rows;
  return out;
}

}  // namespace dia
