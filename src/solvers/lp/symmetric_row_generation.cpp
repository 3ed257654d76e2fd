// Row generation for the n-bidder (LP) (see symmetric.hpp). Columns: X_0..X_{m-1} in [0, 1],
// u_k = U_k / v_k >= 0, s_k = S_k / H_k in [0, 1]. Rows: s_k - (H_{k+1} / H_k) s_{k+1} -
// (p_k / H_k) X_k = 0 (tail sums), X_{k+1} - X_k >= 0 (monotone), and IC rows
// u_k - (1 - v_j / v_k) X_j >= 0 added as found violated (docs/model.md#row-generation).
#include <fmt/format.h>

#include <ClpSimplex.hpp>
#include <algorithm>
#include <cmath>
#include <set>

#include "clp_limits.hpp"
#include "dia/audit.hpp"
#include "dia/border_lottery.hpp"
#include "dia/cancel.hpp"
#include "dia/one_bidder.hpp"
#include "dia/symmetric.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/deviation_hull.hpp"
#include "symmetric_column_generation.hpp"

namespace dia {
namespace {

constexpr double kTolerance = 1e-12;
constexpr int kMaxRounds = 200;
// IC rows allowed per type. The optimum binds a few per type and the solves that settle need up to
// 14 (1219 atoms with tails to 3.3e6); a pareto tail to 5.5e24 (1459 atoms) instead grows a pool
// of X whose lowest bid walks up by the window's width each round (175000 rows after 64 rounds),
// which no other scaling helps, so past this budget the attempt stops and the caller falls back.
constexpr std::size_t kRowsPerType = 25;
constexpr double kCertificateGap = 1e-9;
// The column generation that reseeds a crept attempt: the 1459-atom pareto input closes to 7.7e-9
// in 2 rounds; its allocation only seeds rows, so a loose gap is enough.
constexpr double kColumnGenerationGap = 1e-7;
constexpr int kColumnGenerationRounds = 400;  // relative: a wider one is re-solved unscaled

struct Layout {
  int m;
  int x(std::size_t k) const { return static_cast<int>(k); }
  int u(std::size_t k) const { return m + static_cast<int>(k); }
  int s(std::size_t k) const { return 2 * m + static_cast<int>(k); }
  int tail_row(std::size_t k) const { return static_cast<int>(k); }
  int monotone_row(std::size_t k) const { return m + static_cast<int>(k); }
  int first_ic_row() const { return 2 * m - 1; }
};

struct IcRow {
  std::size_t type;
  std::size_t alternative;
};

void add_ic_rows(ClpSimplex& model, const Layout& at, const DiscreteTypes& t,
                 const std::vector<IcRow>& rows) {
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower(rows.size(), 0.0), upper(rows.size(), COIN_DBL_MAX);
  for (const IcRow& r : rows) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    columns.push_back(at.u(r.type));
    elements.push_back(1.0);
    columns.push_back(at.x(r.alternative));
    elements.push_back(-(1.0 - t.values[r.alternative] / t.values[r.type]));
  }
  starts.push_back(static_cast<CoinBigIndex>(columns.size()));
  model.addRows(static_cast<int>(rows.size()), lower.data(), upper.data(), starts.data(),
                columns.data(), elements.data());
}

// H_k = (1 - F_{k-1}^n) / n, the Border bound (F) on the tail sum S_k, with 1 - F_{k-1} summed
// from the top: 1 - F_{k-1} itself rounds to 0 above atoms of 1e-17, which would bound their tail
// sums, hence X (monotone: all of it), by 0.
std::vector<double> border_bounds(const DiscreteTypes& t, int n) {
  const std::size_t m = t.size();
  std::vector<double> above(m + 1, 0.0), h(m);
  for (std::size_t k = m; k-- > 0;) above[k] = above[k + 1] + t.probabilities[k];
  for (std::size_t k = 0; k < m; ++k) {
    h[k] = -std::expm1(n * std::log1p(-std::min(above[k], 1.0))) / n;
  }
  return h;
}

// The base model: tail-sum and monotonicity rows. Scaled so that every coefficient is O(1) however
// far the values and probabilities spread (a pareto tail to 5.5e24 with atoms of 1e-27 put IC
// coefficients above CLP's limit of 1e20): U_k is a column u_k = U_k / v_k (rents in units of the
// value, so IC rows read u_k - (1 - v_j / v_k) X_j >= 0), S_k a column s_k = S_k / H_k in [0, 1],
// and the tail row k is divided by H_k.
void load_base_model(ClpSimplex& model, const Layout& at, const DiscreteTypes& t,
                     const std::vector<double>& h, double cost_scale) {
  const std::size_t m = t.size();
  const auto& v = t.values;
  const auto& p = t.probabilities;
  model.resize(0, 3 * at.m);
  for (std::size_t k = 0; k < m; ++k) {
    model.setColumnBounds(at.x(k), 0.0, 1.0);
    model.setObjectiveCoefficient(at.x(k), p[k] * v[k] * cost_scale);
    model.setColumnBounds(at.u(k), 0.0, COIN_DBL_MAX);
    model.setObjectiveCoefficient(at.u(k), -p[k] * v[k] * cost_scale);
    model.setColumnBounds(at.s(k), 0.0, 1.0);
    model.setObjectiveCoefficient(at.s(k), 0.0);
  }
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower, upper;
  auto row = [&](std::initializer_list<std::pair<int, double>> entries, double lo, double hi) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    for (auto [c, e] : entries) columns.push_back(c), elements.push_back(e);
    lower.push_back(lo);
    upper.push_back(hi);
  };
  for (std::size_t k = 0; k < m; ++k) {
    if (k + 1 < m) {
      row({{at.s(k), 1.0}, {at.s(k + 1), -h[k + 1] / h[k]}, {at.x(k), -p[k] / h[k]}}, 0.0, 0.0);
    } else {
      row({{at.s(k), 1.0}, {at.x(k), -p[k] / h[k]}}, 0.0, 0.0);
    }
  }
  for (std::size_t k = 0; k + 1 < m; ++k) {
    row({{at.x(k + 1), 1.0}, {at.x(k), -1.0}}, 0.0, COIN_DBL_MAX);
  }
  starts.push_back(static_cast<CoinBigIndex>(columns.size()));
  model.addRows(static_cast<int>(lower.size()), lower.data(), upper.data(), starts.data(),
                columns.data(), elements.data());
}

// IC rows near the best alternative bid of each type under a guessed allocation: the optimum's
// binding rows are near them (w* moves continuously), so few rounds remain.
void add_rows_near(const std::vector<double>& guess, const DiscreteTypes& t, std::size_t width,
                   std::set<std::pair<std::size_t, std::size_t>>& known, std::vector<IcRow>& out) {
  const detail::DeviationHull hull(t.values, guess);
  for (std::size_t k = 1; k < t.size(); ++k) {
    const std::size_t best = hull.best(t.values[k], k - 1).second;
    const std::size_t centre = best == detail::DeviationHull::kNone ? k - 1 : best;
    const std::size_t from = centre >= width ? centre - width : 0;
    for (std::size_t j = from; j <= std::min(centre + width, k - 1); ++j) {
      if (known.insert({k, j}).second) out.push_back({k, j});
    }
  }
}

// The guesses whose best alternative bids seed the IC rows. With a hint (the solution on a coarser
// grid): the hint alone, linearly interpolated in value onto this grid (monotone since the hint
// is); the rows near its best alternatives are nearly all the optimum needs (uniform(1,2) with 2
// bidders on 1000 cells: 5292 rows and 1.4 s against 11697 rows and 3.4 s with the guesses
// below added). Without: G_k = (F_k^n - F_{k-1}^n) / (n p_k) and min(G, G(c) X1 / X1(c)) from
// the one-bidder sweep X1.
std::vector<std::vector<double>> seed_allocations(const DiscreteTypes& t, int n,
                                                  const AllocationHint* hint) {
  const std::size_t m = t.size();
  if (!hint || hint->values.empty()) {
    std::vector<double> g(m);
    long double below = 0;
    for (std::size_t k = 0; k < m; ++k) {
      const long double above = below + t.probabilities[k];
      g[k] = static_cast<double>(
          (std::pow(std::min(above, 1.0L), (long double)n) - std::pow(below, (long double)n)) /
          (n * (long double)t.probabilities[k]));
      below = above;
    }
    const OneBidderSweep one = solve_one_bidder_sweep(t);
    std::vector<double> scaled(m);
    for (std::size_t k = 0; k < m; ++k) {
      scaled[k] = std::min(g[k], g[one.cutoff] * one.mechanism.allocation[k]);
    }
    for (std::size_t k = 1; k < m; ++k) scaled[k] = std::max(scaled[k], scaled[k - 1]);
    return {g, scaled};
  }
  std::vector<double> hinted(m);
  const auto& hv = hint->values;
  const auto& hx = hint->allocation;
  for (std::size_t k = 0; k < m; ++k) {
    const double w = t.values[k];
    const auto it = std::lower_bound(hv.begin(), hv.end(), w);
    if (it == hv.begin()) {
      hinted[k] = hx.front();
    } else if (it == hv.end()) {
      hinted[k] = hx.back();
    } else {
      const std::size_t i = static_cast<std::size_t>(it - hv.begin());
      const double share = (w - hv[i - 1]) / (hv[i] - hv[i - 1]);
      hinted[k] = hx[i - 1] + share * (hx[i] - hx[i - 1]);
    }
  }
  return {hinted};
}

// The demands d_j = p_j (v_j - B_j) + gamma_{j-1} - gamma_j left for the IC multipliers to cover,
// and the greedy plan covering them (docs/model.md#certificate).
CoveragePlan best_plan(const DiscreteTypes& t, const SymmetricCertificate& c) {
  const std::size_t m = t.size();
  std::vector<double> demand(m);
  long double cumulative = 0;
  for (std::size_t j = 0; j < m; ++j) {
    cumulative += c.border[j];
    long double d = (long double)t.probabilities[j] * (t.values[j] - cumulative);
    if (j > 0) d += c.monotone[j - 1];
    if (j + 1 < m) d -= c.monotone[j];
    demand[j] = static_cast<double>(d);
  }
  return greedy_coverage_plan(t, demand);
}

}  // namespace

Expected<SymmetricSolution> solve_symmetric(const DiscreteTypes& t, int n,
                                            const AllocationHint* hint) {
  const std::size_t m = t.size();
  DIA_CHECK(m >= 1 && n >= 1);
  const auto& v = t.values;
  const auto& p = t.probabilities;
  const Layout at{static_cast<int>(m)};
  double largest_cost = 0;
  for (std::size_t k = 0; k < m; ++k) largest_cost = std::max(largest_cost, p[k] * v[k]);
  const std::vector<double> h = border_bounds(t, n);
  const double cost_scale = largest_cost > 0 ? 1.0 / largest_cost : 1.0;

  // One attempt: a fresh model with CLP's scaling `scaling`, rounds of the dual (or primal) simplex
  // each adding the IC rows the current X violates until none, then the primal (X and the smallest
  // rents (RENT)) and the certificate with its gap.
  // The Border and monotonicity multipliers, in per-bidder revenue units: CLP's row duals of a
  // maximisation are <= 0 on >= rows; the Border multiplier of S_k <= H_k is its reduced cost.
  auto multipliers = [&](const ClpSimplex& model) {
    const double* row_duals = model.getRowPrice();
    const double* reduced = model.getReducedCost();
    SymmetricCertificate c;
    for (std::size_t k = 0; k + 1 < m; ++k) {
      c.monotone.push_back(std::fabs(row_duals[at.monotone_row(k)]) / cost_scale);
    }
    for (std::size_t k = 0; k < m; ++k) {
      c.border.push_back(std::max(0.0, reduced[at.s(k)]) / (cost_scale * h[k]));
    }
    return c;
  };
  bool over_budget = false;
  auto attempt = [&](int scaling, bool primal) -> Expected<std::pair<SymmetricSolution, double>> {
    ClpSimplex model;
    model.setLogLevel(0);
    model.setOptimizationDirection(-1);
    model.setPrimalTolerance(kTolerance);
    model.setDualTolerance(kTolerance);
    model.scaling(scaling);
    load_base_model(model, at, t, h, cost_scale);
    // Seeds: the rows near the best alternative bids of the coarser grid's X when there is one,
    // else of the efficient allocation G (where Border binds) and of the one-bidder optimum
    // scaled under G (where it is slack).
    std::set<std::pair<std::size_t, std::size_t>> known;
    std::vector<IcRow> ic;
    for (const auto& guess : seed_allocations(t, n, hint)) add_rows_near(guess, t, 2, known, ic);
    add_ic_rows(model, at, t, ic);
    SymmetricSolution out;
    std::vector<double> x(m);
    while (true) {
      throw_if_cancelled();
      detail::bound_iterations(model);  // a stopped (cycling) solve fails this attempt
      primal ? model.primal() : model.dual();
      throw_if_cancelled();  // a solve stopped by the cancel handler is no failure
      out.iterations += model.numberIterations();
      ++out.rounds;
      if (model.status() != 0) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("CLP did not reach optimality on the {}-bidder LP with {} types "
                                "(status {}, secondary {})",
                                n, m, model.status(), model.secondaryStatus()));
      }
      const double* solution = model.primalColumnSolution();
      for (std::size_t k = 0; k < m; ++k) x[k] = std::clamp(solution[at.x(k)], 0.0, 1.0);
      for (std::size_t k = 1; k < m; ++k) x[k] = std::max(x[k], x[k - 1]);  // CLP's 1e-12 slack
      const detail::DeviationHull hull(v, x);
      std::vector<IcRow> violated;
      for (std::size_t k = 1; k < m; ++k) {
        const auto [deviation, alternative] = hull.best(v[k], k - 1);
        const double slack = 1e-11 * std::max(1.0, v[k]);
        if (alternative != detail::DeviationHull::kNone &&
            solution[at.u(k)] * v[k] < deviation - slack) {
          violated.push_back({k, alternative});
        }
      }
      if (violated.empty()) break;
      violated.clear();
      add_rows_near(x, t, 2, known, violated);
      // The dual side: the pairs of the best plan for the current Border and monotonicity
      // multipliers, which the next relaxation's dual can then use.
      for (const CoverageFlow& f : best_plan(t, multipliers(model))) {
        if (f.mass > 0 && known.insert({f.source, f.target}).second) {
          violated.push_back({f.source, f.target});
        }
      }
      if (violated.empty()) break;  // every violated row is in already: CLP's tolerance
      if (out.rounds >= kMaxRounds || ic.size() > kRowsPerType * m) {
        over_budget = true;
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("row generation did not settle in {} rounds and {} IC rows",
                                out.rounds, ic.size()));
      }
      add_ic_rows(model, at, t, violated);
      ic.insert(ic.end(), violated.begin(), violated.end());
    }
    out.ic_rows = ic.size();
    enforce_border(t, x, n);  // CLP meets Border's rows only to its tolerance
    out.mechanism.allocation = x;
    out.mechanism.rent.assign(m, 0.0);
    const detail::DeviationHull hull(v, x);
    detail::CompensatedSum revenue;
    for (std::size_t k = 0; k < m; ++k) {
      if (k > 0) out.mechanism.rent[k] = hull.best(v[k], k - 1).first;
      revenue.add(p[k] * ((long double)v[k] * x[k] - out.mechanism.rent[k]));
    }
    out.revenue = n * revenue.value();
    SymmetricCertificate& c = out.certificate;
    c = multipliers(model);
    // CLP's IC multipliers carry its 1e-12 tolerances, which very uneven probabilities magnify;
    // for the same Border and monotonicity multipliers the greedy plan is the best one, so use it.
    c.plan = best_plan(t, c);
    const AuditReport audit = audit_symmetric(t, n, out.mechanism, &c);
    const double gap = audit.max_plan_violation > 1e-12 ? 1.0 : audit.dual_gap;
    return std::pair{std::move(out), gap};
  };
  // With probabilities spanning ~1e8 (or a 1e-12 atom) CLP can stop at a basis it calls optimal
  // whose duals are ill-conditioned (multipliers of 1e8 that cancel only in exact arithmetic) or
  // that is short of the optimum, or give up. The certificate's gap shows it: then try CLP's other
  // scalings and keep the tightest answer, and last the primal simplex (when the dual cycles).
  // The designer's audit still checks it on its own.
  AllocationHint column_hint;
  bool reseeded = false;
  std::optional<std::pair<SymmetricSolution, double>> best;
  Error failure{ErrorCode::kInvalidArgument, "", ""};
  for (const auto& [scaling, primal] : {std::pair{1, false}, {0, false}, {3, false}, {1, true}}) {
    auto tried = attempt(scaling, primal);
    if (!tried && over_budget && !reseeded) {
      // The relaxation left targets without rows and crept (docs/model.md#column-generation):
      // seed once more from the column generation's allocation, whose rents are true ones. A
      // coarser grid's hint joins the seeds: it crept as well on pareto(1,1.5) with 3 bidders
      // (500 cells, 12818 rows), which failed while only hintless attempts were reseeded.
      over_budget = false;
      reseeded = true;
      std::vector<std::vector<double>> seeds = seed_allocations(t, n, nullptr);
      if (hint) seeds.push_back(seed_allocations(t, n, hint).front());
      auto mixed =
          detail::column_generation(t, h, seeds, kColumnGenerationGap, kColumnGenerationRounds);
      if (mixed) {
        column_hint = AllocationHint{v, std::move(mixed->allocation)};
        hint = &column_hint;
        tried = attempt(scaling, primal);
      }
    }
    if (!tried) {
      failure = tried.error();
      if (over_budget) break;
      continue;
    }
    if (!best || tried->second < best->second) best = std::move(*tried);
    if (best->second <= kCertificateGap) break;
  }
  if (!best) return tl::unexpected(failure);
  return std::move(best->first);
}

}  // namespace dia
