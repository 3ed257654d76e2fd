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
  std::string token_file, metrics_token_file;
};

// The first line of `file` (named by `option`) when given, else $`env`; none: empty.
std::string read_token(const std::string& file, const char* option, const char* env) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in)
      throw UserError{{ErrorCode::kIo, std::string("cannot read ") + option + " " + file, ""}};
    std::string token;
    std::getline(in, token);
    return token;
  }
  const char* value = std::getenv(env);
  return value ? value : "";
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
  cmd->add_option("--metrics-token-file", args->metrics_token_file,
                  "file whose first line is a token that may read GET /metrics only (else "
                  "$DIA_METRICS_TOKEN; neither: only the operator's token may)");
  cmd->add_flag("!--no-access-log", o.access_log,
                "no access log (else one JSON line per request on stderr)");
  cmd->add_option("--tolerance-micros", o.tolerance_micros,
                  "default inspection tolerance: |value - bid| <= this counts as truthful")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--currency", o.currency, "the currency of prices (OpenRTB cur)")
      ->capture_default_str();
  cmd->add_option("--openrtb-tmax-ms", o.openrtb_tmax_ms,
                  "OpenRTB tmax of the BidRequests: ms the exchange waits for bids")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  cmd->add_option("--public-url", o.public_url,
                  "the URL clients reach this server at (http or https, no query): the OpenRTB "
                  "BidRequests' ext.dia.terms_url is absolute under it (else relative)");
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
    args->options.operator_token =
        read_token(args->token_file, "--operator-token-file", "DIA_OPERATOR_TOKEN");
    if (args->options.operator_token.empty() && args->token_file.empty() &&
        !std::getenv("DIA_OPERATOR_TOKEN")) {
      throw UserError{{ErrorCode::kInvalidArgument, "no operator token",
                       "set DIA_OPERATOR_TOKEN or pass --operator-token-file FILE"}};
    }
    args->options.metrics_token =
        read_token(args->metrics_token_file, "--metrics-token-file", "DIA_METRICS_TOKEN");
    if (auto r = serve(args->options); !r) throw UserError{r.error()};
    exit_code = 0;
  });
}

}  // namespace dia::cli
