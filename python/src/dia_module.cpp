// The compiled core of the Python module `dia`: each function takes the CLI's options and returns
// the CLI's JSON (as a string the Python layer parses), so Python and `dia ... --format json`
// agree exactly. A user error raises ValueError with the CLI's one-line message, its options
// named as Python arguments (audit_grid, not --audit-grid); a missing file FileNotFoundError.
// Every computation runs on a worker thread with the GIL released while the calling thread
// checks for signals every 50 ms: Ctrl-C (or Jupyter's interrupt) stops it at its next
// dia::throw_if_cancelled() and raises KeyboardInterrupt.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>

#include "dia/asymmetric_compare.hpp"
#include "dia/asymmetric_report.hpp"
#include "dia/asymmetric_simulation.hpp"
#include "dia/bootstrap.hpp"
#include "dia/cancel.hpp"
#include "dia/classic.hpp"
#include "dia/comparison_rows.hpp"
#include "dia/design.hpp"
#include "dia/design_by.hpp"
#include "dia/evaluate_report.hpp"
#include "dia/html_report.hpp"
#include "dia/report.hpp"
#include "dia/simulation.hpp"
#include "dia/version.hpp"

namespace py = pybind11;

namespace {

// A file that cannot be read: FileNotFoundError when it does not exist, else OSError.
struct FileError {
  bool missing;
  std::string message;
};

// The CLI's message with its options named as Python arguments: "--audit-grid 5" becomes
// "audit_grid=5", "--inspection-noise normal(0.01)" becomes 'inspection_noise="normal(0.01)"',
// and a flag alone ("--tolerance needs --inspection-noise") its argument name.
std::string python_names(const std::string& line) {
  static const std::regex with_value(
      R"(--([a-z][a-z-]*) ((?:[0-9.+-][^ ,;)]*)|(?:[a-z]+\([^ ()]*\))))");
  static const std::regex flag(R"(--([a-z][a-z-]*))");
  std::string out;
  std::string text = line;
  std::smatch m;
  while (std::regex_search(text, m, with_value)) {
    std::string name = m[1].str();
    std::replace(name.begin(), name.end(), '-', '_');
    const std::string value = m[2].str();
    const bool quoted = value.find('(') != std::string::npos;
    out += m.prefix().str() + name + "=" + (quoted ? "\"" + value + "\"" : value);
    text = m.suffix().str();
  }
  out += text;
  std::string result;
  auto begin = out.cbegin();
  while (std::regex_search(begin, out.cend(), m, flag)) {
    std::string name = m[1].str();
    std::replace(name.begin(), name.end(), '-', '_');
    result.append(begin, m[0].first);
    result += name;
    begin = m[0].second;
  }
  result.append(begin, out.cend());
  return result;
}

template <class T>
T or_raise(dia::Expected<T> result) {
  if (!result) {
    const dia::Error& e = result.error();
    if (e.code == dia::ErrorCode::kIo) {
      throw FileError{e.message.find("no such file") != std::string::npos, e.line()};
    }
    throw py::value_error(python_names(e.line()));
  }
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

void check_range(const char* argument, long long value, long long low, long long high) {
  if (value < low || value > high) {
    throw py::value_error(fmt::format("{} must be in {}..{}, got {}", argument, low, high, value));
  }
}

// Runs `work` on a worker thread, the GIL released, checking for signals every 50 ms on the
// calling thread; on Ctrl-C the work stops at its next check point and KeyboardInterrupt
// propagates.
template <class Work>
auto interruptible(Work work) -> decltype(work()) {
  dia::clear_cancel();
  auto future = std::async(std::launch::async, std::move(work));
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        dia::request_cancel();
        break;
      }
    }
    future.wait();
  }
  if (interrupted) {
    dia::clear_cancel();
    try {
      future.get();
    } catch (...) {  // dia::Cancelled, or the work ended on its own: the interrupt wins
    }
    throw py::error_already_set();
  }
  return future.get();
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
// `bootstrap` > 0: also --bootstrap B --seed S (docs/bootstrap.md), under the JSON's "bootstrap".
std::string design_json(const std::string& values, int bidders, std::optional<long long> grid,
                        std::optional<long long> rows, bool check_lp, bool dominant, int bootstrap,
                        unsigned long long seed) {
  check_range("bidders", bidders, 1, 50);
  dia::DesignRequest request;
  request.values = values;
  request.bidders = bidders;
  request.options = design_options(grid, rows);
  request.check_lp = check_lp;
  request.dominant = dominant;
  return interruptible([&] {
    std::optional<dia::DesignBootstrap> resampled;
    if (bootstrap > 0) {
      resampled =
          or_raise(dia::bootstrap_design(values, bidders, bootstrap, seed, request.options));
    }
    auto j = dia::to_json(or_raise(dia::build_design_report(request)));
    if (resampled) j["bootstrap"] = dia::to_json(*resampled);
    return j.dump();
  });
}

// `dia design --values 'empirical(FILE, column=...)' --by COLUMN --format json`, with
// --bootstrap B --seed S when `bootstrap` > 0 (docs/asymmetric.md, "Classes from data").
std::string design_by_json(const std::string& values, const std::string& by,
                           std::optional<long long> grid, std::optional<long long> rows,
                           int bootstrap, unsigned long long seed) {
  const auto options = design_options(grid, rows);
  return interruptible([&] {
    return dia::to_json(or_raise(dia::design_by(values, by, options, bootstrap, seed))).dump();
  });
}

// `dia design --bidder B1 --bidder B2 ... --format json` (docs/asymmetric.md).
std::string design_asymmetric_json(const std::vector<std::string>& bidders,
                                   std::optional<long long> grid, std::optional<long long> rows) {
  const auto options = design_options(grid, rows);
  return interruptible([&] {
    const auto classes = or_raise(dia::parse_bidder_classes(bidders));
    return dia::to_json(dia::design_asymmetric(classes, options)).dump();
  });
}

// `dia compare --format json`.
std::string compare_json(const std::string& values, const std::string& bidders) {
  const std::vector<int> counts = or_raise(dia::parse_bidder_list(bidders));
  return interruptible([&] {
    const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
    return dia::to_json(or_raise(dia::compare_mechanisms(*d, counts))).dump();
  });
}

// `dia compare --set ... --format json` for sets given as lists of bidder entries.
std::string compare_sets_json(const std::vector<std::vector<std::string>>& sets) {
  return interruptible(
      [&] { return dia::to_json(or_raise(dia::compare_bidder_sets(sets))).dump(); });
}

// The options of `dia simulate` shared by the symmetric and the asymmetric runs.
dia::SimulateRequest simulate_request(const std::string& mechanism, long long auctions,
                                      unsigned long long seed, int threads,
                                      std::optional<long long> grid, bool audit,
                                      long long audit_grid, long long audit_samples,
                                      const std::string& inspection_noise, double tolerance,
                                      std::optional<double> epsilon) {
  check_range("threads", threads, 0, 1024);
  check_range("audit_grid", audit_grid, 2, 100000);
  check_range("audit_samples", audit_samples, 0, 1LL << 40);
  dia::SimulateRequest request;
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
  return request;
}

// `dia simulate --format json`, with --audit, --audit-grid, --audit-samples, --inspection-noise,
// --tolerance and --epsilon: dia::plan_simulation validates with the CLI's messages.
std::string simulate_json(const std::string& values, int bidders, const std::string& mechanism,
                          long long auctions, unsigned long long seed, int threads,
                          std::optional<long long> grid, bool audit, long long audit_grid,
                          long long audit_samples, const std::string& inspection_noise,
                          double tolerance, std::optional<double> epsilon) {
  check_range("bidders", bidders, 1, 50);
  dia::SimulateRequest request =
      simulate_request(mechanism, auctions, seed, threads, grid, audit, audit_grid, audit_samples,
                       inspection_noise, tolerance, epsilon);
  request.values = values;
  request.bidders = bidders;
  return interruptible([&] {
    const dia::SimulatePlan plan = or_raise(dia::plan_simulation(request));
    return dia::simulate_json(plan, dia::run_simulation(plan)).dump();
  });
}

// `dia simulate --bidder B1 --bidder B2 ... --format json` (docs/asymmetric.md section 8):
// dia::plan_asymmetric_simulation validates with the CLI's messages.
std::string simulate_asymmetric_json(const std::vector<std::string>& bidders,
                                     const std::string& mechanism, long long auctions,
                                     unsigned long long seed, int threads,
                                     std::optional<long long> grid, bool audit,
                                     long long audit_grid, long long audit_samples,
                                     const std::string& inspection_noise, double tolerance,
                                     std::optional<double> epsilon) {
  dia::SimulateRequest request =
      simulate_request(mechanism, auctions, seed, threads, grid, audit, audit_grid, audit_samples,
                       inspection_noise, tolerance, epsilon);
  request.bidder_classes = bidders;
  return interruptible([&] {
    const dia::AsymmetricSimulatePlan plan = or_raise(dia::plan_asymmetric_simulation(request));
    return dia::asymmetric_simulate_json(plan, dia::run_asymmetric_simulation(plan)).dump();
  });
}

// `dia evaluate --format json` (docs/evaluate.md): the saved design's JSON text, named `design`
// in the result and in messages.
std::string evaluate_json(const std::string& design, const std::string& design_text,
                          const std::string& values, const std::vector<std::string>& bidders,
                          std::optional<double> holdout, unsigned long long seed,
                          const std::string& train_out) {
  const dia::EvaluateRequest request{design,  design_text, values,   bidders,
                                     holdout, seed,        train_out};
  return interruptible([&] { return or_raise(dia::evaluate_design(request)).dump(); });
}

// `dia report`: the self-contained HTML page.
std::string report_html(const std::string& values, const std::string& bidders,
                        std::optional<int> shown) {
  const std::vector<int> counts = or_raise(dia::parse_bidder_list(bidders));
  dia::ReportOptions options;
  options.bidders = counts;
  options.shown_bidders = shown;
  options.command_line = fmt::format("dia.report_html('{}', bidders='{}'{})", values, bidders,
                                     shown ? fmt::format(", show={}", *shown) : "");
  return interruptible([&] {
    const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
    or_raise(dia::validate_report_request(*d, options));
    return dia::to_html(dia::build_report(d, options));
  });
}

// `dia report --bidder B1 --bidder B2 ...`: the asymmetric design's page.
std::string report_asymmetric_html(const std::vector<std::string>& bidders) {
  return interruptible([&] {
    const auto classes = or_raise(dia::parse_bidder_classes(bidders));
    std::string call = "dia.report_html(bidders=[";
    for (std::size_t i = 0; i < bidders.size(); ++i) {
      call += fmt::format("{}'{}'", i ? ", " : "", bidders[i]);
    }
    return dia::asymmetric_html_report(dia::design_asymmetric(classes, dia::DesignOptions{}),
                                       dia::make_provenance(call + "])"));
  });
}

// The parsed distribution of a SPEC: its normalised form, support, mean, and the cdf, the
// partial mean E[V ; V >= x] at `points` and the quantiles at `levels` (tests check the
// scipy.stats names against scipy with it).
std::string spec_summary(const std::string& values, const std::vector<double>& points,
                         const std::vector<double>& levels) {
  const dia::DistributionPtr d = or_raise(dia::parse_distribution(values));
  nlohmann::json out = {{"spec", d->spec()}, {"lower", d->lower()}, {"upper", d->upper()},
                        {"mean", d->mean()}, {"cdf", {}},           {"partial_mean_above", {}},
                        {"quantile", {}}};
  for (double x : points) {
    out["cdf"].push_back(d->cdf(x));
    out["partial_mean_above"].push_back(d->partial_mean_above(x));
  }
  for (double q : levels) out["quantile"].push_back(d->quantile(q));
  return out.dump();
}

}  // namespace

PYBIND11_MODULE(_dia, m) {
  m.doc() = "dia: optimal auctions with deferred inspection and reward (compiled core)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const FileError& e) {
      PyErr_SetString(e.missing ? PyExc_FileNotFoundError : PyExc_OSError, e.message.c_str());
    }
  });
  m.def("design_json", &design_json, py::arg("values"), py::arg("bidders"), py::arg("grid"),
        py::arg("rows"), py::arg("check_lp"), py::arg("dominant"), py::arg("bootstrap"),
        py::arg("seed"));
  m.def("design_by_json", &design_by_json, py::arg("values"), py::arg("by"), py::arg("grid"),
        py::arg("rows"), py::arg("bootstrap"), py::arg("seed"));
  m.def("design_asymmetric_json", &design_asymmetric_json, py::arg("bidders"), py::arg("grid"),
        py::arg("rows"));
  m.def("compare_json", &compare_json, py::arg("values"), py::arg("bidders"));
  m.def("compare_sets_json", &compare_sets_json, py::arg("sets"));
  m.def("simulate_json", &simulate_json, py::arg("values"), py::arg("bidders"),
        py::arg("mechanism"), py::arg("auctions"), py::arg("seed"), py::arg("threads"),
        py::arg("grid"), py::arg("audit"), py::arg("audit_grid"), py::arg("audit_samples"),
        py::arg("inspection_noise"), py::arg("tolerance"), py::arg("epsilon"));
  m.def("simulate_asymmetric_json", &simulate_asymmetric_json, py::arg("bidders"),
        py::arg("mechanism"), py::arg("auctions"), py::arg("seed"), py::arg("threads"),
        py::arg("grid"), py::arg("audit"), py::arg("audit_grid"), py::arg("audit_samples"),
        py::arg("inspection_noise"), py::arg("tolerance"), py::arg("epsilon"));
  m.def("evaluate_json", &evaluate_json, py::arg("design"), py::arg("design_text"),
        py::arg("values"), py::arg("bidders"), py::arg("holdout"), py::arg("seed"),
        py::arg("train_out"));
  m.def("report_html", &report_html, py::arg("values"), py::arg("bidders"), py::arg("shown"));
  m.def("report_asymmetric_html", &report_asymmetric_html, py::arg("bidders"));
  m.def("spec_summary", &spec_summary, py::arg("values"), py::arg("points"), py::arg("levels"));
  m.attr("version") = dia::kVersion;
}
