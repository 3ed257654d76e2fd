// parse_distribution: the SPEC grammar of docs/spec.md.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "dia/distribution.hpp"
#include "distributions/discrete.hpp"
#include "distributions/empirical.hpp"
#include "distributions/mixture.hpp"
#include "distributions/spec_families.hpp"
#include "distributions/spec_text.hpp"

namespace dia {

namespace detail {

namespace {

constexpr int kMaxDepth = 32;
constexpr std::string_view kSpecHint = "see docs/spec.md for the SPEC grammar";

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Expected<DistributionPtr> parse_node(std::string_view text, int depth, SpecFiles files);

// discrete(v1:p1, v2:p2, ...)
Expected<DistributionPtr> parse_discrete(std::string_view arguments, std::string_view input) {
  const std::string example(example_spec("discrete"));
  if (trim(arguments).empty()) {
    return spec_error(
        fmt::format("discrete needs at least one value:probability pair, got {}", quote(input)),
        fmt::format("e.g. {}", example));
  }
  std::vector<double> values;
  std::vector<double> probabilities;
  for (std::string_view raw : split_top_level(arguments, ',')) {
    const std::string_view item = trim(raw);
    const std::size_t colon = item.find(':');
    if (item.empty() || colon == std::string_view::npos) {
      return spec_error(fmt::format("discrete item '{}' is not of the form value:probability in {}",
                                    quote(item, 30), quote(input)),
                        fmt::format("e.g. {}", example));
    }
    const std::string_view value_text = trim(item.substr(0, colon));
    const std::string_view probability_text = trim(item.substr(colon + 1));
    const std::optional<double> value = parse_number(value_text);
    if (!value) {
      return spec_error(fmt::format("discrete value '{}' {} in {}", quote(value_text, 30),
                                    number_problem(value_text), quote(input)),
                        fmt::format("e.g. {}", example));
    }
    const std::optional<double> probability = parse_number(probability_text);
    if (!probability) {
      return spec_error(
          fmt::format("discrete probability '{}' {} in {}", quote(probability_text, 30),
                      number_problem(probability_text), quote(input)),
          fmt::format("e.g. {}", example));
    }
    if (!std::isfinite(*value) || *value < 0) {
      return spec_error(fmt::format("discrete values must be finite and >= 0, got {} in {}",
                                    format_number(*value), quote(input)),
                        "values are bids and cannot be negative");
    }
    if (!std::isfinite(*probability) || *probability < 0) {
      return spec_error(
          fmt::format("discrete probability {} of value {} is negative or not finite in {}",
                      format_number(*probability), format_number(*value), quote(input)),
          "probabilities must lie in [0, 1] and sum to 1");
    }
    values.push_back(*value);
    probabilities.push_back(*probability);
  }
  auto types = make_discrete_types(std::move(values), std::move(probabilities), 1e-9);
  if (!types) {
    return spec_error(fmt::format("discrete {} in {}", types.error().message, quote(input)),
                      types.error().hint);
  }
  std::string spec = discrete_spec(*types);
  return std::make_shared<const DiscreteDistribution>(std::move(*types), std::move(spec));
}

// mixture(w1:SPEC, w2:SPEC, ...)
Expected<DistributionPtr> parse_mixture(std::string_view arguments, std::string_view input,
                                        int depth, SpecFiles files) {
  const std::string example(example_spec("mixture"));
  if (trim(arguments).empty()) {
    return spec_error(
        fmt::format("mixture needs at least one weight:SPEC component, got {}", quote(input)),
        fmt::format("e.g. {}", example));
  }
  std::vector<double> weights;
  std::vector<DistributionPtr> components;
  for (std::string_view raw : split_top_level(arguments, ',')) {
    const std::string_view item = trim(raw);
    const std::size_t colon = find_top_level(item, ':');
    if (item.empty() || colon == std::string_view::npos) {
      return spec_error(fmt::format("mixture component '{}' is not of the form weight:SPEC in {}",
                                    quote(item, 40), quote(input)),
                        fmt::format("e.g. {}", example));
    }
    const std::string_view weight_text = trim(item.substr(0, colon));
    const std::optional<double> weight = parse_number(weight_text);
    if (!weight) {
      return spec_error(fmt::format("mixture weight '{}' {} in {}", quote(weight_text, 30),
                                    number_problem(weight_text), quote(input)),
                        fmt::format("e.g. {}", example));
    }
    auto component = parse_node(item.substr(colon + 1), depth + 1, files);
    if (!component) return component;
    weights.push_back(*weight);
    components.push_back(std::move(*component));
  }
  return make_mixture(weights, components, input);
}

// empirical(path[, column=...][, weight=...]) or empirical("path", ...)
Expected<DistributionPtr> parse_empirical(std::string_view arguments, std::string_view input,
                                          SpecFiles files) {
  if (files == SpecFiles::kRefuse) {
    // The file's name is not echoed: it is whatever a client chose to probe.
    return fail(ErrorCode::kFileNotAllowed,
                "a SPEC that names a file (empirical(...)) is not accepted here: no file is read",
                "send the values inline, e.g. discrete(1:0.5, 2:0.5) (an empirical file's rows "
                "as value:probability), or a reduced_form");
  }
  auto d = make_empirical(arguments, input);
  if (!d || files == SpecFiles::kRead) return d;
  const DiscreteTypes& atoms = (*d)->atoms();
  return std::make_shared<const DiscreteDistribution>(atoms, discrete_spec(atoms));
}

Expected<DistributionPtr> parse_node(std::string_view text, int depth, SpecFiles files) {
  const std::string_view input = trim(text);
  if (depth > kMaxDepth) {
    return spec_error(
        fmt::format("SPEC nested deeper than {} levels at {}", kMaxDepth, quote(input)),
        "flatten the nested mixtures into one mixture");
  }
  if (input.empty()) {
    return spec_error(depth == 0 ? "empty SPEC" : "empty SPEC inside a mixture",
                      "write a distribution such as uniform(0, 1); " + std::string(kSpecHint));
  }
  std::size_t name_end = 0;
  if (std::isalpha(static_cast<unsigned char>(input.front())) != 0) {
    while (name_end < input.size() && is_name_char(input[name_end])) ++name_end;
  }
  const std::string name = lower_case(input.substr(0, name_end));
  if (name.empty()) {
    return spec_error(fmt::format("expected a distribution name at the start of {}", quote(input)),
                      fmt::format("a SPEC looks like uniform(0, 1); known distributions: {}",
                                  known_distribution_names()));
  }
  const bool parametric = is_parametric_family(name);
  if (!parametric && name != "discrete" && name != "mixture" && name != "empirical") {
    return spec_error(fmt::format("unknown distribution '{}' in {}", quote(name, 30), quote(input)),
                      fmt::format("did you mean {}? known distributions: {}",
                                  nearest_distribution_name(name), known_distribution_names()));
  }
  std::size_t open = name_end;
  while (open < input.size() && std::isspace(static_cast<unsigned char>(input[open])) != 0) {
    ++open;
  }
  if (open == input.size() || input[open] != '(') {
    return spec_error(
        fmt::format("{} needs its parameters in parentheses, got {}", name, quote(input)),
        fmt::format("e.g. {}", example_spec(name)));
  }
  const std::size_t close = find_closing_parenthesis(input, open);
  if (close == std::string_view::npos) {
    return spec_error(
        fmt::format("unbalanced parentheses: a '(' is never closed in {}", quote(input)),
        "close every '(' with ')' (and every '\"' with '\"')");
  }
  const std::string_view trailing = trim(input.substr(close + 1));
  if (!trailing.empty()) {
    if (trailing.front() == ')') {
      return spec_error(fmt::format("unbalanced parentheses: an extra ')' follows {}",
                                    quote(input.substr(0, close + 1))),
                        "remove the extra ')'");
    }
    return spec_error(fmt::format("unexpected text '{}' after {}", quote(trailing, 30),
                                  quote(input.substr(0, close + 1))),
                      "a SPEC is one distribution; combine several with "
                      "mixture(w1:SPEC, w2:SPEC, ...)");
  }
  const std::string_view arguments = input.substr(open + 1, close - open - 1);
  if (parametric) return parse_parametric(name, arguments, input);
  if (name == "discrete") return parse_discrete(arguments, input);
  if (name == "mixture") return parse_mixture(arguments, input, depth, files);
  return parse_empirical(arguments, input, files);
}

}  // namespace

}  // namespace detail

namespace {
constexpr double kMaxMassBeyondDoubles =
    1e-12;  // pareto(1e300,2) has 3e-17, pareto(1e307,1.5) 1.3e-2
}  // namespace

Expected<DistributionPtr> parse_distribution(std::string_view spec, SpecFiles files) {
  try {
    auto d = detail::parse_node(spec, 0, files);
    // Values past the largest double cannot be drawn, gridded or paid: refuse a visible share.
    // Atoms are finite doubles, so a discrete distribution has none there (and its tables are
    // not built for nothing: issue 14).
    const double beyond =
        d && !(*d)->is_discrete() ? (*d)->survival(std::numeric_limits<double>::max()) : 0.0;
    if (beyond > kMaxMassBeyondDoubles) {
      return fail(ErrorCode::kInvalidSpec,
                  fmt::format("{} puts {:.3g} of its mass above the largest double (1.8e308)",
                              (*d)->spec(), beyond),
                  "rescale the values, e.g. a smaller pareto scale");
    }
    return d;
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInvalidSpec,
                fmt::format("cannot parse {}: {}", detail::quote(spec), detail::quote(e.what())),
                std::string(detail::kSpecHint));
  } catch (...) {
    return fail(ErrorCode::kInvalidSpec, fmt::format("cannot parse {}", detail::quote(spec)),
                std::string(detail::kSpecHint));
  }
}

Expected<DistributionPtr> parse_stored_spec(std::string_view spec, const DiscreteTypes& types) {
  auto d = parse_distribution(spec, SpecFiles::kRefuse);
  if (d || d.error().code != ErrorCode::kFileNotAllowed || types.probabilities.empty()) return d;
  auto atoms = make_discrete_types(types.values, types.probabilities, 1e-9);
  if (!atoms) return tl::unexpected(atoms.error());
  return parse_distribution(discrete_spec(*atoms), SpecFiles::kRefuse);
}

}  // namespace dia
