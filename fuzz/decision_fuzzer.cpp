// The body of POST /v1/decisions (an exchange's one-shot decision: plain bids or an OpenRTB 2.6
// BidRequest with its BidResponses), sent by the exchange through the real routes and house
// (fuzz_house.hpp): parse_decision, the design (saved or inline), the house's checks, the draw,
// the deposit and the record. Any crash, 5xx or answer that is not JSON is a finding. Bodies with
// an inline design but no reduced_form are skipped: they run the optimiser, which is no parser
// and takes seconds. "@REQ@" in an input stands for a number new with each run, so that a request
// id may be fresh (the house answers a request id it has decided with 409).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_house.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dia::fuzz;
  static FuzzHouse h;  // one house for the whole run, like a long-lived server
  static std::int64_t requests = 0;
  const std::string body = replace_all(std::string(reinterpret_cast<const char*>(data), size),
                                       "@REQ@", std::to_string(++requests));
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && !parsed.contains("design_id") && parsed.contains("values") &&
      !parsed.contains("reduced_form")) {
    return 0;
  }
  const std::string key = "decision-" + std::to_string(requests);
  check_replies(exchange(*h.routes, h.limits, post("/v1/decisions", h.exchange_token, key, body)));
  return 0;
}
