// Building the general Border lottery for 2 i.i.d. bidders (docs/model.md#transfer-lottery), by an
// LP through COIN-OR CLP or by a max flow; the rule itself (drawing winners, rewards) is
// BorderLottery in ex_post.hpp.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "dia/discrete_types.hpp"
#include "dia/error.hpp"

namespace dia {

class BorderLottery;  // ex_post.hpp

inline constexpr std::size_t kMaxBorderLotteryTypes = 300;
inline constexpr std::size_t kMaxBorderFlowTypes = 2000;       // a 2-bidder m x m rule: 32 MB
inline constexpr std::size_t kMaxBorderFlowEdges = 4'000'000;  // ~750 MB of flow network

struct BorderLotteryProfiles {
  std::vector<double> allocation;     // x[i,j], row-major m x m
  double max_reduced_form_error = 0;  // max_i |sum_j p_j x[i,j] - X_i|
  double max_pair_violation = 0;      // max (x[i,j] + x[j,i] - 1, 2 x[i,i] - 1)
  double lower_bidder_wins = 0;       // 2 sum_{i<j} p_i p_j x[i,j]
  int iterations = 0;
};

// Fills the reduced-form error, the pair violation and the lower bidder's share of
// `profiles.allocation` (m x m, row-major), recomputed from the matrix itself.
void measure_profiles(const std::vector<double>& probabilities, const std::vector<double>& reduced,
                      BorderLotteryProfiles& profiles);

// Finds x >= 0 with x[i,j] + x[j,i] <= 1, x[i,i] <= 1/2 and sum_j p_j x[i,j] = X_i that, among
// all such rules, minimizes how often the lower bidder gets the item. Exists iff X satisfies
// Border's condition. Fails (kInvalidArgument) for other numbers of bidders than 2, kTooLarge
// above kMaxBorderLotteryTypes types, and when CLP finds no such rule.
Expected<BorderLotteryProfiles> solve_border_lottery(const DiscreteTypes& types,
                                                     const std::vector<double>& allocation,
                                                     int bidders = 2);

// The Border lottery for n >= 2 bidders in compact form: at a bid profile whose highest grid type
// is `top`, one of the lower bidders is drawn uniformly; if its type is `lower` it gets the item
// with probability tau (a transfer; otherwise, or without a transfer for its type, the highest
// bidders keep it with probability keep[top], split uniformly, else nobody gets it).
struct TransferLottery {
  struct Transfer {
    std::size_t top, lower;
    double tau;
  };
  std::vector<Transfer> transfers;
  std::vector<double> keep;           // per top type
  double max_reduced_form_error = 0;  // max_j |X^_j - X_j|, from the rule's own interim formula
  double lower_bidder_wins = 0;       // P(a bidder below the highest type gets the item)
};

// Built by a max flow (Boost.Graph push-relabel) from the highest-bidder rule: lower bidders win
// exactly the excess of X over G of each type, which slack types above give up, so it sells to a
// lower bidder as rarely as any rule can. Fails (kInvalidArgument) when the flow cannot carry the
// excess (X violates Border's condition), kTooLarge when a network within kMaxBorderFlowEdges
// edges cannot (transfers passing through a type are tried only when all m (m - 1) / 2 pairs fit).
Expected<TransferLottery> build_transfer_lottery(const DiscreteTypes& types,
                                                 const std::vector<double>& allocation,
                                                 int bidders);

// The Border lottery for n >= 2 bidders as a lottery over hierarchies (Border's theorem made
// constructive, docs/model.md#hierarchy-lottery): hierarchy k, drawn with probability weights[k],
// cuts the types into consecutive blocks; the item goes to a bidder of the highest block present,
// ties within a block broken uniformly, and types below reserves[k] never get it. Types i - 1 and i
// share a block in every hierarchy k >= merged_at[i] (merged_at[0] unused), so the blocks only
// coarsen from one hierarchy to the next and reserves only rise.
struct HierarchyLottery {
  std::vector<double> weights;
  std::vector<std::size_t> reserves;
  std::vector<std::size_t> merged_at;
  double max_reduced_form_error = 0;  // max_i |X^_i - X_i|, from the blocks' interim formula
  double lower_bidder_wins = 0;       // P(a bidder below the highest type gets the item)
};

// Decomposes any monotone X that satisfies Border's condition (for any number of bidders, where
// the transfer form may not exist) into hierarchies, at most one per type. Fails
// (kInvalidArgument) when X is not nondecreasing in [0, 1] or violates Border's condition.
Expected<HierarchyLottery> build_hierarchy_lottery(const DiscreteTypes& types,
                                                   const std::vector<double>& allocation,
                                                   int bidders);

// The hierarchy lottery's interim allocation of each of the m types when each of the other
// bidders' type is below type i with probability below[i] (m + 1 entries, below[m] = 1; below[0]
// > 0 counts bids that never win): on a block [lo, hi] at or above its hierarchy's reserve,
// weight times G(below[lo], below[hi + 1]), summed over the hierarchies. With the design's own F
// it is the rule's reduced form; with another distribution's masses, that rule's X under it.
std::vector<double> hierarchy_interim(const HierarchyLottery& rule,
                                      std::span<const long double> below, int bidders);

// Enforces Border's rows exactly, from the top: where the types from b up would win more than
// the chance that one of them bids, sum_{i >= b} p_i (X_i - G_i) > 0, X_b is lowered by that
// excess over p_b. An LP meets these rows only up to its tolerance, which on a type of tiny mass
// is a visible excess of X (q > 1 where X = G is meant); this removes it and keeps X
// nondecreasing. Returns the largest change of X.
double enforce_border(const DiscreteTypes& types, std::vector<double>& allocation, int bidders);

// The runnable Border lottery (BorderLottery in ex_post.hpp) for X and n >= 2 bidders, defined
// for every bid, after enforce_border: the transfer form of build_transfer_lottery, which sells
// to a lower bidder as rarely as any rule, else the hierarchy form. Fails when neither
// implements X.
Expected<BorderLottery> build_border_lottery(const DiscreteTypes& types,
                                             std::vector<double> allocation, int bidders);

// The 2-bidder TransferLottery as the profile matrix x of BorderLottery (ex_post.hpp), up to
// kMaxBorderFlowTypes types.
Expected<BorderLotteryProfiles> build_border_lottery_by_flow(const DiscreteTypes& types,
                                                             const std::vector<double>& allocation);

}  // namespace dia
