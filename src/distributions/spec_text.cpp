#include "distributions/spec_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace dia::detail {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string quote(std::string_view text, std::size_t max_length) {
  std::string out;
  out.reserve(std::min(text.size(), max_length + 3));
  for (char c : text) {
    if (out.size() >= max_length) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out;
}

std::string format_number(double value) { return fmt::format("{}", value); }

namespace {

// The field without surrounding whitespace and one leading '+' (nullopt for "+-1" and the like).
std::optional<std::string_view> number_text(std::string_view field) {
  field = trim(field);
  if (!field.empty() && field.front() == '+') {
    field.remove_prefix(1);
    if (!field.empty() && (field.front() == '-' || field.front() == '+')) return std::nullopt;
  }
  if (field.empty()) return std::nullopt;
  return field;
}

std::errc read_number(std::string_view field, double& value) {
  const auto text = number_text(field);
  if (!text) return std::errc::invalid_argument;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value, std::chars_format::general);
  return ec == std::errc() && ptr != end ? std::errc::invalid_argument : ec;
}

}  // namespace

std::optional<double> parse_number(std::string_view field) {
  double value = 0.0;
  if (read_number(field, value) != std::errc()) return std::nullopt;
  return value + 0.0;  // -0 reads as 0, so that it echoes as "0"
}

std::string_view number_problem(std::string_view field) {
  double value = 0.0;
  return read_number(field, value) == std::errc::result_out_of_range
             ? "is out of range (finite doubles only)"
             : "is not a number";
}

std::size_t find_closing_parenthesis(std::string_view text, std::size_t open) {
  std::size_t depth = 0;
  bool quoted = false;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth == 0) return std::string_view::npos;
      if (--depth == 0) return i;
    }
  }
  return std::string_view::npos;
}

std::size_t find_top_level(std::string_view text, char separator) {
  std::size_t depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == separator && depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_top_level(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = find_top_level(text, separator);
    if (at == std::string_view::npos) {
      parts.push_back(text);
      return parts;
    }
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
}

tl::unexpected<Error> spec_error(std::string message, std::string hint) {
  return fail(ErrorCode::kInvalidSpec, std::move(message), std::move(hint));
}

}  // namespace dia::detail
