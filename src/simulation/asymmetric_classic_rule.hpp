// The classic mechanisms for independent bidders with their own discrete type spaces as ex post
// rules (internal; docs/asymmetric.md sections 5 and 8), the ones dia::asymmetric_classic_revenues
// values exactly:
//
// - Myerson: every type has its ironed virtual value phibar_i(v) as key; the highest positive key
//   wins, ties uniformly at random. Against the others' top key K* (c others holding it) the winner
//   pays its threshold: the first own type a with phibar_i >= K* and the first b with phibar_i >
//   K* give the ex post allocation jumps 1/(c+1) at v_a and c/(c+1) at v_b, so a winner above K*
//   pays v_a/(c+1) + v_b c/(c+1), and tied (winning 1/(c+1)) pays v_a per win. Alone it pays its
//   reserve, the first type with phibar_i > 0. In expectation the payments are the discrete payment
//   identity's, so the revenue is E[max_i phibar_i^+].
// - Second price with reserves r_i: bidder i takes part when v_i >= r_i, the highest value wins
//   (ties uniformly) and pays max(r_i, the highest other participant's value); tied, the tied
//   value.
//
// Interim (one bidder bidding a type against truthful others) the allocation and the expected
// payment are exact sums: one sweep over every key level with, per bidder, P(key < L) and
// P(key <= L); ties with T others are won with E[1/(T+1)] = int_0^1 prod_j (P(key_j < L) +
// s P(key_j = L)) ds, a polynomial in s.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dia/asymmetric.hpp"
#include "dia/simulation.hpp"
#include "simulation/random.hpp"

namespace dia::detail {

class AsymmetricClassicRule {
 public:
  // `classic` supplies the reserves (asymmetric_classic_revenues of the same types).
  AsymmetricClassicRule(std::vector<DiscreteTypes> bidders, SimulatedMechanism mechanism,
                        const AsymmetricClassicRevenues& classic);

  struct Sale {
    int winner = -1;
    double payment = 0;
  };

  // One auction at the bids (each bidder's type index).
  template <class Rng>
  Sale play(std::span<const std::uint32_t> types, Rng& rng) const {
    const std::size_t n = types.size();
    int best = -1, ties = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!eligible(i, types[i])) continue;
      const double k = key(i, types[i]);
      if (best < 0 || k > key(static_cast<std::size_t>(best), types[best])) {
        best = static_cast<int>(i);
        ties = 1;
      } else if (k == key(static_cast<std::size_t>(best), types[best])) {
        ++ties;
      }
    }
    if (best < 0) return {};
    const double top = key(static_cast<std::size_t>(best), types[best]);
    int winner = best;
    if (ties > 1) {
      std::uint32_t pick = uniform_index(rng, static_cast<std::uint32_t>(ties));
      for (std::size_t i = 0; i < n; ++i) {
        if (eligible(i, types[i]) && key(i, types[i]) == top && pick-- == 0) {
          winner = static_cast<int>(i);
          break;
        }
      }
    }
    // The others' top key and how many hold it.
    const auto w = static_cast<std::size_t>(winner);
    bool other = false;
    double second = 0;
    int count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i == w || !eligible(i, types[i])) continue;
      const double k = key(i, types[i]);
      if (!other || k > second) {
        other = true;
        second = k;
        count = 1;
      } else if (k == second) {
        ++count;
      }
    }
    return {winner, payment(w, types[w], other, second, count)};
  }

  // Bidder i's interim allocation and expected payment of every bid (one of its types) against
  // truthful others.
  struct Interim {
    std::vector<double> allocation, payment;
  };
  const Interim& interim(std::size_t bidder) const { return interim_[bidder]; }
  const std::vector<double>& reserves() const { return reserve_; }
  std::size_t bidders() const { return types_.size(); }

 private:
  bool eligible(std::size_t i, std::uint32_t t) const { return t >= first_eligible_[i]; }
  double key(std::size_t i, std::uint32_t t) const { return key_[i][t]; }
  double payment(std::size_t i, std::uint32_t t, bool other, double second, int count) const;
  void compute_interim();

  bool myerson_ = false;
  std::vector<DiscreteTypes> types_;
  std::vector<std::vector<double>> key_;       // per bidder and type: phibar, or the value
  std::vector<std::uint32_t> first_eligible_;  // per bidder: its first type taking part
  std::vector<double> reserve_;                // per bidder: the value of that type, or r_i
  std::vector<Interim> interim_;
};

}  // namespace dia::detail
