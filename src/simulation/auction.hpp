// One auction's bids and outcome (internal), shared by the compiled rules.
#pragma once

#include <cstdint>

#include "dia/simulation.hpp"
#include "simulation/random.hpp"

namespace dia::detail {

// A bidder's value and bid; `u` = F(bid) (continuous) and `atom` = the bid's atom (discrete).
struct Bid {
  double value = 0;
  double bid = 0;
  double u = 0;
  std::uint32_t atom = 0;
};

struct Outcome {
  int winner = -1;
  bool sold = false;
  double payment = 0;     // the winner's net payment: deposit minus reward
  double reward = 0;      // reward paid
  bool truthful = false;  // the buyer bid its value
  bool denied = false;    // ... and was denied its reward by a noisy inspection
};

// The index of the highest bid, ties broken uniformly at random.
template <class Rng>
inline int highest_bid(const Bid* bids, int n, Rng& rng) {
  int best = 0, ties = 1;
  for (int i = 1; i < n; ++i) {
    if (bids[i].bid > bids[best].bid) {
      best = i;
      ties = 1;
    } else if (bids[i].bid == bids[best].bid) {
      ++ties;
    }
  }
  if (ties == 1) return best;
  std::uint32_t pick = uniform_index(rng, static_cast<std::uint32_t>(ties));
  for (int i = 0; i < n; ++i) {
    if (bids[i].bid == bids[best].bid && pick-- == 0) return i;
  }
  return best;
}

}  // namespace dia::detail
