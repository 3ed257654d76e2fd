// Every malformed input gives exit code 2, exactly one line on stderr saying what is wrong and
// how to fix it, and nothing on stdout.
#include <gtest/gtest.h>

#include <fstream>

#include "support/run_cli.hpp"

namespace {

using dia::testing::expect_clean_rejection;
using dia::testing::run_cli;

class MalformedSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedSpec, IsRejectedWithOneLine) {
  expect_clean_rejection({"design", "--values", GetParam()});
  expect_clean_rejection({"design", "--values", GetParam(), "--format", "json"});
}

INSTANTIATE_TEST_SUITE_P(
    Specs, MalformedSpec,
    ::testing::Values("", "normal(0,1)", "uniform(0)", "uniform(0,1,2)", "uniform(2,1)",
                      "uniform(1,1)", "uniform(-1,1)", "uniform(a,1)", "uniform(0,nan)",
                      "uniform(0,1", "uniform(0,1))", "uniform(0,1)x", "exponential(0)",
                      "exponential(-2)", "exponential(mean=-1)", "exponential(speed=1)",
                      "lognormal(0,0)", "beta(0,1)", "beta(1)", "pareto(1,1)", "pareto(1,0.5)",
                      "pareto(0,2)", "truncnormal(0,1,2,1)", "truncnormal(0,-1,0,1)",
                      "discrete(1:0.5,2:0.4)", "discrete(1:-0.5,2:1.5)", "discrete(-1:1)",
                      "discrete(1:0.5,2)", "discrete()", "discrete(1:nan)",
                      "mixture(0.5:uniform(0,1),0.6:uniform(1,2))",
                      "mixture(0.5:uniform(0,1),0.5:discrete(1:1))", "mixture(1:unknown(1))",
                      "empirical(/nonexistent/file.csv)", "empirical()", "pareto(1e307,1.5)"));

TEST(BadInput, EmpiricalFiles) {
  const std::string empty = ::testing::TempDir() + "dia_empty.csv";
  std::ofstream(empty).close();
  expect_clean_rejection({"design", "--values", "empirical(" + empty + ")"});
  const std::string text = ::testing::TempDir() + "dia_text.csv";
  std::ofstream(text) << "1.5\n2.5\nabc\n";
  expect_clean_rejection({"design", "--values", "empirical(" + text + ")"});
  const std::string negative = ::testing::TempDir() + "dia_negative.csv";
  std::ofstream(negative) << "1.5\n-2\n";
  expect_clean_rejection({"design", "--values", "empirical(" + negative + ")"});
  const std::string nan = ::testing::TempDir() + "dia_nan.csv";
  std::ofstream(nan) << "1.5\nnan\n";
  expect_clean_rejection({"design", "--values", "empirical(" + nan + ")"});
}

TEST(BadInput, Options) {
  expect_clean_rejection({"design", "--bidders", "0"});
  expect_clean_rejection({"design", "--bidders", "two"});
  expect_clean_rejection({"design", "--bidders", "51"});
  expect_clean_rejection({"design", "--grid", "1"});
  expect_clean_rejection({"design", "--grid", "-5"});
  expect_clean_rejection({"design", "--rows", "0"});
  expect_clean_rejection({"design", "--format", "xml"});
  expect_clean_rejection({"design", "--check", "simplex"});
  expect_clean_rejection({"design", "--no-such-flag"});
  expect_clean_rejection({"frobnicate"});
  expect_clean_rejection(
      {"design", "--values", "exponential(1)", "--check", "lp", "--grid", "5000"});
}

}  // namespace
