#include "distributions/spec_families.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

constexpr std::size_t kMaxParameters = 4;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Parameter {
  std::string_view name;                    // the canonical name, used by spec()
  std::array<std::string_view, 2> aliases;  // other accepted names ("" = none)
  std::optional<double> fallback = {};      // the value when omitted (nullopt: required)
};

using Values = std::array<double, kMaxParameters>;
using Names = std::array<std::string_view, kMaxParameters>;
using Builder = Expected<ContinuousPtr> (*)(const Values& values, const Names& names,
                                            std::string_view input);

struct Family {
  std::string_view name;
  std::vector<Parameter> parameters;
  std::string_view example;
  Builder build;
  bool scipy = false;  // scipy.stats' name and parameterisation, built as a dia family
};

Expected<ContinuousPtr> unexpected(const Expected<void>& failed) {
  return tl::unexpected(failed.error());
}

// exponential(rate, low): low + an exponential; `parameter` says how the rate was given.
Expected<ContinuousPtr> build_exponential(double value, std::string_view parameter, double low,
                                          std::string_view input) {
  auto base = make_exponential(value, parameter, input);
  if (!base) return base;
  if (auto ok = require_nonnegative("exponential", "low", low, input,
                                    "low is the smallest value, e.g. exponential(rate=1, low=2)");
      !ok) {
    return unexpected(ok);
  }
  return make_affine(std::move(*base), low, 1.0, fmt::format("low={}", low));
}

// beta(a, b) stretched from [0, 1] onto [low, high].
Expected<ContinuousPtr> build_beta(double a, double b, double low, double high,
                                   std::string_view input) {
  auto base = make_beta(a, b, input);
  if (!base) return base;
  const std::string_view hint = "the values lie in [low, high], e.g. beta(a=2, b=5, low=1, high=3)";
  if (auto ok = require_nonnegative("beta", "low", low, input, hint); !ok) return unexpected(ok);
  if (auto ok = require_finite("beta", "high", high, input, hint); !ok) return unexpected(ok);
  if (!(high > low) || !std::isfinite(high - low)) {
    return spec_error(fmt::format("beta needs low < high (finite), got low={}, high={} in {}",
                                  format_number(low), format_number(high), quote(input)),
                      std::string(hint));
  }
  return make_affine(std::move(*base), low, high - low, fmt::format("low={}, high={}", low, high));
}

// scipy's loc for a family dia does not shift.
Expected<void> require_no_loc(std::string_view family, double loc, std::string_view input) {
  if (loc == 0.0) return {};
  return spec_error(fmt::format("{} with loc={} is a shifted {} that dia does not provide, in {}",
                                family, format_number(loc), family, quote(input)),
                    "leave loc at 0; expon, uniform, beta, norm and truncnorm take any loc");
}

const std::vector<Family>& families() {
  static const std::vector<Family> table = {
      {"uniform",
       {{"low", {"a", ""}}, {"high", {"b", ""}}},
       "uniform(low=0, high=1)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_uniform(v[0], v[1], input);
       }},
      {"exponential",
       {{"rate", {"mean", "scale"}}, {"low", {"", ""}, 0.0}},
       "exponential(rate=0.5)",
       [](const Values& v, const Names& names, std::string_view input) {
         return build_exponential(v[0], names[0], v[1], input);
       }},
      {"lognormal",
       {{"mu", {"", ""}}, {"sigma", {"", ""}}},
       "lognormal(mu=0, sigma=1)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_lognormal(v[0], v[1], input);
       }},
      {"beta",
       {{"a", {"alpha", ""}}, {"b", {"beta", ""}}, {"low", {"", ""}, 0.0}, {"high", {"", ""}, 1.0}},
       "beta(a=2, b=5)",
       [](const Values& v, const Names&, std::string_view input) {
         return build_beta(v[0], v[1], v[2], v[3], input);
       }},
      {"pareto",
       {{"scale", {"xm", ""}}, {"shape", {"alpha", ""}}},
       "pareto(scale=1, shape=3)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_pareto(v[0], v[1], input);
       }},
      {"truncnormal",
       {{"mu", {"", ""}}, {"sigma", {"", ""}}, {"lo", {"low", ""}}, {"hi", {"high", ""}}},
       "truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_truncnormal(v[0], v[1], v[2], v[3], input);
       }},
      {"gamma",
       {{"shape", {"a", ""}}, {"scale", {"", ""}, 1.0}},
       "gamma(shape=2, scale=1)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_gamma(v[0], v[1], input);
       }},
      {"weibull",
       {{"shape", {"c", ""}}, {"scale", {"", ""}, 1.0}},
       "weibull(shape=2, scale=1)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_weibull(v[0], v[1], input);
       }},
      // scipy.stats: support [loc, ...), scale stretches; docs/spec.md maps each to dia's form.
      {"norm",
       {{"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "norm(loc=1, scale=0.5)",
       [](const Values& v, const Names&, std::string_view input) {
         return make_truncnormal(v[0], v[1], 0.0, kInf, input);
       },
       true},
      {"truncnorm",
       {{"a", {"", ""}}, {"b", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "truncnorm(a=-2, b=inf, loc=1, scale=0.5)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         const std::string_view hint =
             "scale is the parent normal's sd, e.g. truncnorm(a=0, "
             "b=inf, loc=1, scale=0.5)";
         if (auto ok = require_positive("truncnorm", "scale", v[3], input, hint); !ok) {
           return unexpected(ok);
         }
         return make_truncnormal(v[2], v[3], v[2] + v[0] * v[3], v[2] + v[1] * v[3], input);
       },
       true},
      {"lognorm",
       {{"s", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "lognorm(s=1, scale=2)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_no_loc("lognorm", v[1], input); !ok) return unexpected(ok);
         if (auto ok = require_positive("lognorm", "scale", v[2], input,
                                        "scale is e^mu, e.g. lognorm(s=1, scale=2)");
             !ok) {
           return unexpected(ok);
         }
         return make_lognormal(std::log(v[2]), v[0], input);
       },
       true},
      {"expon",
       {{"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "expon(loc=0, scale=2)",
       [](const Values& v, const Names&, std::string_view input) {
         return build_exponential(v[1], "scale", v[0], input);
       },
       true},
      {"uniform",
       {{"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "uniform(loc=1, scale=2)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_positive("uniform", "scale", v[1], input,
                                        "scale is the width: uniform(loc=1, scale=2) is [1, 3]");
             !ok) {
           return unexpected(ok);
         }
         return make_uniform(v[0], v[0] + v[1], input);
       },
       true},
      {"pareto",
       {{"b", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "pareto(b=3, scale=1)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_no_loc("pareto", v[1], input); !ok) return unexpected(ok);
         return make_pareto(v[2], v[0], input);
       },
       true},
      {"gamma",
       {{"a", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "gamma(a=2, scale=1)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_no_loc("gamma", v[1], input); !ok) return unexpected(ok);
         return make_gamma(v[0], v[2], input);
       },
       true},
      {"weibull_min",
       {{"c", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "weibull_min(c=2, scale=1)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_no_loc("weibull_min", v[1], input); !ok) return unexpected(ok);
         return make_weibull(v[0], v[2], input);
       },
       true},
      {"beta",
       {{"a", {"", ""}}, {"b", {"", ""}}, {"loc", {"", ""}, 0.0}, {"scale", {"", ""}, 1.0}},
       "beta(a=2, b=5, loc=1, scale=2)",
       [](const Values& v, const Names&, std::string_view input) -> Expected<ContinuousPtr> {
         if (auto ok = require_positive("beta", "scale", v[3], input,
                                        "scale is the width: beta(2, 5, loc=1, scale=2) lies "
                                        "in [1, 3]");
             !ok) {
           return unexpected(ok);
         }
         return build_beta(v[0], v[1], v[2], v[2] + v[3], input);
       },
       true},
  };
  return table;
}

// dia's family of that name first, then scipy's.
std::vector<const Family*> find_families(std::string_view name) {
  std::vector<const Family*> found;
  for (const Family& family : families()) {
    if (family.name == name) found.push_back(&family);
  }
  return found;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "low, high" and "low (or a), high (or b)"; an optional parameter as "low=0".
std::string parameter_list(const Family& family, bool with_aliases) {
  std::string out;
  for (const Parameter& p : family.parameters) {
    if (!out.empty()) out += ", ";
    out += p.name;
    if (p.fallback) out += "=" + format_number(*p.fallback);
    if (!with_aliases) continue;
    std::string aliases;
    for (std::string_view alias : p.aliases) {
      if (alias.empty()) continue;
      if (!aliases.empty()) aliases += " or ";
      aliases += alias;
    }
    if (!aliases.empty()) out += fmt::format(" (or {})", aliases);
  }
  return out;
}

std::string arity_text(const Family& family) {
  const std::size_t total = family.parameters.size();
  const auto required =
      static_cast<std::size_t>(std::count_if(family.parameters.begin(), family.parameters.end(),
                                             [](const Parameter& p) { return !p.fallback; }));
  if (required == total) return fmt::format("{} parameter{}", total, total == 1 ? "" : "s");
  return fmt::format("{} to {} parameters", required, total);
}

struct Bound {
  Values values{};
  Names names{};
  bool named = false;  // some parameter was given by name
};

// The parameters of `family` read from the text between the parentheses: by position, or by
// name (name=value), positional ones first; omitted optional ones take their fallback.
Expected<Bound> bind(const Family& family, std::string_view arguments, std::string_view input) {
  const std::size_t arity = family.parameters.size();
  std::vector<std::string_view> fields;
  if (!trim(arguments).empty()) fields = split_top_level(arguments, ',');

  const auto arity_error = [&]() {
    return spec_error(fmt::format("{} takes {} ({}), got {} in {}", family.name, arity_text(family),
                                  parameter_list(family, false), fields.size(), quote(input)),
                      fmt::format("e.g. {}", family.example));
  };
  if (fields.size() > arity) return arity_error();

  Bound out;
  std::array<bool, kMaxParameters> given{};
  std::size_t next_position = 0;
  for (std::string_view raw : fields) {
    const std::string_view field = trim(raw);
    if (field.empty()) {
      return spec_error(fmt::format("empty parameter in {}", quote(input)),
                        fmt::format("remove the extra comma, e.g. {}", family.example));
    }
    std::size_t slot = 0;
    std::string_view value_text = field;
    const std::size_t equals = field.find('=');
    if (equals != std::string_view::npos) {
      const std::string key = lower_case(trim(field.substr(0, equals)));
      value_text = field.substr(equals + 1);
      const auto it =
          std::find_if(family.parameters.begin(), family.parameters.end(), [&](const Parameter& p) {
            return p.name == key ||
                   std::find(p.aliases.begin(), p.aliases.end(), key) != p.aliases.end();
          });
      if (key.empty() || it == family.parameters.end()) {
        return spec_error(fmt::format("unknown parameter '{}' for {} in {}", quote(key, 30),
                                      family.name, quote(input)),
                          fmt::format("{} accepts {}", family.name, parameter_list(family, true)));
      }
      slot = static_cast<std::size_t>(it - family.parameters.begin());
      if (given[slot]) {
        return spec_error(fmt::format("{} parameter {} is given twice in {}", family.name, it->name,
                                      quote(input)),
                          fmt::format("give each parameter once, e.g. {}", family.example));
      }
      // The alias as written (exponential needs to know rate from mean); canonical if unknown.
      for (std::string_view alias : it->aliases) {
        if (alias == key) out.names[slot] = alias;
      }
      if (out.names[slot].empty()) out.names[slot] = it->name;
      out.named = true;
    } else {
      if (out.named) {
        return spec_error(fmt::format("positional parameter '{}' after named ones in {}",
                                      quote(field, 30), quote(input)),
                          fmt::format("write all parameters by name or all by position, e.g. {}",
                                      family.example));
      }
      slot = next_position++;
      out.names[slot] = family.parameters[slot].name;
    }
    const std::optional<double> value = parse_number(value_text);
    if (!value) {
      return spec_error(
          fmt::format("{} parameter {}: '{}' {} in {}", family.name, family.parameters[slot].name,
                      quote(trim(value_text), 30), number_problem(value_text), quote(input)),
          "write plain numbers such as 2, 0.5, 1e-3 (or inf where allowed)");
    }
    out.values[slot] = *value;
    given[slot] = true;
  }
  for (std::size_t slot = 0; slot < arity; ++slot) {
    if (given[slot]) continue;
    const Parameter& p = family.parameters[slot];
    if (!p.fallback) return arity_error();
    out.values[slot] = *p.fallback;
    out.names[slot] = p.name;
  }
  return out;
}

// Edit distance, for suggesting the nearest known name.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

constexpr std::array<std::string_view, 3> kOtherNames = {"discrete", "mixture", "empirical"};

}  // namespace

bool is_parametric_family(std::string_view name) { return !find_families(name).empty(); }

std::string known_distribution_names() {
  std::string dia;
  std::string scipy;
  for (const Family& family : families()) {
    std::string& list = family.scipy ? scipy : dia;
    list += fmt::format("{}{}", list.empty() ? "" : ", ", family.name);
  }
  for (std::string_view name : kOtherNames) dia += fmt::format(", {}", name);
  return fmt::format("{}; scipy.stats names: {}", dia, scipy);
}

std::string nearest_distribution_name(std::string_view name) {
  std::string_view best = kOtherNames[0];
  std::size_t best_distance = edit_distance(name, best);
  const auto consider = [&](std::string_view candidate) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) best = candidate, best_distance = distance;
  };
  for (const Family& family : families()) consider(family.name);
  for (std::string_view other : kOtherNames) consider(other);
  return std::string(best);
}

std::string_view example_spec(std::string_view name) {
  const auto found = find_families(name);
  if (!found.empty()) return found.front()->example;
  if (name == "discrete") return "discrete(1:0.5, 2:0.3, 3:0.2)";
  if (name == "mixture") return "mixture(0.5:uniform(0, 1), 0.5:uniform(2, 3))";
  if (name == "empirical") return "empirical(data/values.csv)";
  return "uniform(0, 1)";
}

Expected<DistributionPtr> parse_parametric(std::string_view name, std::string_view arguments,
                                           std::string_view input) {
  const auto found = find_families(name);
  DIA_CHECK(!found.empty());
  auto bound = bind(*found.front(), arguments, input);
  const Family* family = found.front();
  // A name dia shares with scipy.stats reads dia's way; scipy's when only scipy's parameters
  // fit and at least one is given by name (uniform(loc=1, scale=2), pareto(3, scale=2)).
  if (!bound && found.size() > 1) {
    auto scipy = bind(*found[1], arguments, input);
    if (scipy && scipy->named) {
      bound = std::move(scipy);
      family = found[1];
    } else {
      Error error = bound.error();
      error.hint += fmt::format(
          "; scipy.stats' {}({}) is read when its parameters are named, "
          "e.g. {}",
          name, parameter_list(*found[1], false), found[1]->example);
      return tl::unexpected(std::move(error));
    }
  }
  if (!bound) return tl::unexpected(bound.error());
  auto built = family->build(bound->values, bound->names, input);
  if (!built) return tl::unexpected(built.error());
  return DistributionPtr(std::move(*built));
}

}  // namespace dia::detail
