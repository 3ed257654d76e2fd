#include "distributions/spec_families.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "distributions/families.hpp"
#include "distributions/spec_text.hpp"

namespace dia::detail {

namespace {

constexpr std::size_t kMaxParameters = 4;

struct Parameter {
  std::string_view name;                    // the canonical name, used by spec()
  std::array<std::string_view, 2> aliases;  // other accepted names ("" = none)
};

using Builder = Expected<ContinuousPtr> (*)(
    const std::array<double, kMaxParameters>& values,
    const std::array<std::string_view, kMaxParameters>& names, std::string_view input);

struct Family {
  std::string_view name;
  std::vector<Parameter> parameters;
  std::string_view example;
  Builder build;
};

const std::vector<Family>& families() {
  static const std::vector<Family> table = {
      {"uniform",
       {{"low", {"a", ""}}, {"high", {"b", ""}}},
       "uniform(low=0, high=1)",
       [](const auto& v, const auto&, std::string_view input) {
         return make_uniform(v[0], v[1], input);
       }},
      {"exponential",
       {{"rate", {"mean", "scale"}}},
       "exponential(rate=0.5)",
       [](const auto& v, const auto& names, std::string_view input) {
         return make_exponential(v[0], names[0], input);
       }},
      {"lognormal",
       {{"mu", {"", ""}}, {"sigma", {"", ""}}},
       "lognormal(mu=0, sigma=1)",
       [](const auto& v, const auto&, std::string_view input) {
         return make_lognormal(v[0], v[1], input);
       }},
      {"beta",
       {{"a", {"alpha", ""}}, {"b", {"beta", ""}}},
       "beta(a=2, b=5)",
       [](const auto& v, const auto&, std::string_view input) {
         return make_beta(v[0], v[1], input);
       }},
      {"pareto",
       {{"scale", {"xm", ""}}, {"shape", {"alpha", ""}}},
       "pareto(scale=1, shape=3)",
       [](const auto& v, const auto&, std::string_view input) {
         return make_pareto(v[0], v[1], input);
       }},
      {"truncnormal",
       {{"mu", {"", ""}}, {"sigma", {"", ""}}, {"lo", {"low", ""}}, {"hi", {"high", ""}}},
       "truncnormal(mu=1, sigma=0.5, lo=0, hi=inf)",
       [](const auto& v, const auto&, std::string_view input) {
         return make_truncnormal(v[0], v[1], v[2], v[3], input);
       }},
  };
  return table;
}

const Family* find_family(std::string_view name) {
  for (const Family& family : families()) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "low, high" and "low (or a), high (or b)".
std::string parameter_list(const Family& family, bool with_aliases) {
  std::string out;
  for (const Parameter& p : family.parameters) {
    if (!out.empty()) out += ", ";
    out += p.name;
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

}  // namespace

bool is_parametric_family(std::string_view name) { return find_family(name) != nullptr; }

std::string known_distribution_names() {
  std::string out;
  for (const Family& family : families()) {
    out += family.name;
    out += ", ";
  }
  return out + "discrete, mixture, empirical";
}

std::string_view example_spec(std::string_view name) {
  if (const Family* family = find_family(name)) return family->example;
  if (name == "discrete") return "discrete(1:0.5, 2:0.3, 3:0.2)";
  if (name == "mixture") return "mixture(0.5:uniform(0, 1), 0.5:uniform(2, 3))";
  if (name == "empirical") return "empirical(data/values.csv)";
  return "uniform(0, 1)";
}

Expected<DistributionPtr> parse_parametric(std::string_view name, std::string_view arguments,
                                           std::string_view input) {
  const Family* family = find_family(name);
  DIA_CHECK(family != nullptr);
  const std::size_t arity = family->parameters.size();
  std::vector<std::string_view> fields;
  if (!trim(arguments).empty()) fields = split_top_level(arguments, ',');

  const auto arity_error = [&]() {
    return spec_error(fmt::format("{} takes {} parameter{} ({}), got {} in {}", family->name, arity,
                                  arity == 1 ? "" : "s", parameter_list(*family, false),
                                  fields.size(), quote(input)),
                      fmt::format("e.g. {}", family->example));
  };
  if (fields.size() != arity) return arity_error();

  std::array<double, kMaxParameters> values{};
  std::array<std::string_view, kMaxParameters> names{};
  std::array<bool, kMaxParameters> given{};
  bool seen_named = false;
  std::size_t next_position = 0;
  for (std::string_view raw : fields) {
    const std::string_view field = trim(raw);
    if (field.empty()) {
      return spec_error(fmt::format("empty parameter in {}", quote(input)),
                        fmt::format("remove the extra comma, e.g. {}", family->example));
    }
    std::size_t slot = 0;
    std::string_view value_text = field;
    const std::size_t equals = field.find('=');
    if (equals != std::string_view::npos) {
      const std::string key = lower_case(trim(field.substr(0, equals)));
      value_text = field.substr(equals + 1);
      const auto it = std::find_if(
          family->parameters.begin(), family->parameters.end(), [&](const Parameter& p) {
            return p.name == key ||
                   std::find(p.aliases.begin(), p.aliases.end(), key) != p.aliases.end();
          });
      if (key.empty() || it == family->parameters.end()) {
        return spec_error(
            fmt::format("unknown parameter '{}' for {} in {}", quote(key, 30), family->name,
                        quote(input)),
            fmt::format("{} accepts {}", family->name, parameter_list(*family, true)));
      }
      slot = static_cast<std::size_t>(it - family->parameters.begin());
      if (given[slot]) {
        return spec_error(fmt::format("{} parameter {} is given twice in {}", family->name,
                                      it->name, quote(input)),
                          fmt::format("give each parameter once, e.g. {}", family->example));
      }
      // The alias as written (exponential needs to know rate from mean); canonical if unknown.
      for (std::string_view alias : it->aliases) {
        if (alias == key) names[slot] = alias;
      }
      if (names[slot].empty()) names[slot] = it->name;
      seen_named = true;
    } else {
      if (seen_named) {
        return spec_error(fmt::format("positional parameter '{}' after named ones in {}",
                                      quote(field, 30), quote(input)),
                          fmt::format("write all parameters by name or all by position, e.g. {}",
                                      family->example));
      }
      slot = next_position++;
      names[slot] = family->parameters[slot].name;
    }
    const std::optional<double> value = parse_number(value_text);
    if (!value) {
      return spec_error(
          fmt::format("{} parameter {}: '{}' {} in {}", family->name, family->parameters[slot].name,
                      quote(trim(value_text), 30), number_problem(value_text), quote(input)),
          "write plain numbers such as 2, 0.5, 1e-3 (or inf where allowed)");
    }
    values[slot] = *value;
    given[slot] = true;
  }
  for (std::size_t slot = 0; slot < arity; ++slot) {
    if (!given[slot]) return arity_error();
  }
  auto built = family->build(values, names, input);
  if (!built) return tl::unexpected(built.error());
  return DistributionPtr(std::move(*built));
}

}  // namespace dia::detail
