// libFuzzer target of dia serve's HTTP request path: raw request bytes -> Beast's parser -> the
// server's own header screening (routing, authentication, Idempotency-Key, Content-Type,
// limits) -> the routes on a real house over a SQLite database (fuzz_house.hpp) -> the answer.
// Any crash, exit, 5xx or answer that is not valid JSON is a finding. In an input, @BIDDER@,
// @INSPECTOR@ and @EXCHANGE@ stand for the tokens of the house's bidder, inspector and exchange.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_house.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dia::fuzz;
  static FuzzHouse h;  // one house for the whole run, like a long-lived server
  std::string bytes(reinterpret_cast<const char*>(data), size);
  bytes = replace_all(
      replace_all(replace_all(std::move(bytes), "@BIDDER@", h.bidder), "@INSPECTOR@", h.inspector),
      "@EXCHANGE@", h.exchange_token);
  check_replies(exchange(*h.routes, h.limits, bytes));
  return 0;
}
