// The DSIC design LP of docs/model.md#dsic for 2 bidders (see dominant.hpp), by row generation
// through COIN-OR CLP with the settings of symmetric_lp.cpp (dual simplex, equilibrium scaling,
// tolerances 1e-12, objective divided by its largest coefficient).
#include <fmt/format.h>

#include <ClpSimplex.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "clp_limits.hpp"
#include "dia/cancel.hpp"
#include "dia/dominant.hpp"
#include "dia/symmetric.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

constexpr double kTolerance = 1e-12;
constexpr int kEquilibriumScaling = 1;
constexpr int kMaxRounds = 200;
// Measured: CLP with its row and column copies, scaled copies and factorization takes about this
// many bytes per nonzero of the loaded LP.
constexpr double kBytesPerNonzero = 120;

struct Layout {
  std::size_t m;
  int x(std::size_t i, std::size_t j) const { return static_cast<int>(i * m + j); }
  int u(std::size_t i, std::size_t j) const { return static_cast<int>(m * m + i * m + j); }
};

struct RowBuffer {
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower, upper;
  void add(std::initializer_list<std::pair<int, double>> entries, double lo, double hi) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    for (auto [c, e] : entries) columns.push_back(c), elements.push_back(e);
    lower.push_back(lo);
    upper.push_back(hi);
  }
  void flush(ClpSimplex& model) {
    if (lower.empty()) return;
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    model.addRows(static_cast<int>(lower.size()), lower.data(), upper.data(), starts.data(),
                  columns.data(), elements.data());
    *this = {};
  }
};

void load_base_model(ClpSimplex& model, const Layout& at, const DiscreteTypes& t) {
  const std::size_t m = t.size();
  const auto& v = t.values;
  const auto& p = t.probabilities;
  double largest = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j)
      largest = std::max({largest, p[i] * p[j] * v[i], p[i] * p[j]});
  }
  const double scale = largest > 0 ? 1.0 / largest : 1.0;
  model.resize(0, static_cast<int>(2 * m * m));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      model.setColumnBounds(at.x(i, j), 0.0, i == j ? 0.5 : 1.0);
      model.setObjectiveCoefficient(at.x(i, j), p[i] * p[j] * v[i] * scale);
      model.setColumnBounds(at.u(i, j), 0.0, COIN_DBL_MAX);
      model.setObjectiveCoefficient(at.u(i, j), -p[i] * p[j] * scale);
    }
  }
  RowBuffer rows;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      rows.add({{at.x(i, j), 1.0}, {at.x(j, i), 1.0}}, -COIN_DBL_MAX, 1.0);  // (F)
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      rows.add({{at.x(i, j), v[i]}, {at.u(i, j), -1.0}}, 0.0, COIN_DBL_MAX);  // (LL)
    }
  }
  rows.flush(model);
}

void add_ic_row(RowBuffer& rows, const Layout& at, const DiscreteTypes& t, std::size_t i,
                std::size_t j, std::size_t k) {
  rows.add({{at.u(i, j), 1.0}, {at.x(k, j), -(t.values[i] - t.values[k])}}, 0.0, COIN_DBL_MAX);
}

// Fills the smallest IC rewards, the figures and the brute-force checks from x.
void finish(DominantSolution& s) {
  const DiscreteTypes& t = s.types;
  const std::size_t m = t.size();
  const auto& v = t.values;
  const auto& p = t.probabilities;
  auto& x = s.allocation;
  for (double& e : x) e = std::clamp(e, 0.0, 1.0);
  s.reward.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      double best = 0;
      for (std::size_t k = 0; k < i; ++k) best = std::max(best, (v[i] - v[k]) * x[k * m + j]);
      s.reward[i * m + j] = best;
    }
  }
  detail::CompensatedSum revenue, lower, sold, reward;
  s.max_ic_violation = s.max_ll_violation = s.max_feasibility_violation = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      const long double pp = (long double)p[i] * p[j];
      const double xij = x[i * m + j], uij = s.reward[i * m + j];
      revenue.add(2 * pp * ((long double)v[i] * xij - uij));
      sold.add(2 * pp * xij);
      reward.add(2 * pp * uij);
      if (i < j) lower.add(2 * pp * xij);
      // Brute force, independent of how u was built: every downward deviation k of type i
      // against j (upward ones earn (v_i - v_k) x <= 0 and need no check).
      for (std::size_t k = 0; k < i; ++k) {
        s.max_ic_violation = std::max(s.max_ic_violation, (v[i] - v[k]) * x[k * m + j] - uij);
      }
      s.max_ll_violation = std::max({s.max_ll_violation, uij - v[i] * xij, -uij});
      const double pair = i == j ? 2 * xij : xij + x[j * m + i];
      s.max_feasibility_violation = std::max(s.max_feasibility_violation, pair - 1);
    }
  }
  s.revenue = revenue.value();
  s.lower_bidder_wins = lower.value();
  s.sale_probability = sold.value();
  s.expected_reward = reward.value();
}

}  // namespace

DominantLpSize dominant_lp_size(std::size_t m) {
  DominantLpSize size;
  size.columns = 2 * m * m;
  const std::size_t ic = m * m * (m > 0 ? m - 1 : 0) / 2;
  size.rows = ic + m * m + m * (m > 0 ? m - 1 : 0) / 2;
  size.nonzeros = 2 * size.rows;
  size.megabytes = kBytesPerNonzero * static_cast<double>(size.nonzeros) / 1e6;
  return size;
}

Expected<void> validate_dominant_request(std::size_t types, int bidders) {
  if (bidders != 2) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--ic dominant is built for 2 bidders only, got {}", bidders),
                "pass --bidders 2, or drop --ic dominant for the Bayesian (BIC) design");
  }
  if (types > kMaxDominantGrid) {
    const DominantLpSize size = dominant_lp_size(types);
    return fail(
        ErrorCode::kTooLarge,
        fmt::format("--ic dominant on {} types is too large: the joint LP over all bid "
                    "profiles has {} columns, {} rows, {} nonzeros (~{:.0f} MB for CLP); "
                    "the limit is {} types",
                    types, size.columns, size.rows, size.nonzeros, size.megabytes,
                    kMaxDominantGrid),
        fmt::format("use --grid {} or less (default {})", kMaxDominantGrid, kDefaultDominantGrid));
  }
  return {};
}

namespace {

// The types merged in consecutive pairs (value: the pair's mean, probability: its sum), for the
// coarse solve that seeds the rows of the fine one.
DiscreteTypes merged_pairs(const DiscreteTypes& t) {
  DiscreteTypes coarse;
  for (std::size_t i = 0; i < t.size(); i += 2) {
    double mass = t.probabilities[i], weighted = mass * t.values[i];
    if (i + 1 < t.size()) {
      mass += t.probabilities[i + 1];
      weighted += t.probabilities[i + 1] * t.values[i + 1];
    }
    coarse.values.push_back(weighted / mass);
    coarse.probabilities.push_back(mass);
  }
  return coarse;
}

// The LP by row generation. Seeds: every (i, j, k) with k within 2 of i's best lie against j
// under `guess` (the coarse solution, when there is one) and k = i - 1 (docs/model.md#dsic).
Expected<DominantSolution> solve_rows(const DiscreteTypes& t, bool all_rows,
                                      const std::vector<double>* guess) {
  const std::size_t m = t.size();
  const Layout at{m};
  DominantSolution out;
  out.types = t;
  ClpSimplex model;
  model.setLogLevel(0);
  model.setOptimizationDirection(-1);  // maximize
  model.setPrimalTolerance(kTolerance);
  model.setDualTolerance(kTolerance);
  model.scaling(kEquilibriumScaling);
  load_base_model(model, at, t);
  const auto& v = t.values;
  std::vector<bool> known(m * m * m, false);
  RowBuffer rows;
  auto add = [&](std::size_t i, std::size_t j, std::size_t k) {
    if (known[(i * m + j) * m + k]) return false;
    add_ic_row(rows, at, t, i, j, k);
    known[(i * m + j) * m + k] = true;
    return true;
  };
  for (std::size_t i = 1; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t k = all_rows ? 0 : i - 1; k < i; ++k) out.ic_rows += add(i, j, k);
      if (!guess) continue;
      double best = 0;
      std::size_t arg = i - 1;
      for (std::size_t k = 0; k < i; ++k) {
        const double gain = (v[i] - v[k]) * (*guess)[k * m + j];
        if (gain > best) best = gain, arg = k;
      }
      for (std::size_t k = arg >= 2 ? arg - 2 : 0; k <= std::min(arg + 2, i - 1); ++k) {
        out.ic_rows += add(i, j, k);
      }
    }
  }
  rows.flush(model);

  while (true) {
    throw_if_cancelled();
    detail::bound_iterations(model);
    model.dual();
    out.iterations += model.numberIterations();
    ++out.rounds;
    if (model.status() != 0) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("CLP did not reach optimality on the DSIC LP with {} types "
                              "(status {}, secondary {})",
                              m, model.status(), model.secondaryStatus()));
    }
    const double* s = model.primalColumnSolution();
    std::size_t added = 0;
    for (std::size_t i = 1; i < m; ++i) {
      for (std::size_t j = 0; j < m; ++j) {
        double worst = 0;
        std::size_t arg = m;
        for (std::size_t k = 0; k < i; ++k) {
          const double gap = (v[i] - v[k]) * s[at.x(k, j)] - s[at.u(i, j)];
          if (gap > worst) worst = gap, arg = k;
        }
        if (arg == m || worst <= 1e-11 * std::max(1.0, v[i])) continue;
        // The most violated lie and its neighbours: the next X moves the best lie by a type or
        // two, so adding them saves rounds (as in the Bayesian row generation).
        for (std::size_t k = arg > 0 ? arg - 1 : 0; k <= std::min(arg + 1, i - 1); ++k) {
          added += add(i, j, k);
        }
      }
    }
    if (added == 0) break;
    if (out.rounds >= kMaxRounds) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the DSIC row generation did not settle in {} rounds", kMaxRounds));
    }
    out.ic_rows += added;
    rows.flush(model);
  }
  const double* s = model.primalColumnSolution();
  out.allocation.assign(s, s + m * m);
  return out;
}

// Grids up to this size are solved from the adjacent rows alone; larger ones are seeded by the
// solution on their types merged in pairs, recursively.
constexpr std::size_t kCoarsestSeededGrid = 16;

}  // namespace

Expected<DominantSolution> solve_dominant_strategy(const DiscreteTypes& t, int bidders,
                                                   bool all_rows) {
  if (auto valid = validate_dominant_request(t.size(), bidders); !valid) {
    return tl::unexpected(valid.error());
  }
  const std::size_t m = t.size();
  if (m == 0) return fail(ErrorCode::kInvalidArgument, "the DSIC LP needs at least one type");
  std::vector<double> guess;
  int coarse_iterations = 0;
  if (!all_rows && m > kCoarsestSeededGrid) {
    auto coarse = solve_dominant_strategy(merged_pairs(t), bidders);
    if (!coarse) return tl::unexpected(coarse.error());
    const std::size_t mc = coarse->types.size();
    guess.resize(m * m);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < m; ++j) guess[i * m + j] = coarse->allocation[i / 2 * mc + j / 2];
    }
    coarse_iterations = coarse->iterations;
  }
  auto out = solve_rows(t, all_rows, guess.empty() ? nullptr : &guess);
  if (!out) return out;
  out->iterations += coarse_iterations;
  finish(*out);
  return out;
}

Expected<DiscreteTypes> dominant_grid(const Distribution& d, int bidders,
                                      std::optional<std::size_t> grid) {
  const std::size_t types =
      d.is_discrete() ? d.atoms().size() : grid.value_or(kDefaultDominantGrid);
  if (auto valid = validate_dominant_request(types, bidders); !valid) {
    return tl::unexpected(valid.error());
  }
  return d.is_discrete() ? d.atoms() : quantile_grid(d, types);
}

Expected<DominantComparison> compare_dominant(const Distribution& d, int bidders,
                                              std::optional<std::size_t> grid) {
  auto types = dominant_grid(d, bidders, grid);
  if (!types) return tl::unexpected(types.error());
  auto dsic = solve_dominant_strategy(*types, bidders);
  if (!dsic) return tl::unexpected(dsic.error());
  auto bic = solve_symmetric(*types, bidders);
  if (!bic) return tl::unexpected(bic.error());
  DominantComparison out;
  out.grid = types->size();
  out.grid_kind = d.is_discrete() ? "atoms" : "quantile";
  out.bic_revenue = bic->revenue;
  out.loss_vs_bic_percent =
      bic->revenue > 0 ? 100 * (bic->revenue - dsic->revenue) / bic->revenue : 0.0;
  out.dsic = std::move(*dsic);
  return out;
}

}  // namespace dia
