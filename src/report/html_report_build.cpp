// `dia report`'s data: the comparison rows (one design per number of bidders) and Myerson's
// curves for the row the mechanism plots show.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "dia/cancel.hpp"
#include "dia/comparison_rows.hpp"
#include "dia/html_report.hpp"
#include "dia/version.hpp"

namespace dia {
namespace {

constexpr std::size_t kReportRows = 201;  // mechanism rows of a continuous design: smooth curves

std::vector<int> counts_with_shown(const ReportOptions& options) {
  std::vector<int> counts = options.bidders;
  if (options.shown_bidders) counts.push_back(*options.shown_bidders);
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

DesignOptions design_options(const Distribution& d, const ReportOptions& options) {
  DesignOptions design = options.design;
  if (!design.rows && !d.is_discrete()) design.rows = kReportRows;
  return design;
}

// Now, or SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) when set
// to a whole number of seconds up to the year 9999.
std::string report_date() {
  using Clock = std::chrono::system_clock;
  auto when = std::chrono::floor<std::chrono::seconds>(Clock::now());
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    constexpr long long kLast = 253402300799;  // 9999-12-31 23:59:59: anything later is ignored
    if (end != epoch && *end == '\0' && seconds >= 0 && seconds <= kLast) {
      when = decltype(when)(std::chrono::seconds(seconds));
    }
  }
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", when);
}

}  // namespace

Provenance make_provenance(std::string command_line) {
  return {kVersion, std::move(command_line), report_date()};
}

std::string Provenance::line() const {
  return fmt::format("dia {}, {}: {}", version, date, command_line);
}

Expected<void> validate_report_request(const Distribution& distribution,
                                       const ReportOptions& options) {
  if (options.bidders.empty() && !options.shown_bidders) {
    return fail(ErrorCode::kInvalidArgument, "dia report needs at least one number of bidders",
                "e.g. --bidders 1..5");
  }
  for (int n : counts_with_shown(options)) {
    throw_if_cancelled();
    if (auto valid = validate_design_request(distribution, n, options.design); !valid) {
      return valid;
    }
  }
  return {};
}

Report build_report(DistributionPtr distribution, const ReportOptions& options,
                    const RowProgress& progress) {
  Report report;
  report.distribution = distribution;
  report.provenance = make_provenance(options.command_line);
  const std::vector<int> counts = counts_with_shown(options);
  auto comparison = compare_mechanisms(*distribution, counts,
                                       design_options(*distribution, options), false, progress);
  DIA_CHECK(comparison.has_value());  // validate_report_request ran first
  report.comparison = std::move(*comparison);
  const int shown = options.shown_bidders.value_or(counts.front());
  for (std::size_t i = 0; i < report.comparison.rows.size(); ++i) {
    if (report.comparison.rows[i].bidders == shown) report.shown = i;
  }
  const ComparisonRow& row = report.comparison.rows[report.shown];
  // Myerson's curves reach the end of the support (or the last row when it is unbounded).
  double top = distribution->lower();
  for (const MechanismRow& r : row.inspection.rows) top = std::max(top, r.value);
  if (std::isfinite(distribution->upper())) top = std::max(top, distribution->upper());
  report.myerson =
      myerson_curves(*distribution, shown, row.classic.myerson_reserve, row.classic.myerson, top);
  return report;
}

}  // namespace dia
