#include "distributions/empirical.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "distributions/discrete.hpp"
#include "distributions/spec_text.hpp"
#include "numeric/compensated_sum.hpp"
#include "numeric/huge_pages.hpp"

namespace dia::detail {

namespace {

constexpr std::string_view kRowHint =
    "each line must be value or value,weight with numbers (value >= 0, weight >= 0); only the "
    "first line may be a header";
constexpr std::string_view kCellHint =
    "every data row needs a number >= 0 in the column= (and weight=) column";
constexpr std::string_view kColumnHint =
    "column=, weight= and --by take a header name or a 1-based column index";

std::string_view strip_quotes(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
    field = trim(field.substr(1, field.size() - 2));
  }
  return field;
}

// The comma-separated fields of a CSV line ("..." may hold commas), into a reused vector: no
// allocation per line once it has grown.
void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') {
      quoted = !quoted;
    } else if (line[i] == ',' && !quoted) {
      fields.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  fields.push_back(line.substr(start));
}

// The file's bytes, mapped read-only (issue 14: a 10^6-line file is parsed in place, with no
// copy into a zero-filled buffer; MAP_POPULATE maps every page at once instead of one fault each).
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  static Expected<std::unique_ptr<MappedFile>> open(const std::string& path);
  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

Expected<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
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
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(
        ErrorCode::kIo,
        fmt::format("cannot open empirical file '{}': {}", quote(path), std::strerror(errno)),
        "check that the file exists and is readable");
  }
  auto file = std::make_unique<MappedFile>();
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok && st.st_size > 0) {
    file->size_ = static_cast<std::size_t>(st.st_size);
    void* data = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ok = data != MAP_FAILED;
    file->data_ = ok ? data : nullptr;
    if (!ok) file->size_ = 0;
  }
  ::close(fd);
  if (!ok) {
    return fail(ErrorCode::kIo, fmt::format("error while reading empirical file '{}'", quote(path)),
                "check that the file is readable");
  }
  return file;
}

bool is_option(std::string_view item, std::string_view key) {
  item = trim(item);
  if (!item.starts_with(key)) return false;
  return trim(item.substr(key.size())).starts_with('=');
}

// The 0-based index of the column `wanted` (a header name, else a 1-based index).
Expected<std::size_t> resolve_column(std::string_view wanted, std::string_view option,
                                     const std::vector<std::string>& header,
                                     const std::string& path) {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == wanted) return c;
  }
  std::size_t index = 0;
  const bool digits = !wanted.empty() && wanted.size() <= 6 &&
                      std::all_of(wanted.begin(), wanted.end(), [](char ch) {
                        return std::isdigit(static_cast<unsigned char>(ch)) != 0;
                      });
  if (digits) {
    for (char ch : wanted) index = 10 * index + static_cast<std::size_t>(ch - '0');
    if (index >= 1) return index - 1;
    return spec_error(fmt::format("empirical file '{}': {}={} but columns count from 1",
                                  quote(path), option, wanted),
                      std::string(kColumnHint));
  }
  if (header.empty()) {
    return spec_error(fmt::format("empirical file '{}' has no header row to find {} '{}' in",
                                  quote(path), option, quote(wanted, 40)),
                      "add a header line of column names, or give the column's 1-based index, "
                      "e.g. column=2");
  }
  std::string names;
  for (const auto& h : header) names += (names.empty() ? "" : ", ") + quote(h, 40);
  return spec_error(fmt::format("empirical file '{}' has no column '{}' for {} (columns: {})",
                                quote(path), quote(wanted, 40), option, names),
                    std::string(kColumnHint));
}

std::string column_label(std::size_t index, const std::vector<std::string>& header) {
  return index < header.size() ? fmt::format("column {} ({})", index + 1, quote(header[index], 40))
                               : fmt::format("column {}", index + 1);
}

}  // namespace

Expected<EmpiricalSource> parse_empirical_arguments(std::string_view arguments,
                                                    std::string_view input) {
  EmpiricalSource source;
  source.argument = std::string(trim(arguments));
  std::vector<std::string_view> items = split_top_level(arguments, ',');
  const std::size_t all_items = items.size();
  while (items.size() > 1 &&
         (is_option(items.back(), "column") || is_option(items.back(), "weight"))) {
    const std::string_view item = trim(items.back());
    const bool column = item.starts_with("column");
    const std::size_t equals = item.find('=');
    const std::string value(strip_quotes(item.substr(equals + 1)));
    std::string& slot = column ? source.column : source.weight;
    if (!slot.empty()) {
      return spec_error(fmt::format("empirical {}= given twice in {}", column ? "column" : "weight",
                                    quote(input)),
                        "give each of column= and weight= at most once");
    }
    if (value.empty()) {
      return spec_error(fmt::format("empirical {}= needs a column name or index in {}",
                                    column ? "column" : "weight", quote(input)),
                        "e.g. empirical(bids.csv, column=bid_usd)");
    }
    slot = value;
    items.pop_back();
  }
  if (!source.weight.empty() && source.column.empty()) {
    return spec_error(fmt::format("empirical weight= needs column= as well in {}", quote(input)),
                      "e.g. empirical(bids.csv, column=bid_usd, weight=count)");
  }
  // The path is everything before the options, as written (it may hold commas).
  std::string_view path = trim(arguments);
  if (items.size() < all_items) {
    const std::string_view last = items.back();
    path = trim(std::string_view(path.data(), last.data() + last.size() - path.data()));
  }
  if (path.size() >= 2 && path.front() == '"' && path.back() == '"') {
    path = path.substr(1, path.size() - 2);
  }
  if (path.empty()) {
    return spec_error(fmt::format("empirical needs a file path, got {}", quote(input)),
                      "e.g. empirical(data/values.csv)");
  }
  source.path = std::string(path);
  return source;
}

Expected<EmpiricalSource> parse_empirical_spec(std::string_view spec, std::string_view flag) {
  const std::string_view input = trim(spec);
  const std::size_t open = input.find('(');
  std::string name(trim(input.substr(0, open)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t close = open == std::string_view::npos ? std::string_view::npos
                                                           : find_closing_parenthesis(input, open);
  if (name != "empirical" || close == std::string_view::npos || close + 1 != input.size()) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("{} needs --values empirical(...), a data file, got {}", flag, quote(input)),
        "e.g. --values 'empirical(bids.csv, column=bid_usd)'");
  }
  return parse_empirical_arguments(input.substr(open + 1, close - open - 1), input);
}

Expected<EmpiricalRows> read_empirical_rows(const EmpiricalSource& source, std::string_view by) {
  const std::string& path = source.path;
  auto file = MappedFile::open(path);
  if (!file) return tl::unexpected(file.error());
  std::string_view text = (*file)->text();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  if (trim(text).empty()) {
    return spec_error(fmt::format("empirical file '{}' is empty", quote(path)),
                      "write one observed value per line, optionally value,weight");
  }
  const bool columns = !source.column.empty();
  std::vector<std::string> header;
  std::size_t value_column = 0, weight_column = 1, by_column = 0;
  bool weighted = columns ? !source.weight.empty() : false;  // legacy: per line
  std::unordered_map<std::string, std::size_t> class_index;

  EmpiricalRows rows;
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  reserve_huge(rows.values, lines);
  reserve_huge(rows.weights, lines);
  if (!by.empty()) rows.class_of.reserve(lines);
  std::vector<std::string_view> fields;
  bool first_content_line = true;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    split_fields(line, fields);
    const auto row_error = [&](std::string what, std::string_view hint = kRowHint) {
      return spec_error(
          fmt::format("empirical file '{}' line {}: {}", quote(path), line_number, std::move(what)),
          std::string(hint));
    };
    const auto cell_error = [&](std::size_t column, std::string what) {
      return spec_error(fmt::format("empirical file '{}' line {}, {}: {}", quote(path), line_number,
                                    column_label(column, header), std::move(what)),
                        std::string(kCellHint));
    };
    if (first_content_line) {
      first_content_line = false;
      // A header: legacy, when the first field is not a number; with columns, when any is not.
      bool is_header = !parse_number(strip_quotes(fields[0]));
      for (std::size_t c = 1; columns && c < fields.size(); ++c) {
        is_header = is_header || !parse_number(strip_quotes(fields[c]));
      }
      if (is_header) {
        for (auto f : fields) header.emplace_back(strip_quotes(f));
      }
      if (columns || !by.empty()) {
        const std::vector<std::string> names = header;
        if (columns) {
          auto c = resolve_column(source.column, "column=", names, path);
          if (!c) return tl::unexpected(c.error());
          value_column = *c;
          if (weighted) {
            auto w = resolve_column(source.weight, "weight=", names, path);
            if (!w) return tl::unexpected(w.error());
            weight_column = *w;
          }
        }
        if (!by.empty()) {
          auto b = resolve_column(by, "--by", names, path);
          if (!b) return tl::unexpected(b.error());
          by_column = *b;
        }
      }
      if (is_header) continue;
    }

    const auto cell = [&](std::size_t column, std::string_view what) -> Expected<double> {
      if (column >= fields.size()) {
        return row_error(fmt::format("{} fields, {} ({}) is missing", fields.size(),
                                     column_label(column, header), what),
                         kColumnHint);
      }
      const std::string_view field = strip_quotes(fields[column]);
      const std::optional<double> number = parse_number(field);
      if (!number) {
        if (columns) {
          return cell_error(column,
                            fmt::format("'{}' {}", quote(field, 40), number_problem(field)));
        }
        return row_error(fmt::format("{}'{}' {}", what == "value" ? "" : "weight ",
                                     quote(field, 40), number_problem(field)));
      }
      if (!std::isfinite(*number) || *number < 0) {
        const std::string problem =
            fmt::format("{} {} is {}", what, format_number(*number),
                        what == "value" ? "not a finite number >= 0" : "negative or not finite");
        return columns ? cell_error(column, problem) : row_error(problem);
      }
      return *number;
    };
    if (!columns && fields.size() > 2) {
      std::string names;
      for (const auto& h : header) names += (names.empty() ? "" : ", ") + quote(h, 40);
      // The example names the last column holding a number on this line (else the last one).
      std::size_t example = header.empty() ? 0 : header.size() - 1;
      for (std::size_t c = std::min(fields.size(), header.size()); c-- > 0;) {
        if (parse_number(strip_quotes(fields[c]))) {
          example = c;
          break;
        }
      }
      return row_error(fmt::format(
          "{} fields in '{}', expected value or value,weight{}", fields.size(), quote(line, 40),
          header.empty() ? std::string()
                         : fmt::format("; name the column of values, e.g. "
                                       "empirical({}, column={}) (columns: {})",
                                       quote(path), quote(header[example], 40), names)));
    }
    auto value = cell(value_column, "value");
    if (!value) return tl::unexpected(value.error());
    double weight = 1.0;
    if (weighted || (!columns && fields.size() == 2)) {
      auto w = cell(weight_column, "weight");
      if (!w) return tl::unexpected(w.error());
      weight = *w;
    }
    if (!by.empty()) {
      if (by_column >= fields.size()) {
        return row_error(fmt::format("{} fields, {} (--by) is missing", fields.size(),
                                     column_label(by_column, header)),
                         kColumnHint);
      }
      const std::string key(strip_quotes(fields[by_column]));
      const auto [it, added] = class_index.try_emplace(key, rows.classes.size());
      if (added) rows.classes.push_back(key);
      rows.class_of.push_back(it->second);
    }
    rows.values.push_back(*value);
    rows.weights.push_back(weight);
  }
  if (rows.values.empty()) {
    return spec_error(fmt::format("empirical file '{}' has no data rows", quote(path)),
                      "write one observed value per line, optionally value,weight");
  }
  return rows;
}

Expected<DistributionPtr> empirical_distribution(std::vector<double> values,
                                                 std::vector<double> weights,
                                                 const std::string& path, std::string spec) {
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
  return std::make_shared<const DiscreteDistribution>(std::move(*types), std::move(spec));
}

Expected<DistributionPtr> make_empirical(std::string_view arguments, std::string_view input) {
  auto source = parse_empirical_arguments(arguments, input);
  if (!source) return tl::unexpected(source.error());
  auto rows = read_empirical_rows(*source, {});
  if (!rows) return tl::unexpected(rows.error());
  return empirical_distribution(std::move(rows->values), std::move(rows->weights), source->path,
                                fmt::format("empirical({})", source->argument));
}

}  // namespace dia::detail
