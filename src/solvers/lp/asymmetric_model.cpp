#include "solvers/lp/asymmetric_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "clp_limits.hpp"
#include "dia/step_masses.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia::detail {
namespace {

constexpr double kTolerance = 1e-12;

// The rows of one batch, appended to the model at once.
struct RowBatch {
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower, upper;

  void begin(double lo, double hi) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    lower.push_back(lo);
    upper.push_back(hi);
  }
  void entry(int column, double element) {
    columns.push_back(column);
    elements.push_back(element);
  }
  void add_to(ClpSimplex& model) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    model.addRows(static_cast<int>(lower.size()), lower.data(), upper.data(), starts.data(),
                  columns.data(), elements.data());
  }
};

// Is S_i = {k >= first} for some first (a value-upper set)? Returns first, or m when empty.
std::optional<std::size_t> suffix_start(const std::vector<std::size_t>& set, std::size_t m) {
  if (set.empty()) return m;
  const std::size_t first = set.front();
  if (set.back() != m - 1 || set.size() != m - first) return std::nullopt;
  return first;
}

}  // namespace

AsymmetricLp::AsymmetricLp(const std::vector<DiscreteTypes>& bidders) : bidders_(bidders) {
  double largest_cost = 0;
  for (const auto& b : bidders) {
    offset_.push_back(total_);
    total_ += static_cast<int>(b.size());
    for (std::size_t k = 0; k < b.size(); ++k) {
      largest_cost = std::max({largest_cost, b.probabilities[k] * b.values[k], b.probabilities[k]});
    }
  }
  cost_scale_ = largest_cost > 0 ? 1.0 / largest_cost : 1.0;
  model_.setLogLevel(0);
  model_.setOptimizationDirection(-1);
  model_.setPrimalTolerance(kTolerance);
  model_.setDualTolerance(kTolerance);
  model_.resize(0, 3 * total_);
  RowBatch rows;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    const auto& v = bidders[i].values;
    const auto& p = bidders[i].probabilities;
    const std::size_t m = v.size();
    for (std::size_t k = 0; k < m; ++k) {
      model_.setColumnBounds(x(i, k), 0.0, 1.0);
      model_.setObjectiveCoefficient(x(i, k), p[k] * v[k] * cost_scale_);
      model_.setColumnBounds(u(i, k), 0.0, COIN_DBL_MAX);
      model_.setObjectiveCoefficient(u(i, k), -p[k] * cost_scale_);
      model_.setColumnBounds(t(i, k), 0.0, 1.0);
      // T_ik - T_i,k+1 - p_ik X_ik = 0.
      rows.begin(0.0, 0.0);
      rows.entry(t(i, k), 1.0);
      if (k + 1 < m) rows.entry(t(i, k + 1), -1.0);
      rows.entry(x(i, k), -p[k]);
      is_equality_.push_back(1);
      // (LL) v X - U >= 0.
      rows.begin(0.0, COIN_DBL_MAX);
      rows.entry(x(i, k), v[k]);
      rows.entry(u(i, k), -1.0);
      is_equality_.push_back(0);
    }
  }
  rows.add_to(model_);
  is_ic_row_.assign(is_equality_.size(), 0);
  is_restriction_.assign(is_equality_.size(), 0);
  ic_.resize(is_equality_.size());
}

void AsymmetricLp::add_ic_rows(const std::vector<IcRow>& rows) {
  RowBatch batch;
  for (const IcRow& r : rows) {
    const auto& v = bidders_[r.bidder].values;
    batch.begin(0.0, COIN_DBL_MAX);
    batch.entry(u(r.bidder, r.type), 1.0);
    batch.entry(x(r.bidder, r.alternative), -(v[r.type] - v[r.alternative]));
    is_equality_.push_back(0);
    is_ic_row_.push_back(1);
    is_restriction_.push_back(0);
    ic_.push_back(r);
  }
  batch.add_to(model_);
  ic_rows += rows.size();
}

void AsymmetricLp::add_families(
    const std::vector<std::vector<std::vector<std::size_t>>>& families) {
  RowBatch batch;
  for (const auto& sets : families) {
    long double outside = 1;  // prod_i (1 - P_i(S_i)), each factor by the mass outside S_i
    for (std::size_t i = 0; i < bidders_.size(); ++i) {
      std::vector<char> in(bidders_[i].size(), 0);
      for (std::size_t k : sets[i]) in[k] = 1;
      long double mass = 0;
      for (std::size_t k = 0; k < in.size(); ++k) {
        if (!in[k]) mass += bidders_[i].probabilities[k];
      }
      outside *= mass;
    }
    // -sum p X >= -(1 - outside).
    batch.begin(-static_cast<double>(1 - outside), COIN_DBL_MAX);
    for (std::size_t i = 0; i < bidders_.size(); ++i) {
      const std::size_t m = bidders_[i].size();
      if (const auto first = suffix_start(sets[i], m)) {
        if (*first < m) batch.entry(t(i, *first), -1.0);
      } else {
        for (std::size_t k : sets[i]) batch.entry(x(i, k), -bidders_[i].probabilities[k]);
      }
    }
    is_equality_.push_back(0);
    is_ic_row_.push_back(0);
    is_restriction_.push_back(0);
    ic_.emplace_back();
  }
  batch.add_to(model_);
  border_rows += families.size();
}

void AsymmetricLp::add_monotonicity_rows() {
  RowBatch batch;
  for (std::size_t i = 0; i < bidders_.size(); ++i) {
    for (std::size_t k = 0; k + 1 < bidders_[i].size(); ++k) {
      batch.begin(0.0, COIN_DBL_MAX);
      batch.entry(x(i, k + 1), 1.0);
      batch.entry(x(i, k), -1.0);
      is_equality_.push_back(0);
      is_ic_row_.push_back(0);
      is_restriction_.push_back(1);
      ic_.emplace_back();
    }
  }
  batch.add_to(model_);
}

void AsymmetricLp::relax_monotonicity_rows() {
  for (std::size_t r = 0; r < is_restriction_.size(); ++r) {
    if (is_restriction_[r]) model_.setRowLower(static_cast<int>(r), -COIN_DBL_MAX);
  }
}

Expected<void> AsymmetricLp::solve(bool primal) {
  bound_iterations(model_);
  primal ? model_.primal() : model_.dual();
  throw_if_cancelled();  // a solve stopped by the cancel handler is no failure
  iterations += model_.numberIterations();
  if (model_.status() != 0) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("CLP did not reach optimality on the asymmetric LP ({} rows, status "
                            "{}, secondary {})",
                            model_.numberRows(), model_.status(), model_.secondaryStatus()));
  }
  return {};
}

std::vector<std::vector<double>> AsymmetricLp::allocation() const {
  const double* solution = model_.getColSolution();
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < bidders_.size(); ++i) {
    out.emplace_back(bidders_[i].size());
    for (std::size_t k = 0; k < bidders_[i].size(); ++k) {
      out[i][k] = std::clamp(solution[x(i, k)], 0.0, 1.0);
    }
  }
  return out;
}

std::vector<std::vector<double>> AsymmetricLp::rents() const {
  const double* solution = model_.getColSolution();
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < bidders_.size(); ++i) {
    out.emplace_back(bidders_[i].size());
    for (std::size_t k = 0; k < bidders_[i].size(); ++k) out[i][k] = solution[u(i, k)];
  }
  return out;
}

double AsymmetricLp::dual_bound() const {
  const int rows = model_.numberRows();
  const int columns = model_.numberColumns();
  // Multipliers y >= 0 of the >= rows (CLP's row duals of a maximisation are <= 0 there), free
  // on the equality rows: L(z) = c z + sum_r y_r (a_r z - rhs_r) >= c z for every feasible z.
  std::vector<double> y(rows);
  const double* duals = model_.getRowPrice();
  const double* lower = model_.getRowLower();
  for (int r = 0; r < rows; ++r) {
    y[r] = is_restriction_[r] ? 0.0 : is_equality_[r] ? -duals[r] : std::max(0.0, -duals[r]);
  }
  // U_ik is unbounded above: its coefficient -p_ik + (IC multipliers of type k) - (LL multiplier)
  // must be <= 0; where CLP's tolerance leaves it positive, scale that type's IC multipliers down.
  std::vector<double> coefficient(columns);
  auto compute = [&] {
    model_.matrix()->transposeTimes(y.data(), coefficient.data());
    for (int c = 0; c < columns; ++c) coefficient[c] += model_.getObjCoefficients()[c];
  };
  compute();
  std::vector<double> ic_mass(columns, 0.0);
  for (int r = 0; r < rows; ++r) {
    if (is_ic_row_[r]) ic_mass[u(ic_[r].bidder, ic_[r].type)] += y[r];
  }
  bool rescaled = false;
  for (int r = 0; r < rows; ++r) {
    if (!is_ic_row_[r]) continue;
    const int column = u(ic_[r].bidder, ic_[r].type);
    if (coefficient[column] > 0 && ic_mass[column] > 0) {
      // A margin of 1e-14 so that rounding in the recomputed coefficient cannot leave it > 0.
      y[r] *= std::max(0.0, 1 - coefficient[column] / ic_mass[column] - 1e-14);
      rescaled = true;
    }
  }
  if (rescaled) compute();
  CompensatedSum bound;
  for (int r = 0; r < rows; ++r) bound.add(-(long double)y[r] * lower[r]);
  for (int c = 0; c < columns; ++c) {
    const double upper = model_.getColUpper()[c];
    if (coefficient[c] <= 0) continue;
    if (upper >= COIN_DBL_MAX) {
      bound.add(coefficient[c] * 1e30);  // only rounding can leave this: no finite bound
    } else {
      bound.add((long double)coefficient[c] * upper);
    }
  }
  return bound.value() / cost_scale_;
}

std::vector<std::pair<double, std::size_t>> smallest_rents(const DiscreteTypes& types,
                                                           const std::vector<double>& allocation) {
  const auto& v = types.values;
  std::vector<std::pair<double, std::size_t>> out(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    out[k] = {0.0, k};
    for (std::size_t j = 0; j < k; ++j) {
      const double gain = (v[k] - v[j]) * allocation[j];
      if (gain > out[k].first) out[k] = {gain, j};
    }
  }
  return out;
}

AsymmetricSolution finish_asymmetric(const std::vector<DiscreteTypes>& bidders,
                                     std::vector<std::vector<double>> x, bool to_border) {
  const std::size_t n = bidders.size();
  // CLP's tolerances can leave X_i(v) above a higher type's X_i by ~1e-12 where it should be flat,
  // and then the smallest rent of the higher type exceeds v X_i(v) by as much (LL). Such a type is
  // lowered to the suffix minimum when the excess is at most kNoise: lowering X keeps (F) and
  // lowers rents, and a real decrease (larger) is left alone.
  constexpr double kNoise = 1e-9;
  for (std::size_t i = 0; to_border && i < n; ++i) {
    double suffix_min = 1;
    for (std::size_t k = x[i].size(); k-- > 0;) {
      if (x[i][k] > suffix_min && x[i][k] - suffix_min <= kNoise) x[i][k] = suffix_min;
      suffix_min = std::min(suffix_min, x[i][k]);
    }
  }
  // Scale X down by the ratio of the most violated family until none is (docs/asymmetric.md
  // section 4): CLP meets its rows only to 1e-12.
  for (int round = 0; to_border && round < 100; ++round) {
    const auto worst = border_candidates(bidders, x, 1);
    if (worst.empty() || worst.front().gap <= 0) break;
    long double left = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k : worst.front().sets[i]) left += bidders[i].probabilities[k] * x[i][k];
    }
    const double ratio = static_cast<double>((left - worst.front().gap) / left);
    const double factor = std::min(ratio, 1 - 1e-16) * (1 - 1e-15);
    for (auto& xi : x) {
      for (double& value : xi) value *= factor;
    }
  }
  AsymmetricSolution out;
  const auto worst = border_candidates(bidders, x, 1);
  out.max_border_violation = worst.empty() ? 0.0 : std::max(0.0, worst.front().gap);
  CompensatedSum total;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = bidders[i].values;
    const auto& p = bidders[i].probabilities;
    ReducedForm form;
    form.allocation = x[i];
    CompensatedSum revenue;
    for (const auto& [rent, alternative] : smallest_rents(bidders[i], x[i])) {
      (void)alternative;
      form.rent.push_back(rent);
    }
    for (std::size_t k = 0; k < v.size(); ++k) {
      revenue.add(p[k] * ((long double)v[k] * x[i][k] - form.rent[k]));
      out.max_ll_violation = std::max(out.max_ll_violation, form.rent[k] - v[k] * x[i][k]);
      if (k + 1 < v.size()) {
        out.max_monotonicity_violation =
            std::max(out.max_monotonicity_violation, x[i][k] - x[i][k + 1]);
      }
    }
    out.bidder_revenue.push_back(revenue.value());
    total.add(revenue.value());
    out.mechanism.push_back(std::move(form));
  }
  out.revenue = total.value();
  out.non_highest_lower_bound = non_highest_lower_bound(bidders, x);
  return out;
}

}  // namespace dia::detail
