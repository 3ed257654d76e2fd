// The compiled core of the Python module `dia`: each function takes the CLI's options and returns
// the CLI's JSON (as a string the Python layer parses), so Python and `dia ... --format json`
// agree exactly. A user error raises ValueError with the CLI's one-line message.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

// `dia compare --format json`.
std::string compare_json(const std::string& values, const std::string& bidders) {
  const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
  const std::vector<int> counts = or_raise(dia::parse_bidder_list(bidders));
  py::gil_scoped_release release;
  return dia::to_json(or_raise(dia::compare_mechanisms(*d, counts))).dump();
}

// `dia simulate --format json`: the Monte Carlo run (no audit, no noise).
std::string simulate_json(const std::string& values, int bidders, const std::string& mechanism,
                          long long auctions, unsigned long long seed, int threads,
                          std::optional<long long> grid) {
  check_range("bidders", bidders, 1, 50);
  check_range("threads", threads, 0, 1024);
  if (auctions < 1)
    throw py::value_error(fmt::format("--auctions must be at least 1, got {}", auctions));
  const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
  dia::SimulationConfig config;
  config.mechanism = or_raise(dia::parse_simulated_mechanism(mechanism));
  config.bidders = bidders;
  config.design = design_options(grid, std::nullopt);
  const dia::Simulator sim = or_raise(dia::Simulator::create(d, config));
  py::gil_scoped_release release;
  const dia::MonteCarloResult r = sim.run(static_cast<std::uint64_t>(auctions), seed, threads);
  nlohmann::ordered_json out = dia::monte_carlo_json(sim, r, d->spec(), bidders);
  out["notes"] = sim.notes();
  return out.dump();
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
  m.def("compare_json", &compare_json, py::arg("values"), py::arg("bidders"));
  m.def("simulate_json", &simulate_json, py::arg("values"), py::arg("bidders"),
        py::arg("mechanism"), py::arg("auctions"), py::arg("seed"), py::arg("threads"),
        py::arg("grid"));
  m.def("report_html", &report_html, py::arg("values"), py::arg("bidders"), py::arg("shown"));
}
