// Myerson and second price (with and without reserve) as ex post rules for any number of i.i.d.
// bidders and any distribution (internal; docs/model.md#classic).
//
// Bidders are ranked by a key: the bid itself (second price), or the bid's ironed virtual value
// class (Myerson: the CDF level u = F(bid), replaced on an ironed interval [u_a, u_b] by u_a; for
// atoms, the ironed class of the atom). The highest key at or above the reserve wins, ties
// uniformly at random. Payments are threshold payments p = b x(b) - int x per win, with x the
// winner's ex post allocation as a function of its own bid: a class spans the bids [L, U) (a point
// L = U for a continuous unironed value or a second-price atom; [v_j1, v_j2+1) for Myerson atoms
// j1..j2; [Q(u_a), Q(u_b)] for an ironed interval). Against k others in the top class K of the
// others the winner pays U_K - (U_K - L_K) / (k + 1); tied with k others in its own class it pays
// L_K; alone above the reserve it pays the reserve. Second price is the case L = U = the bid.
#pragma once

#include <cstdint>
#include <vector>

#include "dia/classic.hpp"
#include "simulation/auction.hpp"

namespace dia::detail {

class ClassicRule {
 public:
  static constexpr int kMaxBidders = 64;

  ClassicRule(const Distribution& distribution, SimulatedMechanism mechanism, int bidders,
              const ClassicRevenues& classic);

  template <class Rng>
  Outcome play(const Bid* bids, int n, Rng& rng) const {
    Outcome out;
    double key[kMaxBidders];
    int best = -1, ties = 0;
    for (int i = 0; i < n; ++i) {
      key[i] = key_of(bids[i]);
      if (key[i] < 0) continue;
      if (best < 0 || key[i] > key[best]) {
        best = i;
        ties = 1;
      } else if (key[i] == key[best]) {
        ++ties;
      }
    }
    if (best < 0) return out;
    int winner = best;
    if (ties > 1) {
      std::uint32_t pick = uniform_index(rng, static_cast<std::uint32_t>(ties));
      for (int i = 0; i < n; ++i) {
        if (key[i] == key[best] && pick-- == 0) {
          winner = i;
          break;
        }
      }
    }
    double pay = reserve_value_;
    if (ties > 1) {
      pay = lower(bids[winner]);
    } else {
      int second = -1, count = 0;
      for (int i = 0; i < n; ++i) {
        if (i == winner || key[i] < 0) continue;
        if (second < 0 || key[i] > key[second]) {
          second = i;
          count = 1;
        } else if (key[i] == key[second]) {
          ++count;
        }
      }
      if (second >= 0) {
        const double lo = lower(bids[second]), hi = upper(bids[second]);
        pay = hi - (hi - lo) / (count + 1);
      }
    }
    out.winner = winner;
    out.sold = true;
    out.payment = pay;
    out.truthful = bids[winner].bid == bids[winner].value;
    return out;
  }

  // Ranking key of a bid, negative below the reserve.
  double key_of(const Bid& b) const {
    if (discrete_) {
      const std::uint32_t c = class_of_atom_[b.atom];
      return c >= first_class_ ? static_cast<double>(c) : -1.0;
    }
    if (!(b.bid >= reserve_value_)) return -1.0;
    if (!myerson_) return b.bid;
    const int j = interval_of(b.u);
    return j < 0 ? b.u : intervals_[j].u_lo;
  }

  // Interim allocation and expected payment of a bid against truthful others (exact sums over the
  // others' top class for atoms; for continuous values the allocation only, the payment following
  // from the payment identity, which these threshold payments satisfy by construction).
  double interim_allocation(const Bid& b) const;
  double interim_payment_discrete(const Bid& b) const;
  // Where the continuous interim allocation changes form: the reserve and the ironed intervals.
  std::vector<double> breakpoints() const;
  double reserve_value() const { return reserve_value_; }
  bool discrete() const { return discrete_; }
  std::size_t ironed_intervals() const { return discrete_ ? ironed_classes_ : intervals_.size(); }

 private:
  struct Interval {
    double u_lo, u_hi, v_lo, v_hi;
  };
  static constexpr std::size_t kIroningCells = std::size_t{1} << 14;

  void build_discrete(const Distribution& d);
  void build_continuous_ironing(const Distribution& d);
  int interval_of(double u) const {
    if (intervals_.empty()) return -1;
    const auto c = static_cast<std::size_t>(u * static_cast<double>(kIroningCells));
    return cell_interval_[c < kIroningCells ? c : kIroningCells - 1];
  }
  double lower(const Bid& b) const {
    if (discrete_) return class_lo_[class_of_atom_[b.atom]];
    const int j = myerson_ ? interval_of(b.u) : -1;
    return j < 0 ? b.bid : intervals_[j].v_lo;
  }
  double upper(const Bid& b) const {
    if (discrete_) return class_hi_[class_of_atom_[b.atom]];
    const int j = myerson_ ? interval_of(b.u) : -1;
    return j < 0 ? b.bid : intervals_[j].v_hi;
  }

  bool myerson_ = false;
  bool discrete_ = false;
  int n_ = 1;
  double reserve_value_ = 0;
  // Atoms: classes of atoms with their bid span [lo, hi), mass and the mass below them.
  std::vector<std::uint32_t> class_of_atom_;
  std::vector<double> class_lo_, class_hi_, class_mass_, class_below_;
  std::uint32_t first_class_ = 0;
  std::size_t ironed_classes_ = 0;
  // Continuous Myerson: ironed intervals, and per CDF cell the interval holding it (or -1).
  std::vector<Interval> intervals_;
  std::vector<int> cell_interval_;
  const Distribution* distribution_ = nullptr;
};

}  // namespace dia::detail
