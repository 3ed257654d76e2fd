// The bid parser of POST /v1/auctions/{id}/bids (plain and OpenRTB): any body is a bid or a
// BadInput (a 4xx); any other exception would be a 500, and so a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dia/error.hpp"
#include "service/bid_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  try {
    const auto bid = dia::service::parse_bid(dia::service::parse_object(body), 7, "USD");
    DIA_CHECK(bid.format == "dia" || bid.format == "openrtb");
  } catch (const dia::service::BadInput& e) {
    DIA_CHECK(e.reply.status >= 400 && e.reply.status < 500);
  }
  return 0;
}
