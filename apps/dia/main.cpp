// dia: design, compare and run auctions with deferred inspection and reward.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "dia/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"dia: optimal auctions with deferred inspection and reward"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("dia ") + dia::kVersion);
  int exit_code = 0;
  dia::cli::register_design(app, exit_code);
  dia::cli::register_compare(app, exit_code);
  dia::cli::register_simulate(app, exit_code);
  dia::cli::register_serve(app, exit_code);
  dia::cli::register_ledger(app, exit_code);
  dia::cli::register_verify_lottery(app, exit_code);
  dia::cli::register_report(app, exit_code);
  dia::cli::register_evaluate(app, exit_code);
  // `dia help [COMMAND]`: the same text as `dia [COMMAND] --help`.
  std::string topic;
  CLI::App* help = app.add_subcommand("help", "Show the help of dia, or of one command");
  help->add_option("command", topic, "a command, e.g. design");
  help->callback([&app, &topic] {
    // App::help() would show the selected subcommand (help itself): format the target directly.
    const auto formatter = app.get_formatter();
    if (topic.empty()) {
      std::cout << formatter->make_help(&app, "dia", CLI::AppFormatMode::Normal);
      return;
    }
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == topic) {
        std::cout << formatter->make_help(command, "dia " + topic, CLI::AppFormatMode::Normal);
        return;
      }
    }
    throw dia::cli::UserError{{dia::ErrorCode::kInvalidArgument,
                               "dia help: unknown command '" + topic + "'",
                               "run 'dia help' for the list of commands"}};
  });
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
    const std::string usage =
        parsed.empty() ? "dia --help" : "dia " + parsed.front()->get_name() + " --help";
    std::cerr << "dia: error: " << e.what() << " (run '" << usage << "')\n";
    return dia::cli::kExitBadInput;
  } catch (const dia::cli::UserError& e) {
    std::cerr << "dia: error: " << e.error.line() << "\n";
    return e.error.code == dia::ErrorCode::kAuditFailed ? dia::cli::kExitAuditFailed
                                                        : dia::cli::kExitBadInput;
  }
  return exit_code;
}
