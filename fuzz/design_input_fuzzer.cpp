// The design of POST /v1/designs and /v1/auctions (DesignInput::prepare, which refuses SPECs that
// name files): any body is a design or a BadInput (a 4xx). Bodies without a reduced_form are
// skipped: they run the optimiser, which is no parser and takes seconds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "service/design_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dia::service;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const json body = parse_object(text);
    only_keys(body, {"values", "bidders", "reduced_form"}, "a design");
    if (!body.contains("reduced_form")) return 0;
    DesignInput input;
    const auto design = input.prepare(body);
    DIA_CHECK(design->rule != nullptr);
    DIA_CHECK(design->values.size() == design->allocation.size());
  } catch (const BadInput& e) {
    DIA_CHECK(e.reply.status >= 400 && e.reply.status < 500);
  }
  return 0;
}
