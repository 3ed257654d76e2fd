// empirical_classes: the rows of an empirical file split by the values of one column.
#include <fmt/format.h>

#include "dia/empirical.hpp"
#include "distributions/empirical.hpp"
#include "distributions/spec_text.hpp"

namespace dia {

Expected<std::vector<EmpiricalClass>> empirical_classes(std::string_view spec,
                                                        std::string_view by) {
  auto source = detail::parse_empirical_spec(spec, "--by");
  if (!source) return tl::unexpected(source.error());
  if (source->column.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--by needs the column of values named: {} has no column=",
                            detail::quote(detail::trim(spec))),
                fmt::format("e.g. empirical({}, column=bid_usd)", detail::quote(source->path)));
  }
  auto rows = detail::read_empirical_rows(*source, by);
  if (!rows) return tl::unexpected(rows.error());
  const std::size_t classes = rows->classes.size();
  std::vector<std::vector<double>> values(classes), weights(classes);
  for (std::size_t r = 0; r < rows->values.size(); ++r) {
    values[rows->class_of[r]].push_back(rows->values[r]);
    weights[rows->class_of[r]].push_back(rows->weights[r]);
  }
  std::vector<EmpiricalClass> out;
  for (std::size_t c = 0; c < classes; ++c) {
    std::string label = fmt::format("empirical({}) | {}={}", source->argument, by,
                                    detail::quote(rows->classes[c], 40));
    const std::size_t observations = values[c].size();
    auto d = detail::empirical_distribution(std::move(values[c]), std::move(weights[c]),
                                            source->path, label);
    if (!d) {
      Error error = d.error();
      error.message =
          fmt::format("class {}={}: {}", by, detail::quote(rows->classes[c], 40), error.message);
      return tl::unexpected(error);
    }
    out.push_back({std::move(label), observations, std::move(*d)});
  }
  return out;
}

}  // namespace dia
