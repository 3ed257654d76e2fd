// The SPEC grammar (docs/spec.md): accepted forms, the normalised echo, and every rejection.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "dia/distribution.hpp"

namespace {

using dia::ErrorCode;

std::string spec_of(const std::string& input) {
  const auto d = dia::parse_distribution(input);
  EXPECT_TRUE(d.has_value()) << input << ": " << (d ? std::string() : d.error().line());
  return d ? (*d)->spec() : std::string();
}

TEST(DistributionsSpec, NormalisedEchoNamesEveryParameter) {
  EXPECT_EQ(spec_of("uniform(0,1)"), "uniform(low=0, high=1)");
  EXPECT_EQ(spec_of("  uniform ( low = 1 ,high=2 ) "), "uniform(low=1, high=2)");
  EXPECT_EQ(spec_of("uniform(a=1, b=2.5)"), "uniform(low=1, high=2.5)");
  EXPECT_EQ(spec_of("uniform(0, high=3)"), "uniform(low=0, high=3)");
  EXPECT_EQ(spec_of("exponential(0.5)"), "exponential(rate=0.5)");
  EXPECT_EQ(spec_of("exponential(rate=2)"), "exponential(rate=2)");
  EXPECT_EQ(spec_of("exponential(mean=2)"), "exponential(rate=0.5)");
  EXPECT_EQ(spec_of("exponential(scale=4)"), "exponential(rate=0.25)");
  EXPECT_EQ(spec_of("lognormal(0,1)"), "lognormal(mu=0, sigma=1)");
  EXPECT_EQ(spec_of("lognormal(sigma=0.5, mu=-1)"), "lognormal(mu=-1, sigma=0.5)");
  EXPECT_EQ(spec_of("beta(2,3)"), "beta(a=2, b=3)");
  EXPECT_EQ(spec_of("beta(alpha=2, beta=3)"), "beta(a=2, b=3)");
  EXPECT_EQ(spec_of("pareto(1,3)"), "pareto(scale=1, shape=3)");
  EXPECT_EQ(spec_of("pareto(xm=2, alpha=2.5)"), "pareto(scale=2, shape=2.5)");
  EXPECT_EQ(spec_of("truncnormal(0,1,0,inf)"), "truncnormal(mu=0, sigma=1, lo=0, hi=inf)");
  EXPECT_EQ(spec_of("truncnormal(mu=1, sigma=2, low=0.5, high=3)"),
            "truncnormal(mu=1, sigma=2, lo=0.5, hi=3)");
  EXPECT_EQ(spec_of("discrete(1:0.5,2:0.3,3:0.2)"), "discrete(1:0.5, 2:0.3, 3:0.2)");
  EXPECT_EQ(spec_of("discrete(3:0.2, 1:0.25, 2:0.3, 1:0.25)"), "discrete(1:0.5, 2:0.3, 3:0.2)");
  EXPECT_EQ(spec_of("discrete(1:0.5, 2:0, 3:0.5)"), "discrete(1:0.5, 3:0.5)");
  EXPECT_EQ(spec_of("mixture(0.5:uniform(0,1),0.5:uniform(2,3))"),
            "mixture(0.5:uniform(low=0, high=1), 0.5:uniform(low=2, high=3))");
  EXPECT_EQ(spec_of("UNIFORM(0, 1)"), "uniform(low=0, high=1)");
  EXPECT_EQ(spec_of("uniform(\n0,\t1\n)"), "uniform(low=0, high=1)");
  EXPECT_EQ(spec_of("uniform(+1, 1e1)"), "uniform(low=1, high=10)");
  EXPECT_EQ(spec_of("uniform(0.1, 0.30000000000000004)"),
            "uniform(low=0.1, high=0.30000000000000004)");
}

TEST(DistributionsSpec, EchoRoundTrips) {
  for (const std::string input :
       {"uniform(0,1)",
        "uniform(0.1, 0.7)",
        "exponential(mean=3)",
        "exponential(0.1)",
        "lognormal(0.3, 0.7)",
        "beta(0.5, 0.5)",
        "pareto(1.5, 2.25)",
        "truncnormal(-1,2,0,inf)",
        "truncnormal(1, 0.1, 0.5, 1.5)",
        "discrete(1:0.1, 2:0.2, 3:0.7)",
        "discrete(0:0.3333333333333333, 1:0.3333333333333333, 2:0.3333333333333334)",
        "discrete(1:0.5, 2:0.5000000001)",
        "mixture(0.3:uniform(0,1), 0.7:exponential(2))",
        "mixture(0.1:discrete(1:1), 0.9:discrete(1:0.5, 2:0.5))",
        "mixture(0.25:mixture(0.5:uniform(0,1), 0.5:beta(2,2)), 0.75:pareto(1,3))",
        "mixture(0.2:uniform(0,1), 0.3:uniform(1,2), 0.5:lognormal(0,1))",
        "exponential(rate=0.5, low=1)",
        "beta(a=2, b=5, low=1, high=3)",
        "gamma(2, 3)",
        "weibull(1.5, 2)",
        "expon(loc=0.1, scale=0.7)",
        "truncnorm(a=-1, b=2, loc=1, scale=0.3)",
        "lognorm(0.5, scale=3)"}) {
    const std::string once = spec_of(input);
    ASSERT_FALSE(once.empty()) << input;
    EXPECT_EQ(spec_of(once), once) << input;
  }
}

TEST(DistributionsSpec, NumbersPrintInTheirShortestRoundTripForm) {
  const auto d = dia::parse_distribution("uniform(0, 0.1)");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ((*d)->spec(), "uniform(low=0, high=0.1)");
  const auto third = dia::parse_distribution("exponential(mean=3)");
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ((*third)->spec(), "exponential(rate=0.3333333333333333)");
  EXPECT_DOUBLE_EQ((*third)->mean(), 3.0);
}

struct BadSpec {
  std::string input;
  std::string message_part;  // a piece the message must contain
};

class RejectedSpec : public ::testing::TestWithParam<BadSpec> {};

TEST_P(RejectedSpec, IsAOneLineErrorWithAHint) {
  const BadSpec& bad = GetParam();
  const auto d = dia::parse_distribution(bad.input);
  ASSERT_FALSE(d.has_value()) << bad.input << " was accepted as " << (*d)->spec();
  const dia::Error& e = d.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidSpec) << e.message;
  EXPECT_NE(e.message.find(bad.message_part), std::string::npos)
      << "message: " << e.message << "\nexpected to contain: " << bad.message_part;
  EXPECT_EQ(e.message.find('\n'), std::string::npos) << e.message;
  EXPECT_EQ(e.hint.find('\n'), std::string::npos) << e.hint;
  EXPECT_FALSE(e.hint.empty()) << e.message;
  EXPECT_LE(e.message.size(), 300u) << e.message;
}

std::string deep_mixture(int depth) {
  std::string spec = "uniform(0,1)";
  for (int i = 0; i < depth; ++i) spec = "mixture(1:" + spec + ")";
  return spec;
}

INSTANTIATE_TEST_SUITE_P(
    Distributions, RejectedSpec,
    ::testing::Values(
        // structure
        BadSpec{"", "empty SPEC"}, BadSpec{"   \n ", "empty SPEC"},
        BadSpec{"unifrom(0,1)", "unknown distribution 'unifrom'"},
        BadSpec{"normal(0,1)", "unknown distribution 'normal'"},
        BadSpec{"uniform", "needs its parameters in parentheses"},
        BadSpec{"uniform 0 1", "needs its parameters in parentheses"},
        BadSpec{"(uniform(0,1))", "expected a distribution name"},
        BadSpec{"3", "expected a distribution name"},
        BadSpec{"uniform(0,1", "unbalanced parentheses"},
        BadSpec{"uniform((0,1)", "unbalanced parentheses"},
        BadSpec{"uniform(0,1))", "unbalanced parentheses"},
        BadSpec{"uniform(0,1) uniform(2,3)", "unexpected text"},
        BadSpec{"uniform(0,1)x", "unexpected text 'x'"},
        BadSpec{deep_mixture(40), "nested deeper than 32"},
        // arity and parameter names
        BadSpec{"uniform(0,1,2)", "uniform takes 2 parameters (low, high), got 3"},
        BadSpec{"uniform(0)", "uniform takes 2 parameters"},
        BadSpec{"uniform()", "uniform takes 2 parameters"},
        BadSpec{"exponential()", "exponential takes 1 to 2 parameters (rate, low=0)"},
        BadSpec{"truncnormal(0,1,0)", "truncnormal takes 4 parameters"},
        BadSpec{"uniform(low=0, hgh=1)", "unknown parameter 'hgh' for uniform"},
        // scipy.stats names
        BadSpec{"normal(0,1)", "unknown distribution 'normal'"},
        BadSpec{"uniform(loc=1, scale=0)", "needs scale > 0"},
        BadSpec{"uniform(loc=-1, scale=2)", "needs low >= 0"},
        BadSpec{"expon(loc=-1)", "needs low >= 0"}, BadSpec{"expon(scale=0)", "needs scale > 0"},
        BadSpec{"lognorm(1, loc=1)", "shifted lognorm"},
        BadSpec{"gamma(2, loc=1)", "shifted gamma"},
        BadSpec{"weibull_min(c=0.001)", "weibull needs shape >= 0.01"},
        BadSpec{"pareto(3)", "pareto takes 2 parameters"},
        BadSpec{"pareto(b=1)", "needs shape > 1"}, BadSpec{"truncnorm(a=-1, b=1)", "needs lo >= 0"},
        BadSpec{"beta(2, 5, loc=1, scale=-1)", "needs scale > 0"},
        BadSpec{"beta(2, 5, low=2, high=1)", "needs low < high"},
        BadSpec{"gamma(0)", "needs shape > 0"}, BadSpec{"weibull(2, -1)", "needs scale > 0"},
        BadSpec{"exponential(lambda=1)", "unknown parameter 'lambda'"},
        BadSpec{"uniform(0, low=1)", "given twice"},
        BadSpec{"exponential(rate=1, mean=1)", "given twice"},
        BadSpec{"beta(a=1, alpha=2)", "given twice"},
        BadSpec{"uniform(low=0, 1)", "positional parameter '1' after named ones"},
        BadSpec{"uniform(0,,1)", "uniform takes 2 parameters"},
        BadSpec{"uniform(0, )", "empty parameter"},
        // numbers
        BadSpec{"uniform(0, abc)", "'abc' is not a number"},
        BadSpec{"uniform(0, 1x)", "'1x' is not a number"},
        BadSpec{"uniform(0, 0x10)", "is not a number"},
        BadSpec{"uniform(0, 1e999)", "out of range (finite doubles only)"},
        BadSpec{"uniform(0, --1)", "is not a number"},
        BadSpec{"uniform(nan, 1)", "needs a finite low"},
        BadSpec{"uniform(0, inf)", "needs a finite high"},
        BadSpec{"exponential(inf)", "needs a finite rate"},
        BadSpec{"lognormal(nan, 1)", "needs a finite mu"},
        BadSpec{"truncnormal(0, 1, 0, nan)", "hi=nan"},
        BadSpec{"truncnormal(0, 1, inf, inf)", "needs a finite lo"},
        // values and parameter ranges
        BadSpec{"uniform(-1, 1)", "needs low >= 0"},
        BadSpec{"uniform(2,1)", "uniform(a,b) needs a < b, got uniform(2,1)"},
        BadSpec{"uniform(1,1)", "needs a < b"}, BadSpec{"exponential(0)", "needs rate > 0"},
        BadSpec{"exponential(-2)", "needs rate > 0"},
        BadSpec{"exponential(mean=0)", "needs mean > 0"},
        BadSpec{"exponential(scale=-1)", "needs scale > 0"},
        BadSpec{"lognormal(0, 0)", "needs sigma > 0"},
        BadSpec{"lognormal(0, -1)", "needs sigma > 0"}, BadSpec{"lognormal(600, 20)", "overflows"},
        BadSpec{"beta(0, 1)", "needs a > 0"}, BadSpec{"beta(1, -2)", "needs b > 0"},
        BadSpec{"beta(2.1e57, 3)", "a, b <= 1e12"},  // found by fuzz/spec_fuzzer
        BadSpec{"pareto(0, 2)", "needs scale > 0"}, BadSpec{"pareto(1, 1)", "needs shape > 1"},
        BadSpec{"pareto(1, 0.5)", "needs shape > 1"},
        BadSpec{"truncnormal(0, 0, 0, 1)", "needs sigma > 0"},
        BadSpec{"truncnormal(0, 1, -1, inf)", "needs lo >= 0"},
        BadSpec{"truncnormal(0, 1, 2, 1)", "needs lo < hi"},
        BadSpec{"truncnormal(0, 1, 1, 1)", "needs lo < hi"},
        BadSpec{"truncnormal(0, 1, 0, -inf)", "needs lo < hi"},
        BadSpec{"truncnormal(-100, 1, 0, inf)", "below 1e-280"},
        // discrete
        BadSpec{"discrete()", "at least one value:probability"},
        BadSpec{"discrete(1:0.5, 2:-0.5, 3:1)", "discrete probability -0.5 of value 2"},
        BadSpec{"discrete(1:0.5, 2:0.4)", "sum to 0.9, not 1"},
        BadSpec{"discrete(1:0.5, 2:0.5000001)", "not 1"},
        BadSpec{"discrete(-1:1)", "discrete values must be finite and >= 0"},
        BadSpec{"discrete(inf:1)", "discrete values must be finite"},
        BadSpec{"discrete(1:0.5, 2)", "not of the form value:probability"},
        BadSpec{"discrete(1:0.5,, 2:0.5)", "not of the form value:probability"},
        BadSpec{"discrete(a:1)", "discrete value 'a' is not a number"},
        BadSpec{"discrete(1:half)", "discrete probability 'half' is not a number"},
        BadSpec{"discrete(1:nan)", "negative or not finite"},
        // mixture
        BadSpec{"mixture()", "at least one weight:SPEC"},
        BadSpec{"mixture(0.5:uniform(0,1), 0.6:uniform(2,3))", "weights sum to 1.1, not 1"},
        BadSpec{"mixture(0:uniform(0,1), 1:uniform(2,3))", "weights must be > 0"},
        BadSpec{"mixture(-0.5:uniform(0,1), 1.5:uniform(2,3))", "weights must be > 0"},
        BadSpec{"mixture(0.5:uniform(0,1), 0.5:discrete(1:1))",
                "mixes discrete and continuous components"},
        BadSpec{"mixture(uniform(0,1))", "not of the form weight:SPEC"},
        BadSpec{"mixture(x:uniform(0,1))", "mixture weight 'x' is not a number"},
        BadSpec{"mixture(1:foo(1))", "unknown distribution 'foo'"},
        BadSpec{"mixture(1:)", "empty SPEC inside a mixture"},
        BadSpec{"mixture(0.5:uniform(2,1), 0.5:uniform(0,1))", "needs a < b"},
        BadSpec{"mixture(1:uniform(0,1)", "unbalanced parentheses"},
        // empirical (content errors; see distributions_empirical_test.cpp for files)
        BadSpec{"empirical()", "needs a file path"},
        BadSpec{"empirical(\"\")", "needs a file path"},
        BadSpec{"empirical(\"unclosed.csv)", "unbalanced parentheses"}));

TEST(DistributionsSpec, MissingFileIsAnIoError) {
  const auto d = dia::parse_distribution("empirical(/nonexistent/dia/values.csv)");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kIo);
  EXPECT_NE(d.error().message.find("/nonexistent/dia/values.csv"), std::string::npos);
}

TEST(DistributionsSpec, MessagesQuoteMultiLineInputOnOneLine) {
  const auto d = dia::parse_distribution("uniform(2,\n1)");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().message, "uniform(a,b) needs a < b, got uniform(2, 1)");
  EXPECT_EQ(d.error().hint, "swap the bounds: uniform(1, 2)");
}

TEST(DistributionsSpec, UnknownNameHintListsTheKnownOnes) {
  const auto d = dia::parse_distribution("gama(1,2)");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().hint.find("did you mean gamma?"), std::string::npos) << d.error().hint;
  for (const char* name : {"uniform", "exponential", "lognormal", "beta", "pareto", "truncnormal",
                           "gamma", "weibull", "discrete", "mixture", "empirical", "norm",
                           "truncnorm", "lognorm", "expon", "weibull_min"}) {
    EXPECT_NE(d.error().hint.find(name), std::string::npos) << name;
  }
}

// scipy.stats' names with scipy's parameters, each echoed in dia's form; the numbers are worked
// out by hand from the densities (tests/python checks every alias against scipy itself).
TEST(DistributionsSpec, ScipyNamesReadWithScipysParameters) {
  EXPECT_EQ(spec_of("norm(loc=1, scale=0.5)"), "truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)");
  EXPECT_EQ(spec_of("norm()"), "truncnormal(mu=0, sigma=1, lo=0, hi=inf)");
  EXPECT_EQ(spec_of("truncnorm(-2, 2, loc=2, scale=1)"), "truncnormal(mu=2, sigma=1, lo=0, hi=4)");
  EXPECT_EQ(spec_of("truncnorm(a=0, b=inf, loc=1, scale=2)"),
            "truncnormal(mu=1, sigma=2, lo=1, hi=inf)");
  EXPECT_EQ(spec_of("lognorm(0.5)"), "lognormal(mu=0, sigma=0.5)");
  EXPECT_EQ(spec_of("expon()"), "exponential(rate=1)");
  EXPECT_EQ(spec_of("expon(scale=2)"), "exponential(rate=0.5)");
  EXPECT_EQ(spec_of("expon(loc=1, scale=2)"), "exponential(rate=0.5, low=1)");
  EXPECT_EQ(spec_of("uniform(loc=1, scale=2)"), "uniform(low=1, high=3)");
  EXPECT_EQ(spec_of("uniform(1, 2)"), "uniform(low=1, high=2)");  // positional: dia's reading
  EXPECT_EQ(spec_of("pareto(3, scale=2)"), "pareto(scale=2, shape=3)");
  EXPECT_EQ(spec_of("pareto(b=2.5)"), "pareto(scale=1, shape=2.5)");
  EXPECT_EQ(spec_of("pareto(1, 3)"), "pareto(scale=1, shape=3)");  // dia's (scale, shape)
  EXPECT_EQ(spec_of("gamma(2, scale=3)"), "gamma(shape=2, scale=3)");
  EXPECT_EQ(spec_of("gamma(a=2, loc=0, scale=3)"), "gamma(shape=2, scale=3)");
  EXPECT_EQ(spec_of("weibull_min(2, scale=3)"), "weibull(shape=2, scale=3)");
  EXPECT_EQ(spec_of("beta(2, 5, loc=1, scale=2)"), "beta(a=2, b=5, low=1, high=3)");
  EXPECT_EQ(spec_of("beta(2, 5, loc=0, scale=1)"), "beta(a=2, b=5)");

  const auto parse = [](const char* text) {
    auto d = dia::parse_distribution(text);
    EXPECT_TRUE(d.has_value()) << text;
    return *d;
  };
  const double e = std::exp(1.0);
  // expon(loc=1, scale=2) = 1 + Exp(mean 2): mean 3, P(V <= 3) = 1 - 1/e,
  // E[V ; V >= 3] = e^-1 (3 + 2).
  const auto expon = parse("expon(loc=1, scale=2)");
  EXPECT_DOUBLE_EQ(expon->mean(), 3.0);
  EXPECT_NEAR(expon->cdf(3.0), 1.0 - 1.0 / e, 1e-15);
  EXPECT_DOUBLE_EQ(expon->cdf(0.5), 0.0);
  EXPECT_NEAR(expon->quantile(1.0 - 1.0 / e), 3.0, 1e-14);
  EXPECT_NEAR(expon->partial_mean_above(3.0), 5.0 / e, 1e-14);
  // gamma(2, scale=3): mean 6, P(V <= 3) = 1 - 2/e, E[V ; V >= 3] = 6 Q(3, 1) = 6 * 5/(2e).
  const auto gamma = parse("gamma(2, scale=3)");
  EXPECT_DOUBLE_EQ(gamma->mean(), 6.0);
  EXPECT_NEAR(gamma->cdf(3.0), 1.0 - 2.0 / e, 1e-15);
  EXPECT_NEAR(gamma->partial_mean_above(3.0), 15.0 / e, 1e-13);
  EXPECT_NEAR(gamma->pdf(3.0), 3.0 / 9.0 / e, 1e-15);  // v e^{-v/3} / 9 at v = 3
  // weibull_min(2, scale=3): P(V > 3) = 1/e, mean 3 sqrt(pi)/2, quantile(1 - 1/e) = 3.
  const auto weibull = parse("weibull_min(2, scale=3)");
  EXPECT_NEAR(weibull->survival(3.0), 1.0 / e, 1e-15);
  EXPECT_NEAR(weibull->mean(), 1.5 * std::sqrt(std::acos(-1.0)), 1e-14);
  EXPECT_NEAR(weibull->quantile(1.0 - 1.0 / e), 3.0, 1e-13);
  // weibull(1, 1) is exponential(1): E[V ; V >= 2] = 3 / e^2.
  EXPECT_NEAR(parse("weibull(1, 1)")->partial_mean_above(2.0), 3.0 / (e * e), 1e-15);
  // beta(1, 1, loc=1, scale=2) is uniform on [1, 3]: E[V ; V >= 2] = (9 - 4) / 4.
  const auto stretched = parse("beta(1, 1, loc=1, scale=2)");
  EXPECT_NEAR(stretched->partial_mean_above(2.0), 1.25, 1e-15);
  EXPECT_NEAR(stretched->mean() - stretched->partial_mean_above(2.0), 0.75, 1e-15);
  EXPECT_NEAR(stretched->pdf(2.5), 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(stretched->upper(), 3.0);
  // lognorm(0.5, scale=2): ln V ~ N(ln 2, 0.25), mean 2 e^{1/8}, median 2.
  const auto lognorm = parse("lognorm(0.5, scale=2)");
  EXPECT_NEAR(lognorm->mean(), 2.0 * std::exp(0.125), 1e-14);
  EXPECT_NEAR(lognorm->quantile(0.5), 2.0, 1e-14);
}

TEST(DistributionsSpec, PositionalScipyCallsOfASharedNameReadDiasWay) {
  const auto d = dia::parse_distribution("pareto(3)");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().hint.find("pareto(b=3, scale=1)"), std::string::npos) << d.error().hint;
}

TEST(DistributionsSpec, DeepButAllowedNestingParses) {
  const auto d = dia::parse_distribution(deep_mixture(32));
  ASSERT_TRUE(d.has_value()) << d.error().line();
  EXPECT_DOUBLE_EQ((*d)->mean(), 0.5);
}

// Mutations of valid SPECs and pathological inputs: the parser returns, never crashes or hangs,
// and every error is one line.
TEST(DistributionsSpec, FuzzedInputNeverCrashes) {
  const std::vector<std::string> seeds = {
      "uniform(0,1)",
      "exponential(mean=2)",
      "lognormal(mu=0, sigma=1)",
      "beta(2,3)",
      "pareto(1,3)",
      "truncnormal(0,1,0,inf)",
      "discrete(1:0.5,2:0.3,3:0.2)",
      "mixture(0.5:uniform(0,1),0.5:mixture(0.5:beta(2,2),0.5:exponential(1)))"};
  const std::string alphabet = "()=:,.-+e0123456789 \n\t\"abcdefinx";
  std::mt19937 rng(20240611);
  std::size_t accepted = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text[at] = c;
          break;
      }
    }
    const auto d = dia::parse_distribution(text);
    if (d) {
      ++accepted;
      const auto again = dia::parse_distribution((*d)->spec());
      EXPECT_TRUE(again.has_value()) << text << " -> " << (*d)->spec();
    } else {
      EXPECT_EQ(d.error().message.find('\n'), std::string::npos) << text;
    }
  }
  EXPECT_GT(accepted, 0u);
  for (const std::string& text :
       {std::string(100000, '('), std::string(100000, ')'), "uniform" + std::string(50000, '('),
        "mixture(1:" + std::string(100000, '('), std::string(1000, '\0'),
        "discrete(" + std::string(100000, ',') + ")", std::string("uniform(\"0,1)")}) {
    const auto d = dia::parse_distribution(text);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().message.find('\n'), std::string::npos);
  }
}

}  // namespace
