// A file with the given content in gtest's temporary directory, for tests that feed the CLI a file.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace dia::testing {

inline std::string write_temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << content;
  return path;
}

}  // namespace dia::testing
