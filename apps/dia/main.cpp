// dia: design, compare and run auctions with deferred inspection and reward.
#include <cstdio>
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"dia: optimal auctions with deferred inspection and reward"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dia 0.1.0");
  int exit_code = 0;
  dia::cli::register_design(app, exit_code);
  dia::cli::register_compare(app, exit_code);
  dia::cli::register_simulate(app, exit_code);
  dia::cli::register_serve(app, exit_code);
  dia::cli::register_ledger(app, exit_code);
  dia::cli::register_verify_lottery(app, exit_code);
  dia::cli::register_report(app, exit_code);
  dia::cli::register_evaluate(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const auto parsed = app.get_subcommands();
    const std::string help =
        parsed.empty() ? "dia --help" : "dia " + parsed.front()->get_name() + " --help";
    std::cerr << "dia: error: " << e.what() << " (run '" << help << "')\n";
    return dia::cli::kExitBadInput;
  } catch (const dia::cli::UserError& e) {
    std::cerr << "dia: error: " << e.error.line() << "\n";
    return e.error.code == dia::ErrorCode::kAuditFailed ? dia::cli::kExitAuditFailed
                                                        : dia::cli::kExitBadInput;
  }
  return exit_code;
}
