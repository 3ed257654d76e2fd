// The dia subcommands, one file each. Each registers itself on the app and returns the exit
// code through `exit_code` once run: 0 ok, 2 bad input, 3 a failed audit.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dia/design.hpp"
#include "dia/error.hpp"
#include "dia/simulation.hpp"

namespace dia::cli {

inline constexpr int kExitBadInput = 2;
inline constexpr int kExitAuditFailed = 3;

// A user error ends the command: one line on stderr, exit code 2, nothing on stdout.
struct UserError {
  Error error;
};

void register_design(CLI::App& app, int& exit_code);
// `dia design --bidder ...` (design_asymmetric.cpp); returns the exit code.
int run_asymmetric_design(const std::vector<std::string>& bidders, const DesignOptions& options,
                          bool json, bool quiet);
// `dia design --values 'empirical(...)' --by COLUMN` (design_by.cpp); returns the exit code.
// `bootstrap` > 0: also --bootstrap B resampled within each class (seeded by `seed`).
int run_design_by(const std::string& values, const std::string& by, const DesignOptions& options,
                  bool json, bool quiet, int bootstrap, std::uint64_t seed);
void register_compare(CLI::App& app, int& exit_code);
void register_simulate(CLI::App& app, int& exit_code);
// `dia simulate --bidder ...` (simulate_asymmetric.cpp); returns the exit code.
int run_asymmetric_simulate(const SimulateRequest& request, bool json, bool quiet);
// The table's noisy inspection section of `dia simulate` (simulate_command.cpp), for both.
std::string noisy_text(const InspectionNoise& noise, double tolerance, double designed_revenue,
                       double denied_rate, const NoisyPoint& here,
                       const std::vector<NoisyPoint>& sweep,
                       const std::optional<ToleranceSearch>& search);
void register_serve(CLI::App& app, int& exit_code);
void register_ledger(CLI::App& app, int& exit_code);
void register_verify_lottery(CLI::App& app, int& exit_code);
void register_report(CLI::App& app, int& exit_code);
void register_evaluate(CLI::App& app, int& exit_code);

}  // namespace dia::cli
