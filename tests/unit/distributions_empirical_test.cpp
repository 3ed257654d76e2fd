// empirical(path): CSV files of observed values, written here to a temporary directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dia/distribution.hpp"

namespace {

namespace fs = std::filesystem;
using dia::ErrorCode;

class DistributionsEmpirical : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("dia_empirical_test_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  // Writes `content` to a file in the test's directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const fs::path path = directory_ / name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path.string();
  }

  static dia::Expected<dia::DistributionPtr> parse_file(const std::string& path) {
    return dia::parse_distribution("empirical(" + path + ")");
  }

  // The error for a file with `content`, which must be rejected.
  dia::Error error_for(const std::string& content) const {
    const auto d = parse_file(write("bad.csv", content));
    EXPECT_FALSE(d.has_value()) << "accepted: " << content;
    if (d) return {};
    EXPECT_EQ(d.error().message.find('\n'), std::string::npos) << d.error().message;
    EXPECT_FALSE(d.error().hint.empty());
    return d.error();
  }

  fs::path directory_;
};

TEST_F(DistributionsEmpirical, EachValueIsAnAtomAndRepeatsMerge) {
  const std::string path = write("values.csv", "1\n2\n2\n3.5\n");
  const auto d = parse_file(path);
  ASSERT_TRUE(d.has_value()) << d.error().line();
  ASSERT_TRUE((*d)->is_discrete());
  const dia::DiscreteTypes& atoms = (*d)->atoms();
  ASSERT_EQ(atoms.size(), 3u);
  EXPECT_EQ(atoms.values[0], 1);
  EXPECT_EQ(atoms.values[1], 2);
  EXPECT_EQ(atoms.values[2], 3.5);
  EXPECT_DOUBLE_EQ(atoms.probabilities[0], 0.25);
  EXPECT_DOUBLE_EQ(atoms.probabilities[1], 0.5);
  EXPECT_DOUBLE_EQ(atoms.probabilities[2], 0.25);
  EXPECT_DOUBLE_EQ((*d)->mean(), (1 + 2 + 2 + 3.5) / 4);
  EXPECT_EQ((*d)->spec(), "empirical(" + path + ")");
  // The echo parses back to the same distribution.
  const auto again = dia::parse_distribution((*d)->spec());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)->spec(), (*d)->spec());
  EXPECT_EQ((*again)->atoms().values, atoms.values);
}

TEST_F(DistributionsEmpirical, SecondColumnIsAWeight) {
  const auto d = parse_file(write("weighted.csv", "1,1\n2,3\n4,0\n"));
  ASSERT_TRUE(d.has_value()) << d.error().line();
  const dia::DiscreteTypes& atoms = (*d)->atoms();
  ASSERT_EQ(atoms.size(), 2u);  // the zero-weight row is dropped
  EXPECT_DOUBLE_EQ(atoms.probabilities[0], 0.25);
  EXPECT_DOUBLE_EQ(atoms.probabilities[1], 0.75);
  EXPECT_DOUBLE_EQ((*d)->mean(), 1.75);
}

TEST_F(DistributionsEmpirical, HeaderBlankLinesCrlfAndSpacesAreTolerated) {
  const auto d =
      parse_file(write("header.csv", "value, weight\r\n\r\n 1 , 2\r\n\n2,2\r\n  \n\"3\",\"4\"\n"));
  ASSERT_TRUE(d.has_value()) << d.error().line();
  const dia::DiscreteTypes& atoms = (*d)->atoms();
  ASSERT_EQ(atoms.size(), 3u);
  EXPECT_DOUBLE_EQ(atoms.probabilities[0], 0.25);
  EXPECT_DOUBLE_EQ(atoms.probabilities[1], 0.25);
  EXPECT_DOUBLE_EQ(atoms.probabilities[2], 0.5);
}

TEST_F(DistributionsEmpirical, QuotedPathWithSpacesAndParentheses) {
  const std::string path = write("my values (2024).csv", "5\n");
  const auto d = dia::parse_distribution("empirical(\"" + path + "\")");
  ASSERT_TRUE(d.has_value()) << d.error().line();
  EXPECT_EQ((*d)->atoms().values, std::vector<double>{5});
  EXPECT_EQ((*d)->spec(), "empirical(\"" + path + "\")");
  EXPECT_TRUE(dia::parse_distribution((*d)->spec()).has_value());
}

TEST_F(DistributionsEmpirical, MixesWithDiscreteComponents) {
  const std::string path = write("values.csv", "1\n3\n");
  const auto d = dia::parse_distribution("mixture(0.5:empirical(" + path + "), 0.5:discrete(2:1))");
  ASSERT_TRUE(d.has_value()) << d.error().line();
  ASSERT_TRUE((*d)->is_discrete());
  EXPECT_EQ((*d)->atoms().values, (std::vector<double>{1, 2, 3}));
  EXPECT_DOUBLE_EQ((*d)->atoms().probabilities[1], 0.5);
}

TEST_F(DistributionsEmpirical, NonNumericFieldNamesTheLine) {
  const dia::Error e = error_for("1\n2\nabc\n4\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidSpec);
  EXPECT_NE(e.message.find("line 3"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'abc' is not a number"), std::string::npos) << e.message;
}

TEST_F(DistributionsEmpirical, AHeaderIsOnlyAllowedFirst) {
  const dia::Error e = error_for("1\nvalue\n");
  EXPECT_NE(e.message.find("line 2"), std::string::npos) << e.message;
}

TEST_F(DistributionsEmpirical, BadWeightsAndValues) {
  EXPECT_NE(error_for("1,-1\n").message.find("weight -1 is negative"), std::string::npos);
  EXPECT_NE(error_for("1,x\n").message.find("weight 'x' is not a number"), std::string::npos);
  EXPECT_NE(error_for("1,\n").message.find("weight '' is not a number"), std::string::npos);
  EXPECT_NE(error_for("2\n-1\n").message.find("line 2: value -1"), std::string::npos);
  EXPECT_NE(error_for("1\ninf\n").message.find("value inf"), std::string::npos);
  EXPECT_NE(error_for("1,1,1\n").message.find("3 fields"), std::string::npos);
  EXPECT_NE(error_for("1,0\n2,0\n").message.find("weights sum to 0"), std::string::npos);
}

TEST_F(DistributionsEmpirical, EmptyFilesAndFilesWithoutData) {
  EXPECT_NE(error_for("").message.find("is empty"), std::string::npos);
  EXPECT_NE(error_for("\n  \n\n").message.find("is empty"), std::string::npos);
  EXPECT_NE(error_for("value\n").message.find("no data rows"), std::string::npos);
  EXPECT_NE(error_for("value,weight\n\n").message.find("no data rows"), std::string::npos);
}

TEST_F(DistributionsEmpirical, MissingFilesAndDirectoriesAreIoErrors) {
  const auto missing = parse_file((directory_ / "missing.csv").string());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_NE(missing.error().message.find("missing.csv"), std::string::npos);
  EXPECT_FALSE(missing.error().hint.empty());

  const auto directory = parse_file(directory_.string());
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
  EXPECT_NE(directory.error().message.find("directory"), std::string::npos);
}

TEST_F(DistributionsEmpirical, UnreadableFileIsAnIoError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files regardless of their permissions";
  const std::string path = write("locked.csv", "1\n");
  fs::permissions(path, fs::perms::none);
  const auto d = parse_file(path);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kIo);
}

TEST_F(DistributionsEmpirical, ManyRowsAreFast) {
  std::string content;
  for (int i = 0; i < 200000; ++i) content += std::to_string(i % 1000) + "\n";
  const auto d = parse_file(write("large.csv", content));
  ASSERT_TRUE(d.has_value()) << d.error().line();
  EXPECT_EQ((*d)->atoms().size(), 1000u);
  EXPECT_NEAR((*d)->mean(), 499.5, 1e-9);
}

// SpecFiles::kRefuse reads no file, even a readable one, even nested in a mixture; kInline reads
// it and gives a SPEC that needs no file; parse_stored_spec rebuilds an old file SPEC from the
// atoms and probabilities a stored design lists.
TEST_F(DistributionsEmpirical, FilesCanBeRefusedOrInlined) {
  const std::string path = write("values.csv", "1\n2\n2\n3.5\n");
  for (const std::string spec :
       {"empirical(" + path + ")", "empirical(\"" + path + "\")",
        "mixture(0.5:discrete(9:1), 0.5:empirical(" + path + "))",
        std::string("mixture(0.5:mixture(1:empirical(/etc/passwd)), 0.5:discrete(1:1))")}) {
    const auto refused = dia::parse_distribution(spec, dia::SpecFiles::kRefuse);
    ASSERT_FALSE(refused.has_value()) << spec;
    EXPECT_EQ(refused.error().code, ErrorCode::kFileNotAllowed) << spec;
    EXPECT_EQ(refused.error().message.find(path), std::string::npos);
    EXPECT_NE(refused.error().hint.find("discrete("), std::string::npos);
  }
  const auto inlined = dia::parse_distribution("empirical(" + path + ")", dia::SpecFiles::kInline);
  ASSERT_TRUE(inlined.has_value()) << inlined.error().line();
  EXPECT_EQ((*inlined)->spec(), "discrete(1:0.25, 2:0.5, 3.5:0.25)");
  const auto mixed = dia::parse_distribution(
      "mixture(0.5:discrete(9:1), 0.5:empirical(" + path + "))", dia::SpecFiles::kInline);
  ASSERT_TRUE(mixed.has_value()) << mixed.error().line();
  EXPECT_EQ((*mixed)->spec(), "mixture(0.5:discrete(9:1), 0.5:discrete(1:0.25, 2:0.5, 3.5:0.25))");
  // Without probabilities an old file SPEC cannot be rebuilt; with them it is, unread.
  const auto none = dia::parse_stored_spec("empirical(/nonexistent/v.csv)", {{1, 2}, {}});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kFileNotAllowed);
  const auto rebuilt =
      dia::parse_stored_spec("empirical(/nonexistent/v.csv)", {{1, 2}, {0.25, 0.75}});
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error().line();
  EXPECT_EQ((*rebuilt)->spec(), "discrete(1:0.25, 2:0.75)");
  const auto plain = dia::parse_stored_spec("uniform(0, 1)", {{1, 2}, {0.25, 0.75}});
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ((*plain)->spec(), dia::parse_distribution("uniform(0,1)").value()->spec());
}

}  // namespace
