// The structured n-bidder construction of docs/model.md#structured on a finite type space: the
// highest bidder wins surely (X = G) from a switch point e up, below e the one-bidder shape of
// docs/model.md#sweep rescaled to meet G(e); e maximises the revenue. Its certificate puts the IC
// multipliers on best alternative pairs and reads the Border multipliers off the binding stretch,
// B_j = v_j - cov_j/p_j (docs/model.md#border-dual, discrete form of B = w - kappa_G / f).
// Hand-written: this is our own science, and it is O(m log m) per candidate switch point where the
// (LP) needs minutes at m = 10^4. Nothing here is trusted: the caller audits the certificate and
// falls back to the (LP) when the gap is too wide.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "dia/one_bidder.hpp"
#include "dia/symmetric.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

// Best alternative bids of a nondecreasing allocation: (v - w) X(w) has increasing differences, so
// the largest argmax is nondecreasing in v and divide and conquer finds all of them in O(m log m).
// (The audit computes the same maxima by an upper envelope of lines, independently.)
struct Deviations {
  std::vector<std::size_t> target;  // largest argmax_{j < k} (v_k - v_j) X_j, kNoAlternative if 0
  std::vector<long double> rent;    // the maximum, or 0
};

void best_alternatives(const std::vector<double>& v, const std::vector<long double>& x,
                       std::size_t lo, std::size_t hi, std::size_t jlo, std::size_t jhi,
                       Deviations& out) {
  if (lo >= hi) return;
  const std::size_t mid = lo + (hi - lo) / 2;
  long double best = 0;
  std::size_t arg = jlo;
  for (std::size_t j = jlo; j <= std::min(jhi, mid == 0 ? 0 : mid - 1) && j < mid; ++j) {
    const long double gain = ((long double)v[mid] - v[j]) * x[j];
    if (gain >= best) best = gain, arg = j;
  }
  out.rent[mid] = best;
  out.target[mid] = best > 0 ? arg : kNoAlternative;
  best_alternatives(v, x, lo, mid, jlo, arg, out);
  best_alternatives(v, x, mid + 1, hi, arg, jhi, out);
}

Deviations deviations(const std::vector<double>& v, const std::vector<long double>& x) {
  Deviations d{std::vector<std::size_t>(v.size(), kNoAlternative),
               std::vector<long double>(v.size(), 0)};
  best_alternatives(v, x, 0, v.size(), 0, v.size() - 1, d);
  return d;
}

struct Candidate {
  std::size_t switch_index = 0;  // e
  std::vector<long double> allocation;
  Deviations deviations;
  double revenue = 0;  // per bidder
};

class Construction {
 public:
  Construction(const DiscreteTypes& types, int n)
      : t_(types), m_(types.size()), g_(detail::highest_probabilities(types.probabilities, n)) {
    one_bidder_ = solve_one_bidder_sweep(t_);
  }

  // The allocation with switch point e, or nothing when its lower part breaks Border's condition.
  std::optional<Candidate> candidate(std::size_t e) const {
    const auto& p = t_.probabilities;
    const auto& x1 = one_bidder_.mechanism.allocation;
    Candidate c;
    c.switch_index = e;
    c.allocation.resize(m_);
    const long double scale = e < m_ ? g_[e] / (long double)x1[e] : 0;
    for (std::size_t k = 0; k < m_; ++k) c.allocation[k] = k >= e ? g_[k] : scale * x1[k];
    // Below e the tail sums of X may not exceed those of G (Border is tight from e up).
    long double slack = 0;
    for (std::size_t k = e; k-- > 0;) {
      slack += p[k] * (g_[k] - c.allocation[k]);
      if (slack < -1e-15L) return std::nullopt;
    }
    price(c);
    return c;
  }

  // The candidate with the cells inside an ironed stretch (docs/model.md#ironed-stretch) moved off
  // G by the stretch's excess, when the stretch lies above the switch point. The excess is scaled
  // so that Border stays tight across the stretch (its positive part, where X > G, shrunk to
  // balance the negative part); nothing when that still breaks Border's condition inside, or
  // monotonicity.
  std::optional<Candidate> ironed(const Candidate& c, const IronedStretch& stretch) const {
    const auto& v = t_.values;
    const auto& p = t_.probabilities;
    const std::size_t e = c.switch_index;
    if (e >= m_ || stretch.from < v[e]) return std::nullopt;
    const auto lo =
        static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), stretch.from) - v.begin());
    const auto hi =
        static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), stretch.to) - v.begin());
    if (lo >= hi) return std::nullopt;
    std::vector<long double> excess(hi - lo);
    long double above = 0, below = 0;  // mass-weighted positive and negative parts
    for (std::size_t k = lo; k < hi; ++k) {
      excess[k - lo] = stretch.excess_at(v[k]);
      (excess[k - lo] > 0 ? above : below) += p[k] * std::fabs(excess[k - lo]);
    }
    if (above <= 0) return std::nullopt;
    const long double shrink = std::min(1.0L, below / above);
    Candidate out;
    out.switch_index = e;
    out.allocation = c.allocation;
    for (std::size_t k = lo; k < hi; ++k) {
      out.allocation[k] = g_[k] + (excess[k - lo] > 0 ? shrink : 1) * excess[k - lo];
    }
    long double slack = 0;  // sum_{l = k}^{hi - 1} p_l (G_l - X_l), Border's slack at k
    for (std::size_t k = hi; k-- > lo;) {
      slack += p[k] * (g_[k] - out.allocation[k]);
      if (slack < -1e-15L) return std::nullopt;
    }
    for (std::size_t k = std::max<std::size_t>(lo, 1); k <= hi && k < m_; ++k) {
      if (out.allocation[k] < out.allocation[k - 1]) return std::nullopt;
    }
    price(out);
    return out;
  }

  // The best switch point: a coarse scan, then ever finer scans around the best one.
  std::optional<Candidate> best() const {
    const std::size_t last = std::min(one_bidder_.cutoff, m_ - 1);
    std::optional<Candidate> best;
    // Among switch points within rounding of the best revenue the lowest wins: it keeps X <= G
    // at the bottom, so the highest-bidder lottery implements it (docs/model.md#highest-bidder).
    auto consider = [&](std::size_t e) {
      auto c = candidate(e);
      if (!c) return;
      const double tie = 1e-13 * std::fabs(c->revenue);
      if (!best || c->revenue > best->revenue + tie ||
          (c->revenue >= best->revenue - tie && e < best->switch_index)) {
        best = std::move(c);
      }
    };
    std::size_t step = std::max<std::size_t>(1, (last + 1) / 64);
    for (std::size_t e = 0; e <= last; e += step) consider(e);
    consider(last);
    while (step > 1 && best) {
      const std::size_t centre = best->switch_index;
      const std::size_t lo = centre > step ? centre - step : 0;
      const std::size_t hi = std::min(last, centre + step);
      step = std::max<std::size_t>(1, step / 8);
      for (std::size_t e = lo; e <= hi; e += step) consider(e);
    }
    return best;
  }

  // The candidate's best alternative bids, rents and revenue (per bidder).
  void price(Candidate& c) const {
    const auto& p = t_.probabilities;
    c.deviations = deviations(t_.values, c.allocation);
    detail::CompensatedSum revenue;
    for (std::size_t k = 0; k < m_; ++k)
      revenue.add(p[k] * ((long double)t_.values[k] * c.allocation[k] - c.deviations.rent[k]));
    c.revenue = revenue.value();
  }

  // Two certificates for the same allocation (docs/model.md#structured): greedy and spread.
  std::array<SymmetricCertificate, 2> certificates(const Candidate& c) const;

 private:
  long double continuous_target(std::size_t source, const Candidate& c) const;
  std::vector<double> binding_levels(const Candidate& c, const std::vector<double>& rest) const;
  void greedy_stretch(const Candidate& c, const std::vector<double>& rest,
                      SymmetricCertificate& cert) const;
  void spread_stretch(const Candidate& c, const std::vector<double>& rest,
                      SymmetricCertificate& cert) const;
  void set_border(const std::vector<double>& level, std::size_t e,
                  SymmetricCertificate& cert) const;
  std::vector<double> pooled_levels(const std::vector<long double>& target, std::size_t e) const;

  const DiscreteTypes& t_;
  std::size_t m_;
  std::vector<long double> g_;
  OneBidderSweep one_bidder_;
};

// Where between the grid points a source's best alternative bid lies: the vertex of the parabola
// through its deviation gains at the argmax and its two neighbours (O(h^2) accurate).
long double Construction::continuous_target(std::size_t s, const Candidate& c) const {
  const auto& v = t_.values;
  const auto& x = c.allocation;
  const std::size_t j = c.deviations.target[s];
  if (j == 0 || j + 1 >= s) return v[j];
  auto gain = [&](std::size_t k) { return ((long double)v[s] - v[k]) * x[k]; };
  const long double a = v[j - 1], b = v[j], d = v[j + 1];
  const long double ga = gain(j - 1), gb = gain(j), gd = gain(j + 1);
  const long double num = (b - a) * (b - a) * (gb - gd) - (b - d) * (b - d) * (gb - ga);
  const long double den = (b - a) * (gb - gd) - (b - d) * (gb - ga);
  return den != 0 ? std::clamp(b - num / (2 * den), a, d) : b;
}

// Border multipliers on the binding stretch j >= e (docs/model.md#border-dual: B_j = v_j - cov_j /
// p_j, the discrete form of B = w - kappa_G / f). Each paying source's remaining mass covers (v_s -
// w*) p_s at its continuous best alternative w*; that coverage is spread between the midpoints with
// its neighbours' w* and integrated over the cells around the targets, so that cov_j varies
// smoothly (putting each source on its nearest target would make cov, and B, oscillate from cell to
// cell). B is then made nondecreasing by pooling adjacent violators and clipped at 0.
std::vector<double> Construction::binding_levels(const Candidate& c,
                                                 const std::vector<double>& rest) const {
  const auto& v = t_.values;
  const auto& p = t_.probabilities;
  const std::size_t e = c.switch_index;
  std::vector<std::pair<std::size_t, long double>> sources;  // (source, w*)
  for (std::size_t s = e + 1; s < m_; ++s) {
    if (rest[s] <= 0 || c.deviations.target[s] == kNoAlternative) continue;
    sources.emplace_back(s, std::max<long double>(continuous_target(s, c), v[e]));
  }
  std::vector<std::pair<long double, long double>> dense;  // (w*, coverage)
  for (const auto& [s, w] : sources) dense.emplace_back(w, rest[s] * ((long double)v[s] - w));
  // Cumulative dense coverage, piecewise linear between the midpoints of neighbouring w*.
  std::vector<std::pair<long double, long double>> cumulative;
  long double total = 0;
  for (std::size_t i = 0; i < dense.size(); ++i) {
    const long double w = dense[i].first;
    const long double next = i + 1 < dense.size() ? dense[i + 1].first : w;
    if (i == 0) {
      const long double lower = i + 1 < dense.size() ? w - (next - w) / 2 : w;
      cumulative.emplace_back(std::max<long double>(lower, v[e]), 0);
    }
    total += dense[i].second;
    cumulative.emplace_back(
        i + 1 < dense.size() ? (w + next) / 2 : w + (w - cumulative.back().first) / 2, total);
  }
  auto coverage_below = [&](long double u) -> long double {
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u,
                                     [](long double a, const auto& pt) { return a < pt.first; });
    if (it == cumulative.end()) return total;
    if (it == cumulative.begin()) return 0;
    const long double lo_w = std::prev(it)->first;
    const long double lo_c = std::prev(it)->second;
    if (it->first <= lo_w) return lo_c;
    return lo_c + (it->second - lo_c) * std::clamp((u - lo_w) / (it->first - lo_w), 0.0L, 1.0L);
  };
  std::vector<long double> target(m_, 0);
  long double below = 0;
  for (std::size_t j = e; j < m_; ++j) {
    const long double upper =
        j + 1 < m_ ? coverage_below(((long double)v[j] + v[j + 1]) / 2) : total;
    target[j] = v[j] - (upper - below) / p[j];
    below = upper;
  }
  return pooled_levels(target, e);
}

// The greedy certificate on the binding stretch: B from binding_levels, and from e up the greedy
// plan for the demands p_j (v_j - B_j), which pairs the sources with targets next to their best
// alternatives and covers each demand exactly (until the demands run out).
void Construction::greedy_stretch(const Candidate& c, const std::vector<double>& rest,
                                  SymmetricCertificate& cert) const {
  const auto& v = t_.values;
  const auto& p = t_.probabilities;
  const std::size_t e = c.switch_index;
  const std::vector<double> level = binding_levels(c, rest);
  std::vector<long double> demand(m_, 0);
  for (std::size_t j = e; j < m_; ++j) demand[j] = p[j] * ((long double)v[j] - level[j]);
  std::size_t j = e;
  for (std::size_t s = e + 1; s < m_; ++s) {
    if (c.deviations.target[s] == kNoAlternative) continue;
    double mass = rest[s];
    while (mass > 0 && j < s) {
      if (demand[j] <= 0) {
        ++j;
        continue;
      }
      const long double rate = (long double)v[s] - v[j];
      const double needed = static_cast<double>(demand[j] / rate);
      const double amount = std::min(mass, needed);
      cert.plan.push_back({s, j, amount});
      demand[j] -= amount * rate;
      mass -= amount;
      if (amount == needed) demand[j++] = 0;
    }
  }
  set_border(level, e, cert);
}

// The certificate on the binding stretch j >= e (docs/model.md#structured-certificate). Each paying
// source s ships its remaining mass to the cells around its continuous best alternative w*_s: its
// coverage is spread evenly over the interval between the midpoints of its neighbours' w* (so that
// the coverage, and B, vary smoothly from cell to cell), and the share of that interval lying in
// target cell j (between the midpoints of v_j and its neighbours) is the share of its mass shipped
// to j, covering v_s - v_j per unit. All the mass is shipped, every flow goes to a cell next to a
// best alternative bid, and B_j = v_j - cov_j / p_j makes every demand p_j (v_j - B_j) covered
// exactly (the discrete form of B = w - kappa_G / f, docs/model.md#border-dual). B is then made
// nondecreasing by pooling adjacent violators (weights p_j) and clipped at 0; only the pooled cells
// leave a gap.
void Construction::spread_stretch(const Candidate& c, const std::vector<double>& rest,
                                  SymmetricCertificate& cert) const {
  const auto& v = t_.values;
  const auto& p = t_.probabilities;
  const std::size_t e = c.switch_index;
  std::vector<std::pair<std::size_t, long double>> sources;  // (source, w*), w* nondecreasing
  for (std::size_t s = e + 1; s < m_; ++s) {
    if (rest[s] <= 0 || c.deviations.target[s] == kNoAlternative) continue;
    const long double floor = sources.empty() ? (long double)v[e] : sources.back().second;
    sources.emplace_back(s, std::max(continuous_target(s, c), floor));
  }
  // Source i spreads over [ends[i], ends[i + 1]].
  std::vector<long double> ends;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const long double w = sources[i].second;
    if (i == 0) {
      const long double lower = sources.size() > 1 ? w - (sources[1].second - w) / 2 : w;
      ends.push_back(std::max<long double>(lower, v[e]));
    }
    ends.push_back(i + 1 < sources.size() ? (w + sources[i + 1].second) / 2
                                          : w + (w - ends.back()) / 2);
  }
  // Target cell j spans [upper(j - 1), upper(j)) (the first from -inf, the last to +inf).
  auto upper = [&](std::size_t j) {
    return j + 1 < m_ ? ((long double)v[j] + v[j + 1]) / 2
                      : std::numeric_limits<long double>::infinity();
  };
  // The spread plan (source, target, mass), in increasing order of source and target.
  CoveragePlan spread;
  std::vector<long double> coverage(m_, 0);
  std::size_t j = e;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto [s, w] = sources[i];
    const long double lo = ends[i], hi = ends[i + 1], width = hi - lo;
    while (j + 1 < m_ && upper(j) <= lo) ++j;
    long double shipped = 0;
    for (std::size_t k = j;; ++k) {
      const long double from = k == e ? lo : std::max(lo, upper(k - 1));
      const long double to = std::min(hi, upper(k));
      const bool last = !(upper(k) < hi) || k + 1 >= s;
      const long double share = last ? 1 - shipped : width > 0 ? (to - from) / width : 0;
      const std::size_t target = std::min(k, s - 1);
      if (share > 0) {
        const double mass = static_cast<double>(rest[s] * share);
        spread.push_back({s, target, mass});
        coverage[target] += mass * ((long double)v[s] - v[target]);
        shipped += share;
      }
      if (last) break;
    }
  }
  std::vector<long double> target(m_, 0);
  for (std::size_t k = e; k < m_; ++k) target[k] = v[k] - coverage[k] / p[k];
  const std::vector<double> level = pooled_levels(target, e);
  // Where cells were pooled (B constant over a run), the spread no longer matches the demands
  // p_j (v_j - B): there the mass the spread sent into the run is reshipped by the greedy plan for
  // those demands (sources and targets in increasing order), which covers them exactly.
  std::vector<std::size_t> run(m_, 0);  // first cell of the pooled run containing each cell
  for (std::size_t k = e; k < m_; ++k) {
    run[k] = k > e && level[k] == level[k - 1] ? run[k - 1] : k;
  }
  auto pooled = [&](std::size_t k) {
    return (k > e && run[k] != k) || (k + 1 < m_ && run[k + 1] == run[k]);
  };
  std::vector<long double> demand(m_, 0);
  for (std::size_t k = e; k < m_; ++k) demand[k] = p[k] * ((long double)v[k] - level[k]);
  std::vector<std::size_t> pointer(m_, 0);  // per run: the next target with demand left
  for (std::size_t k = e; k < m_; ++k) pointer[k] = run[k];
  for (const CoverageFlow& f : spread) {
    if (!pooled(f.target)) {
      cert.plan.push_back(f);
      continue;
    }
    std::size_t& t = pointer[run[f.target]];
    double mass = f.mass;
    while (mass > 0 && t < f.source && run[t] == run[f.target]) {
      if (demand[t] <= 0) {
        ++t;
        continue;
      }
      const long double rate = (long double)v[f.source] - v[t];
      const double needed = static_cast<double>(demand[t] / rate);
      const double amount = std::min(mass, needed);
      cert.plan.push_back({f.source, t, amount});
      demand[t] -= amount * rate;
      mass -= amount;
      if (amount == needed) demand[t++] = 0;
    }
  }
  set_border(level, e, cert);
}

// beta_k = B_k - B_{k-1} from e up (beta_e = B_e).
void Construction::set_border(const std::vector<double>& level, std::size_t e,
                              SymmetricCertificate& cert) const {
  cert.border.assign(m_, 0.0);
  double previous = 0;
  for (std::size_t k = e; k < m_; ++k) {
    cert.border[k] = std::max(0.0, level[k] - previous);
    previous += cert.border[k];
  }
}

// Levels made nondecreasing from e up by pooling adjacent violators (weights p_j), clipped at 0.
std::vector<double> Construction::pooled_levels(const std::vector<long double>& target,
                                                std::size_t e) const {
  const auto& p = t_.probabilities;
  struct Block {
    long double sum, weight;
    std::size_t count;
  };
  std::vector<Block> blocks;
  for (std::size_t j = e; j < m_; ++j) {
    blocks.push_back({target[j] * p[j], (long double)p[j], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].sum * blocks.back().weight >
                                    blocks.back().sum * blocks[blocks.size() - 2].weight) {
      const Block top = blocks.back();
      blocks.pop_back();
      blocks.back().sum += top.sum;
      blocks.back().weight += top.weight;
      blocks.back().count += top.count;
    }
  }
  std::vector<double> level(m_, 0.0);
  std::size_t j = e;
  for (const Block& b : blocks) {
    const double mean = static_cast<double>(std::max(0.0L, b.sum / b.weight));
    for (std::size_t k = 0; k < b.count; ++k) level[j++] = mean;
  }
  return level;
}

std::array<SymmetricCertificate, 2> Construction::certificates(const Candidate& c) const {
  const std::size_t e = c.switch_index;
  SymmetricCertificate cert;
  std::vector<double> rest(t_.probabilities.begin(), t_.probabilities.end());
  // Below e: the one-bidder greedy plan, which covers those targets exactly (B = 0 there).
  for (const CoverageFlow& f : one_bidder_.plan) {
    if (f.target >= e) continue;
    cert.plan.push_back(f);
    rest[f.source] -= f.mass;
  }
  cert.monotone.assign(m_ > 0 ? m_ - 1 : 0, 0.0);
  SymmetricCertificate greedy = cert;
  greedy_stretch(c, rest, greedy);
  spread_stretch(c, rest, cert);
  return {std::move(greedy), std::move(cert)};
}

}  // namespace

std::optional<SymmetricSolution> solve_symmetric_structured(const DiscreteTypes& types, int bidders,
                                                            const IronedStretch* ironed) {
  DIA_CHECK(types.size() >= 1 && bidders >= 2);
  const Construction construction(types, bidders);
  auto best = construction.best();
  if (!best) return std::nullopt;
  if (ironed) {
    auto stretched = construction.ironed(*best, *ironed);
    if (stretched && stretched->revenue >= best->revenue) best = std::move(stretched);
  }
  SymmetricSolution out;
  out.mechanism.allocation.assign(best->allocation.begin(), best->allocation.end());
  out.mechanism.rent.assign(best->deviations.rent.begin(), best->deviations.rent.end());
  out.revenue = bidders * best->revenue;
  // Keep whichever certificate proves the smaller bound (each wins on some inputs: the spread one
  // where many sources share few targets, as in heavy tails; the greedy one where B is pooled).
  auto certificates = construction.certificates(*best);
  std::size_t chosen = 0;
  double best_dual = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < certificates.size(); ++i) {
    const AuditReport audit =
        audit_symmetric(types, bidders, out.mechanism, &certificates[i], kSymmetricAuditTolerances);
    if (audit.max_plan_violation <= 1e-12 && audit.dual < best_dual) {
      best_dual = audit.dual;
      chosen = i;
    }
  }
  out.certificate = std::move(certificates[chosen]);
  return out;
}

}  // namespace dia
