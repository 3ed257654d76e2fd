// Small text utilities shared by the SPEC parser and the family constructors (internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dia/error.hpp"

namespace dia::detail {

// Removes leading and trailing whitespace.
std::string_view trim(std::string_view text);

// The input as it may appear inside a one-line message: control characters become spaces and
// long texts are shortened with "...".
std::string quote(std::string_view text, std::size_t max_length = 80);

// A double written in full: shortest form that reads back to the same value ("inf" for +inf).
std::string format_number(double value);

// The number a whole field spells (surrounding whitespace allowed; "inf", "nan" accepted);
// nullopt if the field is not exactly one number or is out of the range of double.
std::optional<double> parse_number(std::string_view field);

// Why parse_number refused a field, for messages: "is out of range (finite doubles only)" when it
// spells a number beyond double's range (1e400), else "is not a number".
std::string_view number_problem(std::string_view field);

// Index of the ')' closing the '(' at `open`, or npos. Parentheses inside "..." do not count.
std::size_t find_closing_parenthesis(std::string_view text, std::size_t open);

// Splits at the separator where it is not nested inside parentheses or quotes.
std::vector<std::string_view> split_top_level(std::string_view text, char separator);

// Index of the first `separator` not nested inside parentheses or quotes, or npos.
std::size_t find_top_level(std::string_view text, char separator);

// A user error in a SPEC.
tl::unexpected<Error> spec_error(std::string message, std::string hint);

}  // namespace dia::detail
