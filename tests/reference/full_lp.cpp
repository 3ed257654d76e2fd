// An independent reference for the n-bidder discrete design (docs/model.md#lp-full): the whole LP
// with every one of the m(m-1)/2 IC rows, Border's threshold rows written out as dense sums and
// the monotonicity rows, solved once by CLP at tolerance 1e-10. It shares no code with dia (no
// row generation, no sweep, no hull, no certificate). Offline only: at 1219 atoms (742371 IC
// rows) it had not finished after 6 CPU minutes on a loaded machine.
//   g++ -O2 -std=c++20 tests/reference/full_lp.cpp -I/usr/include/coin -lClp -lCoinUtils \
//     -o /tmp/full_lp && /tmp/full_lp 2 < tests/data/lp-fails-1219-atoms-n2.txt
// Prints the LP's revenue and the revenue of its X with the smallest rents recomputed here by
// brute force over every lower bid (a feasible mechanism: a lower bound).
#include <ClpSimplex.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 2;
  std::string spec((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  spec = spec.substr(spec.find('(') + 1);
  spec = spec.substr(0, spec.rfind(')'));
  std::vector<std::pair<double, double>> atoms;
  for (std::size_t at = 0; at < spec.size();) {
    std::size_t end = spec.find(',', at);
    if (end == std::string::npos) end = spec.size();
    const std::string atom = spec.substr(at, end - at);
    const std::size_t colon = atom.find(':');
    atoms.emplace_back(std::stod(atom.substr(0, colon)), std::stod(atom.substr(colon + 1)));
    at = end + 1;
  }
  std::sort(atoms.begin(), atoms.end());
  const int m = static_cast<int>(atoms.size());
  std::vector<double> v(m), p(m), above(m + 1, 0.0), h(m);
  for (int k = 0; k < m; ++k) v[k] = atoms[k].first, p[k] = atoms[k].second;
  for (int k = m; k-- > 0;) above[k] = above[k + 1] + p[k];
  for (int k = 0; k < m; ++k) h[k] = -std::expm1(n * std::log1p(-std::min(above[k], 1.0))) / n;
  // Columns X_k in [0, 1] and u_k = U_k / v_k >= 0 (rents in units of the value, so that values
  // spread over many decades keep every coefficient within [0, 1]).
  double scale = 0;
  for (int k = 0; k < m; ++k) scale = std::max(scale, p[k] * v[k]);
  ClpSimplex model;
  model.setLogLevel(0);
  model.resize(0, 2 * m);
  model.setOptimizationDirection(-1);
  for (int k = 0; k < m; ++k) {
    model.setColumnBounds(k, 0.0, 1.0);
    model.setObjectiveCoefficient(k, p[k] * v[k] / scale);
    model.setColumnBounds(m + k, 0.0, COIN_DBL_MAX);
    model.setObjectiveCoefficient(m + k, -p[k] * v[k] / scale);
  }
  std::vector<CoinBigIndex> starts;
  std::vector<int> columns;
  std::vector<double> elements, lower, upper;
  auto begin_row = [&](double lo, double hi) {
    starts.push_back(static_cast<CoinBigIndex>(columns.size()));
    lower.push_back(lo);
    upper.push_back(hi);
  };
  for (int k = 1; k < m; ++k) {
    for (int j = 0; j < k; ++j) {  // IC: u_k - (1 - v_j / v_k) X_j >= 0
      begin_row(0.0, COIN_DBL_MAX);
      columns.push_back(m + k), elements.push_back(1.0);
      columns.push_back(j), elements.push_back(-(1.0 - v[j] / v[k]));
    }
  }
  for (int k = 0; k + 1 < m; ++k) {  // X_{k+1} - X_k >= 0
    begin_row(0.0, COIN_DBL_MAX);
    columns.push_back(k + 1), elements.push_back(1.0);
    columns.push_back(k), elements.push_back(-1.0);
  }
  for (int k = 0; k < m; ++k) {  // Border: sum_{l >= k} p_l X_l / H_k <= 1
    begin_row(-COIN_DBL_MAX, 1.0);
    for (int l = k; l < m; ++l) columns.push_back(l), elements.push_back(p[l] / h[k]);
  }
  starts.push_back(static_cast<CoinBigIndex>(columns.size()));
  model.addRows(static_cast<int>(lower.size()), lower.data(), upper.data(), starts.data(),
                columns.data(), elements.data());
  model.setPrimalTolerance(1e-10);
  model.setDualTolerance(1e-10);
  model.dual();
  std::printf("status %d secondary %d iterations %d\n", model.status(), model.secondaryStatus(),
              model.numberIterations());
  std::printf("lp revenue %.12f\n", n * model.objectiveValue() * scale);
  std::vector<double> x(model.primalColumnSolution(), model.primalColumnSolution() + m);
  for (int k = 0; k < m; ++k) x[k] = std::clamp(x[k], 0.0, 1.0);
  // Going down from the top, keep X monotone and lower Border's excess (the LP meets its rows to
  // 1e-10 only): both only lower X, so every row above stays met. Then the smallest rents by
  // brute force.
  for (int k = m; k-- > 0;) {
    if (k + 1 < m) x[k] = std::min(x[k], x[k + 1]);
    double tail = 0;
    for (int l = k; l < m; ++l) tail += p[l] * x[l];
    if (tail > h[k]) x[k] = std::max(0.0, x[k] - (tail - h[k]) / p[k]);
  }
  long double revenue = 0;
  for (int k = 0; k < m; ++k) {
    double rent = 0;
    for (int j = 0; j < k; ++j) rent = std::max(rent, (v[k] - v[j]) * x[j]);
    revenue += (long double)p[k] * ((long double)v[k] * x[k] - rent);
  }
  std::printf("feasible revenue %.12f\n", static_cast<double>(n * revenue));
}
