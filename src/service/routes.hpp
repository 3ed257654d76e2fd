// The endpoints of dia serve as an HTTP application: routing, authentication and the checks on
// the headers (on the IO thread), then parsing and the house's writer (on the worker pool).
#pragma once

#include <memory>

#include "dia/service.hpp"
#include "ledger/database.hpp"
#include "service/house.hpp"
#include "service/http_server.hpp"

namespace dia::service {

// db: the writer's connection (group commits); reader: a second one for the ledger check.
std::unique_ptr<HttpApplication> make_routes(const ServeOptions& options, House& house,
                                             ledger::Database& db, ledger::Database& reader);

}  // namespace dia::service
