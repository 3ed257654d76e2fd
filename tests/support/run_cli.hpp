// Runs the real dia binary for golden tests: captures stdout, stderr and the exit code.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace dia::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// `args` are passed through the shell one by one, quoted.
inline CliRun run_cli(const std::vector<std::string>& args) {
  static int counter = 0;
  const std::string err_path =
      "/tmp/dia_golden_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".err";
  std::string command = DIA_CLI_PATH;
  for (const auto& a : args) command.append(" ").append(shell_quote(a));
  command.append(" 2>").append(err_path).append(" </dev/null");
  CliRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  std::array<char, 65536> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  std::stringstream ss;
  ss << err.rdbuf();
  run.err = ss.str();
  std::remove(err_path.c_str());
  return run;
}

inline CliRun run_cli(std::initializer_list<std::string> args) {
  return run_cli(std::vector<std::string>(args));
}

// Bad input: exit code 2, nothing on stdout, and exactly one line "dia: error: ..." on stderr.
inline void expect_clean_rejection(const std::vector<std::string>& args) {
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  const auto run = run_cli(args);
  EXPECT_EQ(run.exit_code, 2) << shown << "\nstderr: " << run.err;
  EXPECT_TRUE(run.out.empty()) << shown << "\nstdout: " << run.out;
  ASSERT_FALSE(run.err.empty()) << shown;
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << shown << "\nnot one line: " << run.err;
  EXPECT_EQ(run.err.rfind("dia: error: ", 0), 0u) << run.err;
}

}  // namespace dia::testing
