// `dia report`: one self-contained HTML page with the plots, or each plot as SVG or PNG.
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "commands.hpp"
#include "dia/asymmetric_report.hpp"
#include "dia/compare.hpp"
#include "dia/html_report.hpp"
#include "status_line.hpp"

extern char** environ;

namespace dia::cli {
namespace {

struct ReportArgs {
  std::string values = "uniform(0,1)";
  std::string bidders = "1..5";
  int show = 0;
  std::size_t grid = 0;
  std::string out = "report.html";
  std::string format = "html";
  bool quiet = false;
  std::vector<std::string> bidder_classes;  // --bidder: asymmetric bidders
};

[[noreturn]] void bad(ErrorCode code, std::string message, std::string hint = {}) {
  throw UserError{{code, std::move(message), std::move(hint)}};
}

// The page on stdout or in --out, or each figure as its own SVG or PNG file in --out.
void write_report(const ReportArgs& args, const std::function<std::string()>& html,
                  const std::function<std::vector<Figure>()>& figures);

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) bad(ErrorCode::kIo, fmt::format("cannot write {}", path.string()));
}

// SVG -> PNG with Debian's rsvg-convert (librsvg2-bin), run without a shell.
void rasterize(const std::filesystem::path& svg, const std::filesystem::path& png) {
  std::string program = "rsvg-convert", flag = "--zoom=2", f = "-f", type = "png", o = "-o";
  std::string out = png.string(), in = svg.string();
  char* argv[] = {program.data(), flag.data(), f.data(),  type.data(),
                  o.data(),       out.data(),  in.data(), nullptr};
  pid_t pid = 0;
  int status = 0;
  if (posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv, environ) != 0 ||
      waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    bad(ErrorCode::kIo, fmt::format("rsvg-convert could not write {}", png.string()),
        "--format png needs rsvg-convert: apt-get install librsvg2-bin");
  }
}

// One argument as a POSIX shell reads it back: single-quoted unless it is plain.
std::string shell_word(const std::string& word) {
  constexpr const char* kPlain =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:/=+@%";
  if (!word.empty() && word.find_first_not_of(kPlain) == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The command that makes this report again, every option spelled out (printed on the report).
std::string command_line(const ReportArgs& args) {
  std::string line =
      "dia report --values " + shell_word(args.values) + " --bidders " + shell_word(args.bidders);
  if (args.show) line += fmt::format(" --show {}", args.show);
  if (args.grid) line += fmt::format(" --grid {}", args.grid);
  return line + " --format " + args.format + " --out " + shell_word(args.out);
}

// The same for `dia report --bidder ...`.
std::string asymmetric_command_line(const ReportArgs& args) {
  std::string line = "dia report";
  for (const std::string& b : args.bidder_classes) line += " --bidder " + shell_word(b);
  if (args.grid) line += fmt::format(" --grid {}", args.grid);
  return line + " --format " + args.format + " --out " + shell_word(args.out);
}

int run_report(const ReportArgs& args) {
  auto d = parse_distribution(args.values);
  if (!d) throw UserError{d.error()};
  auto counts = parse_bidder_list(args.bidders);
  if (!counts) throw UserError{counts.error()};
  ReportOptions options;
  options.bidders = *counts;
  if (args.show) options.shown_bidders = args.show;
  if (args.grid) options.design.grid = args.grid;
  options.command_line = command_line(args);
  if (auto valid = validate_report_request(**d, options); !valid) throw UserError{valid.error()};
  if (args.out == "-" && args.format != "html") {
    bad(ErrorCode::kInvalidArgument, "--out - (stdout) takes one page: --format html",
        "give a directory for --format svg|png, e.g. --out plots");
  }
  StatusLine status(args.quiet);
  const Report report = build_report(*d, options, status.steps("building the report"));
  status.clear();
  write_report(
      args, [&] { return to_html(report); }, [&] { return report_figures(report); });
  bool failed = false;
  for (const ComparisonRow& r : report.comparison.rows) {
    failed = failed || r.inspection.status == SolveStatus::kFailed;
  }
  return failed ? kExitAuditFailed : 0;
}

void write_report(const ReportArgs& args, const std::function<std::string()>& html,
                  const std::function<std::vector<Figure>()>& figures) {
  if (args.out == "-") {
    std::cout << html();
  } else if (args.format == "html") {
    write_file(args.out, html());
    std::cerr << "dia report: wrote " << args.out << "\n";
  } else {
    const std::filesystem::path dir = args.out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) bad(ErrorCode::kIo, fmt::format("cannot create directory {}", dir.string()));
    for (const Figure& f : figures()) {
      const std::filesystem::path svg = dir / (f.id + ".svg");
      write_file(svg, f.svg);
      if (args.format == "png") {
        rasterize(svg, dir / (f.id + ".png"));
        std::filesystem::remove(svg, ec);
      }
      std::cerr << "dia report: wrote " << (dir / (f.id + "." + args.format)).string() << "\n";
    }
  }
}

// `dia report --bidder ...`: the asymmetric design's page (docs/asymmetric.md).
int run_asymmetric_report(const ReportArgs& args) {
  auto classes = parse_bidder_classes(args.bidder_classes);
  if (!classes) throw UserError{classes.error()};
  if (args.show) bad(ErrorCode::kInvalidArgument, "--show applies to i.i.d. bidders (--bidders)");
  if (args.out == "-" && args.format != "html") {
    bad(ErrorCode::kInvalidArgument, "--out - (stdout) takes one page: --format html",
        "give a directory for --format svg|png, e.g. --out plots");
  }
  DesignOptions options;
  if (args.grid) options.grid = args.grid;
  StatusLine status(args.quiet);
  status.phase("designing the mechanism");
  const AsymmetricDesign design = design_asymmetric(*classes, options);
  status.clear();
  const Provenance provenance = make_provenance(asymmetric_command_line(args));
  write_report(
      args, [&] { return asymmetric_html_report(design, provenance); },
      [&] { return asymmetric_report_figures(design, provenance); });
  return design.status == SolveStatus::kFailed ? kExitAuditFailed : 0;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write a self-contained HTML report with plots (allocation, rent, net payment, best "
      "alternative bid, win probability, winner's reward, revenue vs bidders, audit)");
  cmd->add_option("--values", args->values, "value distribution SPEC (see dia design --help)")
      ->capture_default_str();
  cmd->add_option("--bidders", args->bidders,
                  "numbers of bidders for the revenue plot: a range and/or list, e.g. 1..10 or "
                  "1,2,5 (each 1..50)")
      ->capture_default_str();
  cmd->add_option("--show", args->show,
                  "the number of bidders the mechanism plots show (default: the smallest)")
      ->check(CLI::Range(1, 50));
  cmd->add_option("--grid", args->grid,
                  "equal-mass quantile cells for a continuous distribution (as dia design)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 24));
  cmd->add_option("--out", args->out,
                  "the HTML file ('-': stdout); with --format svg|png, the directory for one "
                  "file per plot")
      ->capture_default_str();
  cmd->add_option("--format", args->format,
                  "html: one page; svg or png: each plot as its own file (png via rsvg-convert)")
      ->check(CLI::IsMember({"html", "svg", "png"}))
      ->capture_default_str();
  cmd->add_flag("--quiet", args->quiet, "no status line on stderr");
  auto* values = cmd->get_option("--values");
  auto* bidders = cmd->get_option("--bidders");
  cmd->add_option("--bidder", args->bidder_classes,
                  "one bidder (class) with its own value distribution: SPEC or K*SPEC, repeated "
                  "(as dia design --bidder; docs/asymmetric.md)")
      ->allow_extra_args(false);
  cmd->callback([args, values, bidders, &exit_code] {
    if (args->bidder_classes.empty()) {
      exit_code = run_report(*args);
      return;
    }
    if (values->count() > 0 || bidders->count() > 0) {
      bad(ErrorCode::kInvalidArgument, "--bidder cannot be combined with --values or --bidders",
          "list every bidder with --bidder SPEC or K*SPEC");
    }
    exit_code = run_asymmetric_report(*args);
  });
}

}  // namespace dia::cli
