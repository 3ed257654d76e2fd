// The request target of dia serve: path and query, percent-decoded. Hand-written because Boost
// 1.74 (Debian 12) has no URL parser (Boost.URL came with 1.81) and cpp-httplib's is internal.
// The results may hold any bytes (%ff decodes to 0xff): they are compared and echoed, never
// trusted to be UTF-8 (dump_safely).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dia::service {

inline std::string percent_decode(std::string_view s, bool plus_is_space) {
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += plus_is_space && s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

struct Target {
  std::string path;                                        // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
};

inline Target parse_target(std::string_view target) {
  Target t;
  const auto question = target.find('?');
  t.path = percent_decode(target.substr(0, question), false);
  if (question == std::string_view::npos) return t;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      t.query.emplace_back(
          percent_decode(pair.substr(0, eq), true),
          eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return t;
}

}  // namespace dia::service
