// `dia serve`: the HTTP JSON auction house (docs/api.md).
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "dia/service.hpp"

namespace dia::cli {
namespace {

struct ServeArgs {
  ServeOptions options;
  std::string token_file;
};

std::string read_token(const ServeArgs& args) {
  if (!args.token_file.empty()) {
    std::ifstream in(args.token_file);
    if (!in) {
      throw UserError{{ErrorCode::kIo, "cannot read --operator-token-file " + args.token_file, ""}};
    }
    std::string token;
    std::getline(in, token);
    return token;
  }
  const char* env = std::getenv("DIA_OPERATOR_TOKEN");
  if (!env) {
    throw UserError{{ErrorCode::kInvalidArgument, "no operator token",
                     "set DIA_OPERATOR_TOKEN or pass --operator-token-file FILE"}};
  }
  return env;
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "run the HTTP JSON auction house (docs/api.md)");
  auto& o = args->options;
  cmd->add_option("--db", o.db_url, "sqlite:PATH (default sqlite:dia.db) or postgresql://...")
      ->capture_default_str();
  cmd->add_option("--host", o.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "port (0 = any free port)")->capture_default_str();
  cmd->add_option("--port-file", o.port_file, "write the bound port to this file");
  cmd->add_option(
      "--operator-token-file", args->token_file,
      "file whose first line is the operator's bearer token (else $DIA_OPERATOR_TOKEN)");
  cmd->add_option("--tolerance-micros", o.tolerance_micros,
                  "default inspection tolerance: |value - bid| <= this counts as truthful")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--currency", o.currency, "the currency of prices (OpenRTB cur)")
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", o.max_body_bytes, "request body size limit")
      ->capture_default_str();
  cmd->add_option(
         "--threads", o.threads,
         "worker threads that parse, design and wait for the commit (connections are not bound to "
         "threads)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--max-batch", o.max_batch, "requests per group commit")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->callback([args, &exit_code] {
    args->options.operator_token = read_token(*args);
    if (auto r = serve(args->options); !r) throw UserError{r.error()};
    exit_code = 0;
  });
}

}  // namespace dia::cli
