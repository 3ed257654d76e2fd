// The fields OpenRTB 2.6 (section 4) defines for BidResponse, SeatBid and Bid, with their types:
// a bid response is checked against them, each field typed, the required ones present. dia reads
// few of them (docs/api.md, "OpenRTB 2.6"); the rest are valid and ignored.
#pragma once

#include <span>
#include <string>

#include "service/api_error.hpp"

namespace dia::service::openrtb {

enum class Type { kString, kInteger, kFlag, kNumber, kStringArray, kIntegerArray, kArray, kObject };

struct Field {
  const char* name;
  Type type;
  const char* required = nullptr;  // why the standard requires it (the hint), or null if optional
  const char* code = "invalid_field";  // the error code of a value of the wrong type
};

// The fields of each object, as OpenRTB 2.6 lists them (api: deprecated for apis, still valid).
extern const std::span<const Field> kBidResponse;
extern const std::span<const Field> kSeatBid;
extern const std::span<const Field> kBid;

// Throws BadInput (400) on a non-object, a key not in `fields` (unknown_field), a missing
// required field (missing_field, the hint naming it) or a value of the wrong type.
void check_fields(const json& object, std::span<const Field> fields, const std::string& where);

// Whether `object` has any of `fields`.
bool has_any(const json& object, std::span<const Field> fields);

}  // namespace dia::service::openrtb
