#include "distributions/empirical.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "distributions/discrete.hpp"
#include "distributions/spec_text.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia::detail {

namespace {

constexpr std::string_view kRowHint =
    "each line must be value or value,weight with numbers (value >= 0, weight >= 0); only the "
    "first line may be a header";

std::string_view strip_quotes(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
    field = trim(field.substr(1, field.size() - 2));
  }
  return field;
}

Expected<std::string> read_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot open empirical file '{}': no such file", quote(path)),
                "check the path; a relative path is relative to the working directory");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return fail(
        ErrorCode::kIo,
        fmt::format("cannot read empirical file '{}': it is {}", quote(path),
                    std::filesystem::is_directory(status) ? "a directory" : "not a regular file"),
        "give the path of a CSV file with one value per line");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(
        ErrorCode::kIo,
        fmt::format("cannot open empirical file '{}': {}", quote(path), std::strerror(errno)),
        "check that the file exists and is readable");
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return fail(ErrorCode::kIo, fmt::format("error while reading empirical file '{}'", quote(path)),
                "check that the file is readable");
  }
  return std::move(content).str();
}

}  // namespace

Expected<DistributionPtr> make_empirical(std::string_view path_view, std::string_view argument,
                                         std::string_view input) {
  if (path_view.empty()) {
    return spec_error(fmt::format("empirical needs a file path, got {}", quote(input)),
                      "e.g. empirical(data/values.csv)");
  }
  const std::string path(path_view);
  auto content = read_file(path);
  if (!content) return tl::unexpected(content.error());
  std::string_view text = *content;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  if (trim(text).empty()) {
    return spec_error(fmt::format("empirical file '{}' is empty", quote(path)),
                      "write one observed value per line, optionally value,weight");
  }

  std::vector<double> values;
  std::vector<double> weights;
  bool first_content_line = true;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    const bool is_first = first_content_line;
    first_content_line = false;

    const std::vector<std::string_view> fields = split_top_level(line, ',');
    const auto row_error = [&](std::string what) {
      return spec_error(
          fmt::format("empirical file '{}' line {}: {}", quote(path), line_number, std::move(what)),
          std::string(kRowHint));
    };
    const std::optional<double> value = parse_number(strip_quotes(fields[0]));
    if (!value) {
      if (is_first) continue;  // a header
      return row_error(fmt::format("'{}' {}", quote(strip_quotes(fields[0]), 40),
                                   number_problem(strip_quotes(fields[0]))));
    }
    if (fields.size() > 2) {
      return row_error(fmt::format("{} fields in '{}', expected value or value,weight",
                                   fields.size(), quote(line, 40)));
    }
    if (!std::isfinite(*value) || *value < 0) {
      return row_error(fmt::format("value {} is not a finite number >= 0", format_number(*value)));
    }
    double weight = 1.0;
    if (fields.size() == 2) {
      const std::optional<double> parsed = parse_number(strip_quotes(fields[1]));
      if (!parsed) {
        return row_error(fmt::format("weight '{}' {}", quote(strip_quotes(fields[1]), 40),
                                     number_problem(strip_quotes(fields[1]))));
      }
      if (!std::isfinite(*parsed) || *parsed < 0) {
        return row_error(
            fmt::format("weight {} is negative or not finite", format_number(*parsed)));
      }
      weight = *parsed;
    }
    values.push_back(*value);
    weights.push_back(weight);
  }
  if (values.empty()) {
    return spec_error(fmt::format("empirical file '{}' has no data rows", quote(path)),
                      "write one observed value per line, optionally value,weight");
  }
  CompensatedSum total;
  for (double w : weights) total.add(w);
  if (!(total.value() > 0) || !std::isfinite(total.value())) {
    return spec_error(fmt::format("empirical file '{}': the weights sum to {}", quote(path),
                                  format_number(total.value())),
                      "give at least one row a positive weight, and keep the total finite");
  }
  for (double& w : weights) w /= total.value();
  auto types = make_discrete_types(std::move(values), std::move(weights), 1e-9);
  if (!types) {
    return spec_error(fmt::format("empirical file '{}': {}", quote(path), types.error().message),
                      types.error().hint);
  }
  return std::make_shared<const DiscreteDistribution>(std::move(*types),
                                                      fmt::format("empirical({})", argument));
}

}  // namespace dia::detail
