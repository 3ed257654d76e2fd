// The empirical(...) SPEC on a file's content (the CLI reads a client's CSV file): the first line
// of an input is the options after the path (e.g. "column=bid, weight=n"), the second the --by
// column (empty: none), the rest the file. It answers a distribution (or, with --by, its
// classes) or an error, never crashes, and what it answers can be used.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "dia/distribution.hpp"
#include "dia/empirical.hpp"
#include "distribution_checks.hpp"

namespace {

// The file the inputs are written to, one per process, removed at exit.
struct Scratch {
  Scratch() {
    const std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    path = (base / ("dia-empirical-fuzz-" + std::to_string(getpid()) + ".csv")).string();
  }
  ~Scratch() { std::filesystem::remove(path); }
  std::string path;
};

std::string_view next_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Scratch scratch;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view options = next_line(input);
  const std::string_view by = next_line(input);
  if (options.find_first_of("()") != std::string_view::npos) return 0;  // the SPEC's own syntax
  std::FILE* file = std::fopen(scratch.path.c_str(), "wb");
  DIA_CHECK(file != nullptr);
  DIA_CHECK(std::fwrite(input.data(), 1, input.size(), file) == input.size());
  DIA_CHECK(std::fclose(file) == 0);
  const std::string spec =
      "empirical(" + scratch.path + (options.empty() ? "" : ", ") + std::string(options) + ")";
  if (const auto d = dia::parse_distribution(spec, dia::SpecFiles::kRead)) {
    DIA_CHECK((*d)->is_discrete());
    dia::fuzz::check_usable(**d);
  } else {
    DIA_CHECK(!d.error().message.empty());
  }
  if (!by.empty()) {
    if (const auto classes = dia::empirical_classes(spec, by)) {
      DIA_CHECK(!classes->empty());
      for (const auto& c : *classes) {
        DIA_CHECK(c.observations > 0);
        DIA_CHECK(c.distribution->is_discrete());
        dia::fuzz::check_usable(*c.distribution);
      }
    } else {
      DIA_CHECK(!classes.error().message.empty());
    }
  }
  return 0;
}
