// The text of a committed input under tests/data (DIA_TEST_DATA), for tests that feed it to dia.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace dia::testing {

inline std::string read_test_data(const std::string& name) {
  std::ifstream in(std::string(DIA_TEST_DATA) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace dia::testing
