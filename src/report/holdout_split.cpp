// split_empirical: an empirical file's rows in a training part and a holdout part (holdout.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "dia/holdout.hpp"
#include "distributions/empirical.hpp"

namespace dia {

Expected<HoldoutSplit> split_empirical(std::string_view spec, double fraction, std::uint64_t seed) {
  if (!(fraction > 0 && fraction < 1)) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("--holdout needs a fraction strictly between 0 and 1, got {}", fraction),
        "e.g. --holdout 0.3 keeps 30% of the rows out of the training part");
  }
  auto source = detail::parse_empirical_spec(spec, "--holdout");
  if (!source) return tl::unexpected(source.error());
  auto rows = detail::read_empirical_rows(*source, {});
  if (!rows) return tl::unexpected(rows.error());
  const std::size_t n = rows->values.size();
  if (n < 2) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--holdout needs at least 2 rows; {} has {}", source->path, n),
                "give a file with more observations");
  }
  HoldoutSplit out;
  out.observations = n;
  out.test_rows = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))), 1, n - 1);
  out.train_rows = n - out.test_rows;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);

  auto part = [&](std::size_t from, std::size_t to, const char* name) {
    std::vector<double> values, weights;
    for (std::size_t i = from; i < to; ++i) {
      values.push_back(rows->values[order[i]]);
      weights.push_back(rows->weights[order[i]]);
    }
    return detail::empirical_distribution(
        std::move(values), std::move(weights), source->path,
        fmt::format("empirical({}) [{} part, {} of {} rows, seed {}]", source->argument, name,
                    to - from, n, seed));
  };
  auto test = part(0, out.test_rows, "holdout");
  if (!test) return tl::unexpected(test.error());
  auto train = part(out.test_rows, n, "training");
  if (!train) return tl::unexpected(train.error());
  out.test = std::move(*test);
  out.train = std::move(*train);
  out.train_csv = "value,weight\n";
  for (std::size_t i = out.test_rows; i < n; ++i) {
    out.train_csv += fmt::format("{},{}\n", rows->values[order[i]], rows->weights[order[i]]);
  }
  return out;
}

}  // namespace dia
