// OpenRTB 2.6 bid response fields (see openrtb_fields.hpp).
#include "service/openrtb_fields.hpp"

#include <algorithm>

namespace dia::service::openrtb {

namespace {

using enum Type;

constexpr Field kBidResponseFields[] = {
    {"id", kString,
     "OpenRTB 2.6 requires BidResponse.id, the id of the bid request: the auction id"},
    {"seatbid", kArray},
    {"bidid", kString},
    {"cur", kString},
    {"customdata", kString},
    {"nbr", kInteger},
    {"ext", kObject, nullptr, "invalid_openrtb"},
};

constexpr Field kSeatBidFields[] = {
    {"bid", kArray, "OpenRTB 2.6 requires SeatBid.bid, an array of at least one bid"},
    {"seat", kString},
    {"group", kFlag},
    {"ext", kObject, nullptr, "invalid_openrtb"},
};

constexpr Field kBidFields[] = {
    {"id", kString, "OpenRTB 2.6 requires Bid.id, the bidder's id for its bid (echoed back)"},
    {"impid", kString, "OpenRTB 2.6 requires Bid.impid, the impression bid on: \"1\""},
    {"price", kNumber, "OpenRTB 2.6 requires Bid.price, in currency units, e.g. 1.25",
     "invalid_amount"},
    {"nurl", kString},
    {"burl", kString},
    {"lurl", kString},
    {"adm", kString},
    {"adid", kString},
    {"adomain", kStringArray},
    {"bundle", kString},
    {"iurl", kString},
    {"cid", kString},
    {"crid", kString},
    {"tactic", kString},
    {"cattax", kInteger},
    {"cat", kStringArray},
    {"attr", kIntegerArray},
    {"apis", kIntegerArray},
    {"api", kInteger},
    {"protocol", kInteger},
    {"qagmediarating", kInteger},
    {"language", kString},
    {"langb", kString},
    {"dealid", kString},
    {"w", kInteger},
    {"h", kInteger},
    {"wratio", kInteger},
    {"hratio", kInteger},
    {"exp", kInteger},
    {"dur", kInteger},
    {"mtype", kInteger},
    {"slotinpod", kInteger},
    {"ext", kObject, nullptr, "invalid_openrtb"},
};

bool is_integer(const json& v) { return v.is_number_integer(); }

bool has_type(const json& v, Type type) {
  switch (type) {
    case kString:
      return v.is_string();
    case kInteger:
      return is_integer(v);
    case kFlag:
      return is_integer(v) && (v == 0 || v == 1);
    case kNumber:
      return v.is_number();
    case kStringArray:
      return v.is_array() &&
             std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
    case kIntegerArray:
      return v.is_array() && std::all_of(v.begin(), v.end(), is_integer);
    case kArray:
      return v.is_array();
    case kObject:
      return v.is_object();
  }
  return false;
}

const char* type_name(Type type) {
  switch (type) {
    case kString:
      return "a string";
    case kInteger:
      return "an integer";
    case kFlag:
      return "0 or 1";
    case kNumber:
      return "a number";
    case kStringArray:
      return "an array of strings";
    case kIntegerArray:
      return "an array of integers";
    case kArray:
      return "an array";
    case kObject:
      return "an object";
  }
  return "";
}

std::string names(std::span<const Field> fields) {
  std::string list;
  for (const Field& f : fields) list += std::string(list.empty() ? "" : ", ") + f.name;
  return list;
}

}  // namespace

const std::span<const Field> kBidResponse{kBidResponseFields};
const std::span<const Field> kSeatBid{kSeatBidFields};
const std::span<const Field> kBid{kBidFields};

void check_fields(const json& object, std::span<const Field> fields, const std::string& where) {
  if (!object.is_object()) bad_input("invalid_openrtb", where + " must be an object");
  for (const auto& item : object.items()) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& key = item.key();
    const json& value = item.value();
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&key](const Field& f) { return key == f.name; });
    if (field == fields.end()) {
      bad_input("unknown_field", "unknown field '" + key + "' in " + where,
                "OpenRTB 2.6 fields here: " + names(fields));
    }
    if (!has_type(value, field->type)) {
      bad_input(field->code,
                where + "." + key + " must be " + type_name(field->type) + ", got " + value.dump());
    }
  }
  for (const Field& f : fields) {
    if (f.required && !object.contains(f.name)) {
      bad_input("missing_field", "missing field '" + std::string(f.name) + "' in " + where,
                f.required);
    }
  }
}

bool has_any(const json& object, std::span<const Field> fields) {
  return std::any_of(fields.begin(), fields.end(),
                     [&object](const Field& f) { return object.contains(f.name); });
}

}  // namespace dia::service::openrtb
