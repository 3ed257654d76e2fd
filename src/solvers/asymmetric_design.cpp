// The asymmetric designer (docs/asymmetric.md): every bidder's types (the atoms, or an
// equal-mass quantile grid), the (LP) by row generation on the Border oracle, certified by its
// dual; continuous classes on a ladder of grids with an extrapolation step. Baselines: exact on the
// atoms, on fine quantile grids for continuous classes.
#include "dia/asymmetric_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <regex>

#include "design_rows.hpp"
#include "dia/audit.hpp"
#include "dia/cancel.hpp"
#include "dia/step_masses.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

constexpr double kTolerance = 1e-5;            // relative revenue accuracy for `optimal`
constexpr double kGapTolerance = 1e-6;         // the audit's, as for symmetric bidders
constexpr std::size_t kMaxTotalTypes = 2000;   // the row generation's reach (docs/asymmetric.md)
constexpr std::size_t kGridTypesBudget = 200;  // default finest grid: this many types in all
constexpr std::size_t kDefaultQuantileRows = 101;

// The type space of one bidder of class c on a grid of `cells` (atoms if discrete).
DiscreteTypes types_of(const BidderClass& c, std::size_t cells) {
  return c.distribution->is_discrete() ? c.distribution->atoms()
                                       : quantile_grid(*c.distribution, cells);
}

std::vector<DiscreteTypes> expand(const std::vector<BidderClass>& classes, std::size_t cells) {
  std::vector<DiscreteTypes> out;
  for (const auto& c : classes) {
    for (int k = 0; k < c.count; ++k) out.push_back(types_of(c, cells));
  }
  return out;
}

AuditReport audit_solution(const std::vector<DiscreteTypes>& bidders, const AsymmetricSolution& s) {
  AuditReport a;
  for (std::size_t i = 0; i < bidders.size(); ++i) {
    const auto& v = bidders[i].values;
    const auto& x = s.mechanism[i].allocation;
    const auto& r = s.mechanism[i].rent;
    const std::vector<double> envelope = deviation_envelope(v, x);  // the audit's own (RENT)
    const double scale = std::max(1.0, v.back());
    for (std::size_t k = 0; k < v.size(); ++k) {
      a.max_ic_violation = std::max(a.max_ic_violation, (envelope[k] - r[k]) / scale);
      a.max_ll_violation = std::max(
          {a.max_ll_violation, (r[k] - v[k] * x[k]) / scale, -r[k] / scale, -x[k], x[k] - 1});
    }
  }
  a.max_monotonicity_violation = s.max_monotonicity_violation;
  a.max_border_violation = s.max_border_violation;
  a.primal = s.revenue;
  a.dual = s.dual_bound;
  a.dual_gap = s.dual_gap;
  a.passed = a.max_ic_violation <= 1e-9 && a.max_ll_violation <= 1e-9 &&
             a.max_border_violation <= 1e-12 && a.dual_gap <= kGapTolerance;
  return a;
}

// Revenue on a ladder of grids m/4, m/2, m with an error c/m^p: the order p estimated from the
// ratio of the two changes (clamped to [1, 2]: quantile grids of smooth densities converge like
// 1/m^2, heavy tails slower), the extrapolation r(m) + (r(m) - r(m/2)) / (2^p - 1). Three grids
// cannot check the order they estimate, so the uncertainty is the spread of the extrapolations
// over the orders 1..2.
std::pair<double, double> extrapolate(double r1, double r2, double r4) {
  const double ratio = (r2 - r1) / (r4 - r2);
  const double p = std::isfinite(ratio) && ratio > 0 ? std::clamp(std::log2(ratio), 1.0, 2.0) : 1.0;
  auto with_order = [&](double order) { return r4 + (r4 - r2) / (std::exp2(order) - 1); };
  const double value = with_order(p);
  const double spread =
      std::max(std::fabs(value - with_order(1.0)), std::fabs(value - with_order(2.0)));
  return {value, spread / std::max(1e-300, std::fabs(value))};
}

}  // namespace

Expected<std::vector<BidderClass>> parse_bidder_classes(const std::vector<std::string>& entries,
                                                        SpecFiles files) {
  if (entries.empty()) {
    return fail(ErrorCode::kInvalidArgument, "no bidders",
                "give at least one --bidder SPEC (or K*SPEC for K identical bidders)");
  }
  static const std::regex kCount(R"(^\s*([0-9]+)\s*\*\s*(.*)$)");
  // A number before the '*' that is not a whole number (2.5*, -1*, 1e3*): say so, rather than
  // reading it as a distribution's name.
  static const std::regex kOtherCount(R"(^\s*([-+]?[0-9.][0-9.eE+-]*)\s*\*.*$)");
  std::vector<BidderClass> out;
  long total = 0;
  for (std::size_t e = 0; e < entries.size(); ++e) {
    std::smatch match;
    std::string spec = entries[e];
    long count = 1;
    if (!std::regex_match(entries[e], kCount) && std::regex_match(entries[e], match, kOtherCount)) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("bidder {} ('{}'): K*SPEC needs a whole number K >= 1, got {}", e + 1,
                              entries[e], match[1].str()),
                  "give K as a whole number of identical bidders, e.g. 2*uniform(0,1)");
    }
    if (std::regex_match(entries[e], match, kCount)) {
      count = match[1].length() > 3 ? 1000 : std::stol(match[1]);
      spec = match[2];
      if (count < 1) {
        return fail(
            ErrorCode::kInvalidArgument,
            fmt::format("bidder {} ('{}'): K*SPEC needs K >= 1, got {}", e + 1, entries[e], count),
            "drop the bidder or give K >= 1");
      }
    }
    auto d = parse_distribution(spec, files);
    if (!d) {
      Error error = d.error();
      error.message = fmt::format("bidder {} ('{}'): {}", e + 1, entries[e], error.message);
      return tl::unexpected(error);
    }
    total += count;
    if (total > kMaxBidders) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("more than {} bidders in all (bidder {} brings the count to {})",
                              kMaxBidders, e + 1, total),
                  "dia designs for at most 50 bidders");
    }
    out.push_back({(*d)->spec(), static_cast<int>(count), *d});
  }
  if (auto fits = check_class_atoms(out); !fits) return tl::unexpected(fits.error());
  return out;
}

Expected<void> check_class_atoms(const std::vector<BidderClass>& classes) {
  std::size_t types = 0;
  for (const auto& c : classes) {
    if (c.distribution->is_discrete()) types += c.count * c.distribution->atoms().size();
  }
  if (types > kMaxTotalTypes) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("{} atoms over all bidders; the asymmetric designer takes at most {}",
                            types, kMaxTotalTypes),
                "merge atoms (e.g. round the values) or use fewer bidders");
  }
  return {};
}

namespace {

template <class Classes>
std::string classes_text(const Classes& classes) {
  std::string out;
  for (const auto& c : classes) {
    out += (out.empty() ? "" : " + ") + (c.count > 1 ? fmt::format("{}*", c.count) : "") + c.values;
  }
  return out;
}

}  // namespace

std::string bidder_classes_text(const AsymmetricDesign& design) {
  return classes_text(design.classes);
}
std::string bidder_classes_text(const std::vector<BidderClass>& classes) {
  return classes_text(classes);
}

std::vector<DiscreteTypes> classic_types(const std::vector<BidderClass>& classes) {
  return expand(classes, kClassicCells);
}

AsymmetricDesign design_asymmetric(const std::vector<BidderClass>& classes,
                                   const DesignOptions& options) {
  AsymmetricDesign design;
  std::size_t discrete_types = 0;
  bool continuous = false;
  for (const auto& c : classes) {
    if (c.distribution->is_discrete()) {
      discrete_types += c.count * c.distribution->atoms().size();
    } else {
      continuous = true;
    }
  }
  int continuous_bidders = 0;
  for (const auto& c : classes) continuous_bidders += c.distribution->is_discrete() ? 0 : c.count;
  // The finest grid: --grid, else the budget shared by the continuous bidders.
  const std::size_t finest =
      options.grid ? *options.grid
                   : std::max<std::size_t>(8, kGridTypesBudget / std::max(1, continuous_bidders));
  std::vector<std::size_t> ladder = {finest};
  if (continuous && !options.grid) ladder = {finest / 4, finest / 2, finest};
  if (continuous && discrete_types + continuous_bidders * finest > kMaxTotalTypes) {
    design.notes.push_back(fmt::format("--grid {} exceeds the {} types the designer takes in all",
                                       finest, kMaxTotalTypes));
    return design;
  }
  std::vector<DiscreteTypes> bidders;
  for (std::size_t cells : ladder) {
    throw_if_cancelled();
    bidders = expand(classes, cells);
    auto solved = solve_asymmetric(bidders);
    if (!solved) {
      design.notes.push_back(solved.error().message);
      return design;
    }
    design.convergence.push_back({cells, solved->revenue, 0.0, std::nullopt});
    design.solution = std::move(*solved);
  }
  design.types = 0;
  for (const auto& b : bidders) design.types += b.size();
  const std::string route = fmt::format(
      "(LP) by row generation on the Border separation oracle, certified by its dual (gap {:.1e})",
      design.solution.dual_gap);
  if (!continuous) {
    design.status = SolveStatus::kOptimal;
    design.revenue = design.solution.revenue;
    design.method = route + " over the atoms";
    if (options.grid) design.notes.push_back("--grid is ignored for discrete distributions");
  } else if (options.grid) {
    design.status = SolveStatus::kGridLimited;
    design.revenue = design.solution.revenue;
    design.method = fmt::format("{} on a {}-cell quantile grid per bidder (--grid)", route, finest);
  } else {
    const auto& c = design.convergence;
    auto [value, error] = extrapolate(c[0].revenue, c[1].revenue, c[2].revenue);
    design.revenue = value;
    design.estimated_error = error + design.solution.dual_gap;
    design.status =
        design.estimated_error <= kTolerance ? SolveStatus::kOptimal : SolveStatus::kGridLimited;
    design.method = fmt::format(
        "{} on quantile grids of {}..{} cells per bidder, extrapolated in 1/m^p (p estimated)",
        route, ladder.front(), finest);
    if (design.status == SolveStatus::kGridLimited) {
      design.notes.push_back(fmt::format(
          "the grid ladder's extrapolation is uncertain by {:.1e} relative, above the 1e-5 "
          "target; the revenue is an estimate",
          design.estimated_error));
    }
  }
  design.audit = audit_solution(bidders, design.solution);
  if (!design.audit.passed) {
    design.status = SolveStatus::kFailed;
    design.notes.push_back("the audit failed: see audit for the violated constraint");
  }
  if (design.solution.max_monotonicity_violation > 1e-9) {
    design.notes.push_back(fmt::format(
        "the optimal allocation is not monotone for some bidder (by {:.1e}); best alternative "
        "bids are shown for the monotone envelope",
        design.solution.max_monotonicity_violation));
  }
  // Baselines: on the atoms, or fine quantile grids.
  design.classic = asymmetric_classic_revenues(classic_types(classes));
  if (continuous) {
    design.notes.push_back(fmt::format(
        "classic baselines of continuous bidders on {}-cell quantile grids", kClassicCells));
  }
  // Per class: the first bidder of the class carries the (averaged) mechanism.
  std::size_t first = 0;
  for (const auto& c : classes) {
    BidderClassDesign out;
    out.values = c.values;
    out.count = c.count;
    out.types = bidders[first];
    out.reduced = design.solution.mechanism[first];
    out.allocation.assign(out.types.size(), 0.0);
    for (int k = 0; k < c.count; ++k) {
      const auto& seat = design.solution.mechanism[first + std::size_t(k)].allocation;
      for (std::size_t t = 0; t < seat.size(); ++t) out.allocation[t] += seat[t] / c.count;
    }
    detail::CompensatedSum revenue, sale, reward;
    for (int k = 0; k < c.count; ++k) revenue.add(design.solution.bidder_revenue[first + k]);
    for (std::size_t t = 0; t < out.types.size(); ++t) {
      sale.add(c.count * out.types.probabilities[t] * out.reduced.allocation[t]);
      reward.add(c.count * out.types.probabilities[t] * out.reduced.rent[t]);
    }
    out.revenue = revenue.value();
    out.revenue_share = out.revenue / design.solution.revenue;
    out.sale_probability = sale.value();
    out.expected_reward = reward.value();
    const bool discrete = c.distribution->is_discrete();
    const std::size_t rows =
        options.rows.value_or(discrete ? out.types.size() : kDefaultQuantileRows);
    const InspectionMechanism one{out.types, out.reduced, 1};
    out.rows = detail::make_rows(
        one, detail::row_indices(out.types, rows, discrete),
        discrete
            ? std::nullopt
            : std::optional<double>(1.0 / static_cast<double>(std::min(rows, out.types.size()))));
    design.classes.push_back(std::move(out));
    first += static_cast<std::size_t>(c.count);
  }
  // The ex post rule dia serve runs for these classes (step_masses.hpp): printed as served.
  ClassSeats seats;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    add_class_seats(seats, *classes[c].distribution, classes[c].count, design.classes[c].types,
                    design.classes[c].allocation);
  }
  // Its bound on sales to a lower bidder, on the same masses (the LP's is on the cells').
  design.solution.non_highest_lower_bound = non_highest_lower_bound(seats.grids, seats.allocations);
  if (auto rule = PriorityRankings::build(seats.grids, seats.allocations)) {
    design.ex_post_rule = std::make_shared<const PriorityRankings>(std::move(*rule));
  } else {
    design.notes.push_back("no ex post rule: " + rule.error().message);
  }
  return design;
}

}  // namespace dia
