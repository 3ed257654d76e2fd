// `dia serve`: opens and claims (SQLite) or joins (PostgreSQL) the database, loads the house, and
// serves its routes over HTTP until SIGINT or SIGTERM.
#include <cstdio>
#include <fstream>

#include "dia/service.hpp"
#include "service/house.hpp"
#include "service/http_server.hpp"
#include "service/openrtb_terms.hpp"
#include "service/routes.hpp"

namespace dia {
Expected<void> serve(const ServeOptions& options) {
  using namespace service;
  if (options.operator_token.size() < 16) {
    return fail(ErrorCode::kInvalidArgument, "the operator token must have at least 16 characters",
                "set DIA_OPERATOR_TOKEN or --operator-token-file to a long random string");
  }
  if (!options.metrics_token.empty() &&
      (options.metrics_token.size() < 16 || options.metrics_token == options.operator_token)) {
    return fail(ErrorCode::kInvalidArgument,
                "the metrics token must have at least 16 characters and differ from the "
                "operator's",
                "set DIA_METRICS_TOKEN or --metrics-token-file to another long random string");
  }
  std::string public_url;
  if (!options.public_url.empty()) {
    auto base = public_base_url(options.public_url);
    if (!base) return tl::unexpected(base.error());
    public_url = std::move(*base);
  }
  auto db = ledger::open_database(options.db_url);
  if (!db) return tl::unexpected(db.error());
  if (auto claimed = (*db)->claim(); !claimed) return claimed;
  // Migrating and loading write (the platform accounts, the operator token): on a database that
  // other servers share (PostgreSQL) they take the writers' turn as a group commit does.
  if (auto locked = (*db)->lock_writes(); !locked) return tl::unexpected(locked.error());
  House house(options.tolerance_micros, options.currency);
  house.set_openrtb_tmax_ms(options.openrtb_tmax_ms);
  house.set_public_url(public_url);
  auto loaded = [&]() -> Expected<void> {
    if (auto v = ledger::migrate(**db); !v) return tl::unexpected(v.error());
    return house.load(**db, sha256_hex(options.operator_token));
  }();
  (*db)->unlock_writes();
  if (!loaded) return loaded;
  auto reader = ledger::open_database(options.db_url);
  if (!reader) return tl::unexpected(reader.error());

  const auto routes = make_routes(options, house, **db, **reader);
  HttpLimits limits;
  limits.max_body_bytes = options.max_body_bytes;
  HttpServer server(*routes, limits, options.threads);
  const auto port = server.listen(options.host, options.port);
  if (!port) return tl::unexpected(port.error());
  if (!options.port_file.empty()) {
    const std::string tmp = options.port_file + ".tmp";
    std::ofstream(tmp) << *port << "\n";
    std::rename(tmp.c_str(), options.port_file.c_str());
  }
  std::fprintf(stderr, "dia serve: listening on http://%s:%d (%s)\n", options.host.c_str(), *port,
               (*db)->backend().c_str());
  server.run();
  return {};
}

}  // namespace dia
