// `dia serve`: the HTTP JSON auction house over a database (docs/api.md).
#pragma once

#include <cstddef>
#include <string>

#include "dia/error.hpp"
#include "dia/micros.hpp"

namespace dia {

struct ServeOptions {
  std::string db_url = "sqlite:dia.db";  // or postgresql://...
  std::string host = "127.0.0.1";
  int port = 8080;              // 0 picks a free port (see port_file)
  std::string port_file;        // where to write the bound port, if set
  std::string operator_token;   // the operator's bearer token (stored hashed)
  Micros tolerance_micros = 0;  // default inspection tolerance (docs/model.md#noisy)
  std::string currency = "USD";
  std::size_t max_body_bytes = 8u << 20;
  int threads = 64;  // worker threads: parse, design, wait for the commit (not per connection)
  std::size_t max_batch = 1024;  // requests per group commit
  // A second bearer token that may read GET /metrics and nothing else (stored hashed; empty:
  // only the operator's token may), so that a scraper never holds the operator's.
  std::string metrics_token;
  bool access_log = true;     // one JSON line per answered request on stderr
  int openrtb_tmax_ms = 100;  // the BidRequests' OpenRTB tmax: how long bids are waited for
  // The URL clients reach the house at (http or https, no query): the BidRequests' terms_url is
  // absolute under it. Empty: terms_url is relative to the house's own URL.
  std::string public_url;
};

// Migrates the database, loads the state and serves until SIGINT or SIGTERM.
Expected<void> serve(const ServeOptions& options);

}  // namespace dia
