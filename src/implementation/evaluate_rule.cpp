// evaluate_rule: a saved n-bidder ex post rule run under another value distribution
// (docs/model.md#evaluate-n). Hand-written: the interim allocation of our own rules under another
// distribution is our own science.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <span>
#include <variant>
#include <vector>

#include "dia/audit.hpp"
#include "dia/border_lottery.hpp"
#include "dia/evaluate.hpp"
#include "implementation/evaluate_bidder.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

constexpr std::size_t kNone = detail::StepExtension::kNone;

// The grid step of a bid: the largest i with v_i <= w, or kNone (the rules' StepExtension::step).
std::size_t step_of(std::span<const double> grid, double w) {
  const auto it = std::upper_bound(grid.begin(), grid.end(), w);
  return it == grid.begin() ? kNone : static_cast<std::size_t>(it - grid.begin()) - 1;
}

// H as atoms: P(V < w) and P(V <= w) for any bid w.
struct Atoms {
  DiscreteTypes types;
  std::vector<double> below;  // below[k] = sum_{j < k} p_j, one more entry than the atoms

  explicit Atoms(DiscreteTypes t) : types(std::move(t)), below(types.values.size() + 1, 0.0) {
    std::partial_sum(types.probabilities.begin(), types.probabilities.end(), below.begin() + 1);
  }
  double less_than(double w) const {
    const auto& v = types.values;
    return below[std::lower_bound(v.begin(), v.end(), w) - v.begin()];
  }
  double at_most(double w) const {
    const auto& v = types.values;
    return std::min(1.0, below[std::upper_bound(v.begin(), v.end(), w) - v.begin()]);
  }
};

// X_H(w): the chance that a bid w wins against n - 1 truthful bidders with values from H.
class Interim {
 public:
  Interim(const ExPostRule& rule, std::span<const double> grid, int bidders, const Atoms& h,
          const BorderSource& source)
      : rule_(rule), grid_(grid), bidders_(bidders), h_(h) {
    const auto* border = std::get_if<BorderLottery>(&rule);
    if (!border) return;
    const std::size_t m = grid.size();
    std::vector<double> mass(m, 0.0);
    double below_grid = 0;
    for (std::size_t k = 0; k < h.types.values.size(); ++k) {
      const std::size_t s = step_of(grid, h.types.values[k]);
      (s == kNone ? below_grid : mass[s]) += h.types.probabilities[k];
    }
    step_allocation_.assign(m, 0.0);
    if (source.hierarchies) {
      // The hierarchy form: each opponent's type is below step i with H's mass of the steps
      // below i and of the bids below the grid (they never win).
      std::vector<long double> below(m + 1, below_grid);
      for (std::size_t i = 0; i < m; ++i) below[i + 1] = std::min(1.0L, below[i] + mass[i]);
      below[m] = 1;
      step_allocation_ = hierarchy_interim(*source.hierarchies, below, bidders);
      return;
    }
    const TransferLottery* transfers = source.transfers;
    if (!transfers) {
      // The 2-bidder profile form: a bid of step i against an opponent of step j wins with
      // x[i,j]; against an opponent below the grid, as against v_0 (ex_post.hpp).
      for (std::size_t i = 0; i < m; ++i) {
        detail::CompensatedSum sum;
        for (std::size_t j = 0; j < m; ++j) sum.add(mass[j] * border->profile_allocation(i, j));
        sum.add(below_grid * border->profile_allocation(i, 0));
        step_allocation_[i] = sum.value();
      }
      return;
    }
    // The transfer form (docs/model.md#transfer-lottery) with H's step masses p_i and B_i =
    // P_H(step < i), bids below the grid counted among the lower bidders (they are drawn and
    // receive nothing): X_i = keep_i (G_i - loss_i) + gain_i, w_i = sum_k C(n-1,k) p_i^k
    // B_i^(n-1-k) / (n-k), gain_j = sum_i w_i tau_ij, loss_i = (w_i / p_i) sum_j p_j tau_ij.
    const int n = bidders;
    std::vector<double> below(m), w(m), w_per_mass(m), gain(m, 0.0), paid_out(m, 0.0);
    double b = below_grid;
    for (std::size_t i = 0; i < m; ++i) {
      below[i] = b;
      double choose = 1;  // C(n-1, k)
      for (int k = 1; k < n; ++k) {
        choose = choose * (n - k) / k;
        const double rest = std::pow(b, n - 1 - k) / (n - k);
        w[i] += choose * std::pow(mass[i], k) * rest;
        w_per_mass[i] += choose * std::pow(mass[i], k - 1) * rest;
      }
      b += mass[i];
    }
    for (const auto& t : transfers->transfers) {
      gain[t.lower] += w[t.top] * t.tau;
      paid_out[t.top] += mass[t.lower] * t.tau;
    }
    for (std::size_t i = 0; i < m; ++i) {
      const double g = static_cast<double>(
          detail::highest_probability(below[i], std::min(1.0, below[i] + mass[i]), n));
      step_allocation_[i] = transfers->keep[i] * (g - w_per_mass[i] * paid_out[i]) + gain[i];
    }
  }

  double operator()(double w) const {
    if (const auto* highest = std::get_if<HighestBidderLottery>(&rule_)) {
      const double q = highest->win_probability(w);
      if (q <= 0) return 0.0;
      return q * static_cast<double>(
                     detail::highest_probability(h_.less_than(w), h_.at_most(w), bidders_));
    }
    const std::size_t s = step_of(grid_, w);
    return s == kNone ? 0.0 : step_allocation_[s];
  }

 private:
  const ExPostRule& rule_;
  std::span<const double> grid_;
  int bidders_;
  const Atoms& h_;
  std::vector<double> step_allocation_;  // the profile form's X_H per step
};

}  // namespace

namespace detail {

RuleEvaluation evaluate_bidder(const DiscreteTypes& h, std::span<const double> grid,
                               const std::function<double(double)>& interim,
                               const std::function<double(double)>& reward) {
  RuleEvaluation out;
  out.atoms = h.values.size();
  // Truthful bidding: the winner pays its bid and gets rho(v) back.
  CompensatedSum paid, sold, refunded;
  std::vector<double> truthful_utility(out.atoms);
  for (std::size_t k = 0; k < out.atoms; ++k) {
    const double v = h.values[k], p = h.probabilities[k];
    const double x = interim(v), rho = reward(v);
    paid.add(p * x * v);
    sold.add(p * x);
    refunded.add(p * x * rho);
    truthful_utility[k] = x * rho;
  }
  out.outcome.sale_probability = sold.value();
  out.outcome.expected_reward = refunded.value();
  out.outcome.revenue = paid.value() - refunded.value();

  // A lie w < v gains (v - w) X_H(w) (no reward; a bid above v only loses). Between consecutive
  // grid values and atoms of H, X_H(w) is constant or falls (q = X / G_F with G_F rising), so the
  // supremum is at a grid value or an atom, or just above one: those are the candidate bids.
  std::vector<double> bids;
  bids.reserve(2 * (out.atoms + grid.size()));
  auto candidate = [&](double b) {
    bids.push_back(b);
    bids.push_back(std::nextafter(b, std::numeric_limits<double>::infinity()));
  };
  for (double v : h.values) candidate(v);
  for (double v : grid) candidate(v);
  std::sort(bids.begin(), bids.end());
  bids.erase(std::unique(bids.begin(), bids.end()), bids.end());
  std::vector<double> allocation(bids.size());
  for (std::size_t i = 0; i < bids.size(); ++i) allocation[i] = interim(bids[i]);
  const std::vector<double> envelope = deviation_envelope(bids, allocation);
  std::size_t worst = kNone;
  for (std::size_t k = 0; k < out.atoms; ++k) {
    const double v = h.values[k];
    const auto at = std::lower_bound(bids.begin(), bids.end(), v) - bids.begin();
    const double gain = envelope[at] - truthful_utility[k];
    if (gain > out.max_lie_gain) out.max_lie_gain = gain, worst = k;
  }
  if (worst != kNone) {  // the bid of the best lie of the worst type
    out.lie_value = h.values[worst];
    out.truthful = out.max_lie_gain <= 1e-9 * std::max(1.0, out.lie_value);
    double best = -1;
    for (std::size_t j = 0; j < bids.size() && bids[j] < out.lie_value; ++j) {
      const double g = (out.lie_value - bids[j]) * allocation[j];
      if (g > best) best = g, out.lie_bid = bids[j];
    }
  }
  return out;
}

}  // namespace detail

Expected<RuleEvaluation> evaluate_rule(const ExPostRule& rule, std::span<const double> grid,
                                       int bidders, const Distribution& actual,
                                       const BorderSource& source, std::size_t cells) {
  if (bidders < 2) {
    return fail(ErrorCode::kInvalidArgument, "evaluate_rule is for 2 or more bidders",
                "one bidder: evaluate_menu");
  }
  const auto* border = std::get_if<BorderLottery>(&rule);
  if (border && border->types() != grid.size()) {
    return fail(ErrorCode::kInvalidArgument, "the grid is not the rule's");
  }
  const std::string_view form = border ? border->form() : "";
  if ((form == "transfers" &&
       (!source.transfers || source.transfers->keep.size() != grid.size())) ||
      (form == "hierarchies" &&
       (!source.hierarchies || source.hierarchies->merged_at.size() != grid.size()))) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("the Border lottery's {} form needs the lottery it was built from", form));
  }
  const bool discretized = !actual.is_discrete();
  const Atoms h(discretized ? quantile_grid(actual, cells) : actual.atoms());
  const Interim interim(rule, grid, bidders, h,
                        {form == "transfers" ? source.transfers : nullptr,
                         form == "hierarchies" ? source.hierarchies : nullptr});
  RuleEvaluation out = detail::evaluate_bidder(
      h.types, grid, [&](double w) { return interim(w); },
      [&](double w) {
        return std::visit([w](const auto& r) { return r.winner_reward(w); }, rule);
      });
  out.rule = rule_name(rule);
  out.discretized = discretized;
  const double n = bidders;
  out.outcome.sale_probability *= n;
  out.outcome.expected_reward *= n;
  out.outcome.revenue *= n;
  return out;
}

}  // namespace dia
