// The compiled core of the Python module `dia`: each function takes the CLI's options and returns
// the CLI's JSON (as a string the Python layer parses), so Python and `dia ... --format json`
// agree exactly. A user error raises ValueError with the CLI's one-line message.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "dia/asymmetric_report.hpp"
#include "dia/classic.hpp"
#include "dia/comparison_rows.hpp"
#include "dia/design.hpp"
#include "dia/html_report.hpp"
#include "dia/report.hpp"
#include "dia/simulation.hpp"

namespace py = pybind11;

namespace {

template <class T>
T or_raise(dia::Expected<T> result) {
  if (!result) throw py::value_error(result.error().line());
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

void check_range(const char* option, long long value, long long low, long long high) {
  if (value < low || value > high) {
    throw py::value_error(
        fmt::format("{}: Value {} not in range {} to {}", option, value, low, high));
  }
}

dia::DesignOptions design_options(std::optional<long long> grid, std::optional<long long> rows) {
  dia::DesignOptions options;
  if (grid) {
    check_range("grid", *grid, 2, 1LL << 24);
    options.grid = static_cast<std::size_t>(*grid);
  }
  if (rows) {
    check_range("rows", *rows, 1, 1000000);
    options.rows = static_cast<std::size_t>(*rows);
  }
  return options;
}

// `dia design --format json`, with --check lp and --ic dominant as `check_lp` and `dominant`.
std::string design_json(const std::string& values, int bidders, std::optional<long long> grid,
                        std::optional<long long> rows, bool check_lp, bool dominant) {
  check_range("bidders", bidders, 1, 50);
  dia::DesignRequest request;
  request.values = values;
  request.bidders = bidders;
  request.options = design_options(grid, rows);
  request.check_lp = check_lp;
  request.dominant = dominant;
  py::gil_scoped_release release;
  auto report = dia::build_design_report(request);
  py::gil_scoped_acquire acquire;
  return dia::to_json(or_raise(std::move(report))).dump();
}

// `dia design --bidder B1 --bidder B2 ... --format json` (docs/asymmetric.md).
std::string design_asymmetric_json(const std::vector<std::string>& bidders,
                                   std::optional<long long> grid, std::optional<long long> rows) {
  const auto options = design_options(grid, rows);
  const auto classes = or_raise(dia::parse_bidder_classes(bidders));
  py::gil_scoped_release release;
  const auto design = dia::design_asymmetric(classes, options);
  py::gil_scoped_acquire acquire;
  return dia::to_json(design).dump();
}

// `dia compare --format json`.
std::string compare_json(const std::string& values, const std::string& bidders) {
  const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
  const std::vector<int> counts = or_raise(dia::parse_bidder_list(bidders));
  py::gil_scoped_release release;
  return dia::to_json(or_raise(dia::compare_mechanisms(*d, counts))).dump();
}

// `dia simulate --format json`, with --audit, --audit-grid, --audit-samples, --inspection-noise,
// --tolerance and --epsilon: dia::plan_simulation validates with the CLI's messages.
std::string simulate_json(const std::string& values, int bidders, const std::string& mechanism,
                          long long auctions, unsigned long long seed, int threads,
                          std::optional<long long> grid, bool audit, long long audit_grid,
                          long long audit_samples, const std::string& inspection_noise,
                          double tolerance, std::optional<double> epsilon) {
  check_range("bidders", bidders, 1, 50);
  check_range("threads", threads, 0, 1024);
  check_range("audit_grid", audit_grid, 2, 100000);
  check_range("audit_samples", audit_samples, 0, 1LL << 40);
  dia::SimulateRequest request;
  request.values = values;
  request.bidders = bidders;
  request.mechanism = mechanism;
  request.auctions = auctions;
  request.seed = seed;
  request.threads = threads;
  request.audit = audit;
  request.audit_grid = static_cast<std::size_t>(audit_grid);
  request.audit_samples = audit_samples;
  request.noise = inspection_noise;
  request.tolerance = tolerance;
  request.epsilon = epsilon;
  request.grid = design_options(grid, std::nullopt).grid.value_or(0);
  py::gil_scoped_release release;
  const dia::SimulatePlan plan = or_raise(dia::plan_simulation(request));
  return dia::simulate_json(plan, dia::run_simulation(plan)).dump();
}

// `dia report`: the self-contained HTML page.
std::string report_html(const std::string& values, const std::string& bidders,
                        std::optional<int> shown) {
  const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
  const std::vector<int> counts = or_raise(dia::parse_bidder_list(bidders));
  dia::ReportOptions options;
  options.bidders = counts;
  options.shown_bidders = shown;
  or_raise(dia::validate_report_request(*d, options));
  py::gil_scoped_release release;
  return dia::to_html(dia::build_report(d, options));
}

}  // namespace

PYBIND11_MODULE(_dia, m) {
  m.doc() = "dia: optimal auctions with deferred inspection and reward (compiled core)";
  m.def("design_json", &design_json, py::arg("values"), py::arg("bidders"), py::arg("grid"),
        py::arg("rows"), py::arg("check_lp"), py::arg("dominant"));
  m.def("design_asymmetric_json", &design_asymmetric_json, py::arg("bidders"), py::arg("grid"),
        py::arg("rows"));
  m.def("compare_json", &compare_json, py::arg("values"), py::arg("bidders"));
  m.def("simulate_json", &simulate_json, py::arg("values"), py::arg("bidders"),
        py::arg("mechanism"), py::arg("auctions"), py::arg("seed"), py::arg("threads"),
        py::arg("grid"), py::arg("audit"), py::arg("audit_grid"), py::arg("audit_samples"),
        py::arg("inspection_noise"), py::arg("tolerance"), py::arg("epsilon"));
  m.def("report_html", &report_html, py::arg("values"), py::arg("bidders"), py::arg("shown"));
}
