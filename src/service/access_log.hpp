// The access log of dia serve: one JSON line per answered request on stderr, with the method, the
// route template (never the raw path, which can carry ids and arbitrary text), the status, the
// microseconds and the principal's id. Never a token, a header, a query or a body.
#pragma once

#include <cstdint>
#include <string>

#include "service/http_server.hpp"

namespace dia::service {

// The line for one exchange answered at `unix_micros` (microseconds since 1970, UTC), with its
// newline: {"time":"2026-12-07T05:40:00.123456Z","method":"POST","path":"/v1/auctions/{id}/bids",
// "status":201,"micros":523,"principal":7}; path null when no route matched, principal null
// when none was authenticated.
std::string access_log_line(const Exchange& e, std::int64_t unix_micros);

// Writes the exchange's line to stderr in one write(2), so lines from several threads never mix.
void write_access_log(const Exchange& e);

}  // namespace dia::service
