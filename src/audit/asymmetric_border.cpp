// The exact separation oracle for Border's condition with independent asymmetric bidders
// (docs/asymmetric.md section 3): every maximiser of the gap is, up to ties, a family of group
// prefixes of X_i (decreasing), and its product pi = prod_i (1 - P_i(S_i)) picks each bidder's
// prefix k_i as the unique k with pi in I_i(k) = [x_{k+1} z_i(k), x_k z_i(k)]. The candidates are
// the families at the left ends of those intervals. Our own science: no library has it.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "dia/asymmetric.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

// Bidder i's types with X > 0, grouped by equal X, in decreasing X.
struct Groups {
  std::vector<double> x;                        // x_1 > ... > x_g > 0
  std::vector<std::vector<std::size_t>> types;  // the types of each group
  std::vector<long double> outside;             // z(k) = mass outside the first k groups, k=0..g
  std::vector<long double> inside;              // sum over the first k groups of p X, k=0..g

  std::size_t size() const { return x.size(); }
  // The left end of I(k): x_{k+1} z(k), 0 for the last prefix.
  double left(std::size_t k) const { return k < size() ? x[k] * (double)outside[k] : 0.0; }
  // The right end of I(k): x_k z(k), infinite for the empty prefix.
  double right(std::size_t k) const {
    return k == 0 ? std::numeric_limits<double>::infinity() : x[k - 1] * (double)outside[k];
  }
};

Groups make_groups(const DiscreteTypes& t, const std::vector<double>& allocation) {
  DIA_CHECK(allocation.size() == t.size());
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (allocation[k] > 0) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return allocation[a] > allocation[b]; });
  Groups g;
  std::vector<long double> mass;
  for (std::size_t k : order) {
    if (g.x.empty() || allocation[k] != g.x.back()) {
      g.x.push_back(allocation[k]);
      g.types.emplace_back();
      mass.push_back(0);
    }
    g.types.back().push_back(k);
    mass.back() += t.probabilities[k];
  }
  const std::size_t n = g.size();
  g.outside.assign(n + 1, 0);
  g.inside.assign(n + 1, 0);
  long double zero_mass = 1;  // the mass of the types with X = 0, by complement of the others
  for (long double q : mass) zero_mass -= q;
  // z(k) by suffix sums, accurate where it is small.
  g.outside[n] = std::max(0.0L, zero_mass);
  for (std::size_t k = n; k-- > 0;) g.outside[k] = g.outside[k + 1] + mass[k];
  for (std::size_t k = 0; k < n; ++k) g.inside[k + 1] = g.inside[k] + mass[k] * g.x[k];
  return g;
}

// The prefix of bidder g consistent with pi, if any: the smallest k with left(k) <= pi (left
// decreases in k), kept when pi <= right(k). A relative slack of 1e-12 on both ends: at an end
// the two neighbouring prefixes have the same gap, so rounding there costs nothing.
std::optional<std::size_t> prefix_for(const Groups& g, double pi) {
  constexpr double kSlack = 1e-12;
  std::size_t lo = 0, hi = g.size();  // left(size()) = 0 <= pi
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (g.left(mid) <= pi * (1 + kSlack)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (pi <= g.right(lo) * (1 + kSlack) + std::numeric_limits<double>::min()) return lo;
  return std::nullopt;
}

}  // namespace

double border_gap(const std::vector<DiscreteTypes>& bidders,
                  const std::vector<std::vector<double>>& allocations,
                  const std::vector<std::vector<std::size_t>>& sets) {
  DIA_CHECK(bidders.size() == allocations.size() && bidders.size() == sets.size());
  detail::CompensatedSum left;
  long double product = 1;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    long double outside = 1;
    for (std::size_t k : sets[i]) {
      left.add((long double)bidders[i].probabilities[k] * allocations[i][k]);
      outside -= bidders[i].probabilities[k];
    }
    product *= std::max(0.0L, outside);
  }
  left.add(product);
  left.add(-1.0L);
  return left.value();
}

BorderPrefixes border_prefix_candidates(const std::vector<DiscreteTypes>& bidders,
                                        const std::vector<std::vector<double>>& allocations,
                                        std::size_t max_families) {
  const std::size_t n = bidders.size();
  DIA_CHECK(allocations.size() == n);
  std::vector<Groups> groups;
  std::vector<double> ends;
  for (std::size_t i = 0; i < n; ++i) {
    groups.push_back(make_groups(bidders[i], allocations[i]));
    for (std::size_t k = 0; k <= groups[i].size(); ++k) ends.push_back(groups[i].left(k));
  }
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());

  BorderPrefixes out;
  std::vector<std::size_t> prefix(n);
  for (double end : ends) {
    bool consistent = true;
    for (std::size_t i = 0; i < n && consistent; ++i) {
      const auto k = prefix_for(groups[i], end);
      consistent = k.has_value();
      if (consistent) prefix[i] = *k;
    }
    if (!consistent) continue;
    if (!out.families.empty() && out.families.back().prefix == prefix) continue;  // same again
    long double inside = 0, product = 1;
    for (std::size_t i = 0; i < n; ++i) {
      inside += groups[i].inside[prefix[i]];
      product *= groups[i].outside[prefix[i]];
    }
    out.families.push_back({prefix, inside + product - 1});
  }
  std::sort(out.families.begin(), out.families.end(),
            [](const auto& a, const auto& b) { return a.gap > b.gap; });
  if (out.families.size() > max_families) out.families.resize(max_families);
  for (Groups& g : groups) out.groups.push_back(std::move(g.types));
  return out;
}

std::vector<BorderFamily> border_candidates(const std::vector<DiscreteTypes>& bidders,
                                            const std::vector<std::vector<double>>& allocations,
                                            std::size_t max_families) {
  const BorderPrefixes found = border_prefix_candidates(bidders, allocations, max_families);
  std::vector<BorderFamily> out;
  for (const auto& c : found.families) {
    BorderFamily family;
    family.sets = found.sets(c.prefix);
    family.gap = border_gap(bidders, allocations, family.sets);
    out.push_back(std::move(family));
  }
  return out;
}

std::vector<std::vector<std::size_t>> BorderPrefixes::sets(
    const std::vector<std::size_t>& prefix) const {
  std::vector<std::vector<std::size_t>> out(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (std::size_t k = 0; k < prefix[i]; ++k) {
      out[i].insert(out[i].end(), groups[i][k].begin(), groups[i][k].end());
    }
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

}  // namespace dia
