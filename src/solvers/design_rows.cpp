#include "design_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "dia/border_lottery.hpp"
#include "dia/ex_post.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/deviation_hull.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia::detail {
namespace {

constexpr std::size_t kMaxDefaultAtomRows = 1000;
constexpr std::size_t kDefaultQuantileRows = 101;
constexpr double kBindingTolerance = 1e-9;
constexpr double kVisibleBorderExcess = 1e-6;  // an X lowered by more is worth a note

// A q just above 1 would print as "1": show by how much it exceeds 1.
std::string above_one(double q) {
  return q - 1 < 1e-5 ? fmt::format("1 + {:.1e}", q - 1) : fmt::format("{:.6g}", q);
}

}  // namespace

std::vector<std::size_t> row_indices(const DiscreteTypes& types, std::optional<std::size_t> rows,
                                     bool discrete) {
  const std::size_t m = types.size();
  const std::size_t k =
      rows.value_or(discrete && m <= kMaxDefaultAtomRows ? m : kDefaultQuantileRows);
  std::vector<std::size_t> indices;
  if (k >= m) {
    for (std::size_t i = 0; i < m; ++i) indices.push_back(i);
    return indices;
  }
  std::size_t atom = 0;
  double cumulative = types.probabilities[0];
  for (std::size_t r = 0; r < k; ++r) {
    const double q = (static_cast<double>(r) + 0.5) / static_cast<double>(k);
    while (cumulative < q && atom + 1 < m) cumulative += types.probabilities[++atom];
    if (indices.empty() || indices.back() != atom) indices.push_back(atom);
  }
  return indices;
}

std::vector<double> highest_bidder_probabilities(const DiscreteTypes& types, int bidders) {
  const std::vector<long double> exact = highest_probabilities(types.probabilities, bidders);
  return {exact.begin(), exact.end()};
}

std::vector<MechanismRow> make_rows(const InspectionMechanism& mechanism,
                                    const std::vector<std::size_t>& indices,
                                    std::optional<double> cell_mass) {
  const DiscreteTypes& t = mechanism.types;
  const auto& x = mechanism.reduced.allocation;
  const DeviationHull hull(t.values, x, DeviationHull::Borrowed{});  // mechanism outlives it
  // G is needed for the win probability of n > 1 bidders only.
  const std::vector<double> g = mechanism.bidders > 1
                                    ? highest_bidder_probabilities(t, mechanism.bidders)
                                    : std::vector<double>{};
  std::vector<MechanismRow> rows;
  rows.reserve(indices.size());
  for (std::size_t k : indices) {
    MechanismRow row;
    row.value = t.values[k];
    row.probability = cell_mass.value_or(t.probabilities[k]);
    row.allocation = x[k];
    row.rent = mechanism.reduced.rent[k];
    if (k > 0 && row.rent > 0) {
      const std::size_t w = hull.best(t.values[k], k - 1).second;
      if (w != DeviationHull::kNone) row.best_alternative_bid = t.values[w];
    }
    if (mechanism.bidders > 1) row.win_probability = g[k] > 0 ? x[k] / g[k] : 0.0;
    rows.push_back(row);
  }
  return rows;
}

void cap_rounding_above_highest(InspectionMechanism& mechanism) {
  if (mechanism.bidders < 2) return;
  const std::vector<double> g = highest_bidder_probabilities(mechanism.types, mechanism.bidders);
  auto& x = mechanism.reduced.allocation;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (x[k] > g[k] && x[k] <= g[k] * (1 + kBindingTolerance)) x[k] = g[k];
  }
}

double certificate_error(const AuditReport& audit) {
  const double gap = audit.dual_gap * std::max(1.0, std::fabs(audit.dual));
  return audit.primal > 0 ? gap / audit.primal : 0.0;
}

void summarize(InspectionDesign& design) {
  const InspectionMechanism& mech = design.mechanism;
  const DiscreteTypes& t = mech.types;
  const auto& x = mech.reduced.allocation;
  const int n = mech.bidders;
  // One bidder is always the highest (G = 1) and no Border row binds, so q = X: neither G nor a
  // copy of X is built (at m = 10^6, 24 MB; issue 14).
  const std::vector<double> g = n > 1 ? highest_bidder_probabilities(t, n) : std::vector<double>{};
  const auto g_at = [&](std::size_t k) { return n > 1 ? g[k] : 1.0; };
  CompensatedSum reward, sale;
  // The X the ex post rule runs: Border's rows enforced exactly (border_lottery.hpp).
  std::vector<double> enforced;
  double lowered = 0.0;
  if (n > 1) {
    enforced = x;
    lowered = enforce_border(t, enforced, n);
  }
  const std::vector<double>& runnable = n > 1 ? enforced : x;
  if (lowered > kVisibleBorderExcess) {
    design.notes.push_back(fmt::format(
        "the solver's X exceeds Border's bound by its rounding, up to {:.1e} on a type of small "
        "mass; the ex post rule runs X lowered there",
        lowered));
  }
  design.max_win_probability = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    reward.add((long double)t.probabilities[k] * mech.reduced.rent[k]);
    sale.add((long double)t.probabilities[k] * x[k]);
    if (g_at(k) > 0) {
      design.max_win_probability = std::max(design.max_win_probability, runnable[k] / g_at(k));
    }
  }
  design.expected_reward = n * reward.value();
  design.sale_probability = n * sale.value();
  if (n > 1) {
    // The switch point: from here up Border binds, X = G (the highest bidder wins surely).
    std::size_t e = t.size();
    while (e > 0 && x[e - 1] >= g[e - 1] * (1 - kBindingTolerance)) --e;
    if (e < t.size()) design.switch_point = t.values[e];
  }
  if (design.max_win_probability <= 1 + kBindingTolerance) {
    design.implementation = "highest_bidder_lottery";
    return;
  }
  // q > 1 somewhere: the optimum sometimes sells to a lower bidder (docs/model.md#ex-post). Build
  // the general lottery of Border's theorem and check its reduced form: for 2 bidders the max
  // flow's lottery over bid profiles, otherwise (or when that is too large) the rule that
  // `dia simulate` runs.
  Expected<BorderLotterySummary> summary = fail(ErrorCode::kInvalidArgument, "not built");
  if (n == 2) {
    summary = build_border_lottery_by_flow(t, runnable).map([&](const BorderLotteryProfiles& l) {
      return BorderLotterySummary{l.max_reduced_form_error, l.max_pair_violation,
                                  l.lower_bidder_wins, t.size(), "profiles"};
    });
  }
  std::size_t hierarchies = 0;
  if (!summary) {
    summary = build_border_lottery(t, runnable, n).map([&](const BorderLottery& l) {
      hierarchies = l.hierarchies();
      return BorderLotterySummary{l.max_reduced_form_error(), 0.0, l.lower_bidder_wins(), t.size(),
                                  l.form()};
    });
  }
  if (!summary) {
    design.implementation = "none: the general Border lottery was not built";
    design.notes.push_back(fmt::format(
        "max q = X/G = {} > 1 needs a general Border lottery, not built here: {}; the revenue "
        "and reduced form above are still optimal",
        above_one(design.max_win_probability), summary.error().line()));
    return;
  }
  design.implementation = "border_lottery";
  design.border_lottery = *summary;
  design.lower_bidder_wins = summary->lower_bidder_wins;
  const std::string how =
      summary->form == "profiles"
          ? "a lottery over bid profiles (max flow, fewest sales to a lower bidder)"
      : summary->form == "transfers"
          ? "at a profile topped by type i one lower bidder, drawn uniformly, wins with a "
            "probability set by i and its type (max flow, fewest sales to a lower bidder)"
          : fmt::format(
                "a lottery over {} hierarchies, each cutting the types into blocks: the "
                "highest block present wins, ties within it broken uniformly",
                hierarchies);
  design.notes.push_back(fmt::format(
      "max q = X/G = {} > 1: the ex post rule is a Border lottery on the {} grid types: {}; a "
      "lower bidder gets the item with probability {:.6g}; reduced form error {:.1e}; bids "
      "between grid points play as the largest grid value below them",
      above_one(design.max_win_probability), t.size(), how, summary->lower_bidder_wins,
      summary->max_reduced_form_error));
}

}  // namespace dia::detail
