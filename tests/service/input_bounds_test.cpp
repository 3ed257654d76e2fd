// Bounds checked where a request's numbers enter the house (found by the fuzzers, fuzz/): each
// input here once crashed or hung the server and is now a 400.
#include <gtest/gtest.h>

#include "service/house.hpp"

namespace dia::testing {
namespace {

using service::BadInput;
using service::json;

std::string code_of(const BadInput& e) { return e.reply.body.at("error").at("code"); }

// POST /v1/designs {"values": "uniform(0,1)", "bidders": 2, "reduced_form": {"values": [0.5,
// 1e300], "allocation": [0, 0.5]}}: a valid rule (X = 0.5 <= the chance 1 of being highest at
// 1e300), but 1e300 units is no amount in micros: the bid floor's conversion overflowed (UBSan:
// "1e+306 is outside the range of representable values of type 'long'"; without it, a loop of
// ~10^18 steps in the request).
TEST(InputBounds, ReducedFormValueBeyondAnyBidIsRefused) {
  service::PreparedDesign design;
  design.spec = "uniform(0,1)";
  design.bidders = 2;
  try {
    service::build_rule(design, json{{"values", {0.5, 1e300}}, {"allocation", {0.0, 0.5}}});
    FAIL() << "a grid value of 1e300 units was accepted";
  } catch (const BadInput& e) {
    EXPECT_EQ(e.reply.status, 400);
    EXPECT_EQ(code_of(e), "invalid_reduced_form");
  }
  // The bound is 2^62 micros (the house's funding cap): just inside is a design, just outside not.
  const double cap = 4611686018427.387904;
  EXPECT_NO_THROW(service::build_rule(
      design, json{{"values", {0.5, cap * (1 - 1e-15)}}, {"allocation", {0.0, 0.5}}}));
  EXPECT_THROW(
      service::build_rule(design, json{{"values", {-cap * 1.01, 0.5}}, {"allocation", {0.0, 0.5}}}),
      BadInput);
}

// The same value in a saved design with bidder classes.
TEST(InputBounds, ClassReducedFormValueBeyondAnyBidIsRefused) {
  const json classes{
      {"classes",
       {{{"values", "discrete(1e300:1)"},
         {"count", 2},
         {"reduced_form",
          {{"values", {1e300}}, {"allocation", {0.5}}, {"probabilities", {1.0}}}}}}}};
  service::PreparedDesign design;
  try {
    service::build_class_rule(design, classes);
    FAIL() << "a class grid value of 1e300 units was accepted";
  } catch (const BadInput& e) {
    EXPECT_EQ(e.reply.status, 400);
    EXPECT_EQ(code_of(e), "invalid_reduced_form");
    EXPECT_NE(e.reply.body.at("error").at("message").get<std::string>().find("classes[0]"),
              std::string::npos)
        << e.reply.body;
  }
}

}  // namespace
}  // namespace dia::testing
