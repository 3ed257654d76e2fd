// empirical(path[, column=NAME|INDEX][, weight=NAME|INDEX]): observed values in a CSV file as a
// discrete distribution (internal; docs/spec.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dia/distribution.hpp"

namespace dia::detail {

// The arguments of empirical(...): the file, and the columns named by column= and weight= (empty:
// the legacy layout, value or value,weight). `argument` is the text between the parentheses as
// written, echoed by spec().
struct EmpiricalSource {
  std::string path;
  std::string column;
  std::string weight;
  std::string argument;
};

// Splits the text between the parentheses: trailing `column=` / `weight=` items are options, the
// rest (surrounding quotes removed) the path. `input` is the SPEC quoted in errors.
Expected<EmpiricalSource> parse_empirical_arguments(std::string_view arguments,
                                                    std::string_view input);

// A whole SPEC that must be empirical(...) (for `flag`, e.g. "--by", named in the error): its
// arguments. kInvalidArgument for any other SPEC.
Expected<EmpiricalSource> parse_empirical_spec(std::string_view spec, std::string_view flag);

// The rows of the file, one per observation: value, weight and, with a `by` column, the index of
// the row's class in `classes` (classes in order of first appearance).
struct EmpiricalRows {
  std::vector<double> values;
  std::vector<double> weights;
  std::vector<std::size_t> class_of;
  std::vector<std::string> classes;
};

// Reads the file: blank lines are skipped; in the legacy layout the first nonblank line is a
// header when its first field is not a number; with column= it is a header when any field is not
// a number. `by` (a column NAME or 1-based INDEX, or empty) splits the rows into classes.
Expected<EmpiricalRows> read_empirical_rows(const EmpiricalSource& source, std::string_view by);

// The discrete distribution of rows (weights normalised), whose spec() is `spec`.
Expected<DistributionPtr> empirical_distribution(std::vector<double> values,
                                                 std::vector<double> weights,
                                                 const std::string& path, std::string spec);

// empirical(...) as a whole: parse, read, build.
Expected<DistributionPtr> make_empirical(std::string_view arguments, std::string_view input);

}  // namespace dia::detail
