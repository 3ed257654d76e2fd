// Replies of the service and strict JSON input helpers (unknown fields are errors).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dia/micros.hpp"

namespace dia::service {

using nlohmann::json;

struct Reply {
  int status = 200;
  json body;
  // When set, the answer is these exact bytes (JSON) instead of body (GET /v1/designs/{id}/terms,
  // whose SHA-256 the BidRequest publishes).
  std::shared_ptr<const std::string> raw = nullptr;
};

// {"error": {"code", "message", "hint"}}; without a hint the key is left out (never "").
inline Reply error_reply(int status, std::string code, std::string message, std::string hint = {}) {
  json error{{"code", std::move(code)}, {"message", std::move(message)}};
  if (!hint.empty()) error["hint"] = std::move(hint);
  return {status, json{{"error", std::move(error)}}};
}

// Every JSON the service emits or stores: a string that is not UTF-8 (a path, a query or a
// header echoed in a message) has its invalid bytes replaced by U+FFFD instead of throwing.
inline std::string dump_safely(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A thrown bad-input reply, caught at the top of each handler (never crosses the public API).
struct BadInput {
  Reply reply;
};

[[noreturn]] inline void bad_input(std::string code, std::string message, std::string hint = {},
                                   int status = 400) {
  throw BadInput{error_reply(status, std::move(code), std::move(message), std::move(hint))};
}

// A JSON object; a key twice in one object is an error (JSON leaves its meaning open).
inline json parse_object(const std::string& body) {
  std::vector<std::set<std::string>> keys;  // of each open object
  std::string duplicate;
  const json::parser_callback_t track = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty() &&
               !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  json j = json::parse(body, track, false);
  if (j.is_discarded())
    bad_input("malformed_json", "the request body is not valid JSON",
              "send a JSON object with Content-Type: application/json");
  if (!duplicate.empty()) {
    bad_input("duplicate_key", "the key '" + duplicate + "' appears twice in one JSON object",
              "give each field once");
  }
  if (!j.is_object()) bad_input("malformed_json", "the request body must be a JSON object");
  return j;
}

inline void only_keys(const json& object, std::initializer_list<const char*> allowed,
                      const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      bad_input("unknown_field", "unknown field '" + key + "' in " + where,
                "allowed fields: " + list);
    }
  }
}

// A required (or optional) nonnegative integer amount of micro-units.
inline std::optional<Micros> get_micros(const json& object, const char* key, bool required,
                                        Micros minimum = 0) {
  if (!object.contains(key)) {
    if (required)
      bad_input("missing_field", std::string("missing field '") + key + "'",
                std::string("give '") + key + "' as an integer number of micro-units");
    return std::nullopt;
  }
  const json& v = object.at(key);
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::uint64_t(INT64_MAX)) {
    const auto n = static_cast<Micros>(v.get<std::uint64_t>());
    if (n >= minimum) return n;
  } else if (v.is_number_integer() && v.get<std::int64_t>() >= minimum) {
    return v.get<std::int64_t>();
  }
  bad_input("invalid_amount",
            std::string("'") + key + "' must be an integer >= " + std::to_string(minimum) +
                " (micro-units), got " + v.dump(),
            "amounts are integers in micro-units: 1.5 units = 1500000");
}

inline std::string get_string(const json& object, const char* key, bool required,
                              std::string fallback = {}) {
  if (!object.contains(key)) {
    if (required) bad_input("missing_field", std::string("missing field '") + key + "'");
    return fallback;
  }
  if (!object.at(key).is_string()) {
    bad_input("invalid_field", std::string("'") + key + "' must be a string");
  }
  return object.at(key).get<std::string>();
}

// A principal's name: 1-200 characters (UTF-8 code points, not bytes; the parsed JSON is valid
// UTF-8), none a control character (C0, DEL, C1: PostgreSQL cannot store U+0000, and no name
// needs a line break).
inline std::string check_name(std::string name) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool c1 = c == 0xC2 && i + 1 < name.size() &&
                    static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      bad_input("invalid_field", "name contains a control character",
                "use printable characters only (no tabs, newlines or \\u0000)");
    }
    characters += (c & 0xC0) != 0x80;  // every byte but a UTF-8 continuation starts a character
  }
  if (characters == 0 || characters > 200) {
    bad_input("invalid_field",
              "name has " + std::to_string(characters) + " characters, not 1 to 200",
              "give a name of 1 to 200 characters");
  }
  return name;
}

}  // namespace dia::service
