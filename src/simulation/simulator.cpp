// Building a Simulator: parse, design, compile the rule (see simulation.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "dia/ex_post_rule.hpp"
#include "simulation/model.hpp"

namespace dia {

Expected<SimulatedMechanism> parse_simulated_mechanism(std::string_view name) {
  if (name == "inspection") return SimulatedMechanism::kInspection;
  if (name == "myerson") return SimulatedMechanism::kMyerson;
  if (name == "second-price") return SimulatedMechanism::kSecondPrice;
  if (name == "second-price-reserve") return SimulatedMechanism::kSecondPriceReserve;
  if (name == "second-price-myerson-reserves") {
    return SimulatedMechanism::kSecondPriceMyersonReserves;
  }
  return fail(ErrorCode::kInvalidArgument, fmt::format("unknown mechanism '{}'", name),
              "use inspection, myerson, second-price, second-price-reserve or (with --bidder) "
              "second-price-myerson-reserves");
}

std::string to_string(SimulatedMechanism mechanism) {
  switch (mechanism) {
    case SimulatedMechanism::kInspection:
      return "inspection";
    case SimulatedMechanism::kMyerson:
      return "myerson";
    case SimulatedMechanism::kSecondPrice:
      return "second-price";
    case SimulatedMechanism::kSecondPriceReserve:
      return "second-price-reserve";
    case SimulatedMechanism::kSecondPriceMyersonReserves:
      return "second-price-myerson-reserves";
  }
  return "?";
}

double InspectionNoise::probability_between(double lo, double hi) const {
  if (hi < lo) return 0.0;
  if (!active() || scale == 0) return lo <= 0 && 0 <= hi ? 1.0 : 0.0;
  if (kind == Kind::kNormal) {
    const double a = lo / (scale * std::sqrt(2.0)), b = hi / (scale * std::sqrt(2.0));
    // Upper tails through erfc keep small probabilities accurate.
    if (a > 0) return 0.5 * (std::erfc(a) - std::erfc(b));
    if (b < 0) return 0.5 * (std::erfc(-b) - std::erfc(-a));
    return 1.0 - 0.5 * (std::erfc(-a) + std::erfc(b));
  }
  const double l = std::max(lo, -scale), h = std::min(hi, scale);
  return h > l ? (h - l) / (2 * scale) : 0.0;
}

std::string InspectionNoise::spec() const {
  switch (kind) {
    case Kind::kNormal:
      return fmt::format("normal({})", scale);
    case Kind::kUniform:
      return fmt::format("uniform({})", scale);
    case Kind::kNone:
      break;
  }
  return "none";
}

Expected<InspectionNoise> parse_inspection_noise(std::string_view text) {
  const auto bad = [&](std::string why) -> Expected<InspectionNoise> {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("bad --inspection-noise '{}': {}", text, why),
                "use normal(sigma) or uniform(h) with sigma, h >= 0");
  };
  if (text == "none") return InspectionNoise{};
  const auto open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')') return bad("expected NAME(scale)");
  const std::string_view name = text.substr(0, open);
  const std::string_view arg = text.substr(open + 1, text.size() - open - 2);
  InspectionNoise noise;
  if (name == "normal") {
    noise.kind = InspectionNoise::Kind::kNormal;
  } else if (name == "uniform") {
    noise.kind = InspectionNoise::Kind::kUniform;
  } else {
    return bad(fmt::format("unknown noise '{}'", name));
  }
  double scale = 0;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), scale);
  if (ec != std::errc() || end != arg.data() + arg.size() || !std::isfinite(scale)) {
    return bad("the scale is not a number");
  }
  if (scale < 0) return bad("the scale must be >= 0");
  noise.scale = scale;
  return noise;
}

namespace detail {

Bid SimulationModel::make_bid(double value, double bid) const {
  Bid b{value, bid, 0.0, 0};
  if (distribution->is_discrete()) {
    const auto& v = distribution->atoms().values;
    const auto it = std::lower_bound(v.begin(), v.end(), bid);
    DIA_CHECK(it != v.end() && *it == bid);  // atoms bid atoms
    b.atom = static_cast<std::uint32_t>(it - v.begin());
  } else {
    b.u = distribution->cdf(bid);
    if (inspection && inspection->plays_grid()) {  // the design cell whose type is the bid
      const auto& v = inspection->step_values();
      const auto it = std::upper_bound(v.begin(), v.end(), bid);
      b.atom = static_cast<std::uint32_t>(it == v.begin() ? 0 : (it - v.begin()) - 1);
    }
  }
  return b;
}

}  // namespace detail

Expected<Simulator> Simulator::create(DistributionPtr distribution,
                                      const SimulationConfig& config) {
  if (!distribution) return fail(ErrorCode::kInvalidArgument, "no value distribution");
  if (config.bidders < 1 || config.bidders > detail::ClassicRule::kMaxBidders) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--bidders must be in 1..{}, got {}", detail::ClassicRule::kMaxBidders,
                            config.bidders));
  }
  if (config.mechanism == SimulatedMechanism::kSecondPriceMyersonReserves) {
    return fail(ErrorCode::kInvalidArgument,
                "--mechanism second-price-myerson-reserves needs asymmetric bidders (--bidder)",
                "for i.i.d. bidders every Myerson reserve is the same: use second-price-reserve "
                "or myerson");
  }
  const bool inspection = config.mechanism == SimulatedMechanism::kInspection;
  if (config.noise.kind != InspectionNoise::Kind::kNone && !inspection) {
    return fail(ErrorCode::kInvalidArgument,
                "--inspection-noise applies to --mechanism inspection only",
                "the classic mechanisms do not inspect");
  }
  if (!(config.tolerance >= 0) || !std::isfinite(config.tolerance)) {
    return fail(ErrorCode::kInvalidArgument, "--tolerance must be a finite number >= 0");
  }
  if (!(config.reward_scale >= 0 && config.reward_scale <= 1)) {
    return fail(ErrorCode::kInvalidArgument, "--reward-scale must be in [0, 1]");
  }
  auto model = std::make_shared<detail::SimulationModel>(
      distribution, config, classic_revenues(*distribution, config.bidders));
  if (inspection) {
    auto designed = design_mechanism(*distribution, config.bidders, config.design);
    if (!designed) return tl::unexpected(designed.error());
    auto rule = build_ex_post_rule(distribution, config.bidders, designed->types,
                                   designed->reduced.allocation);
    if (!rule) return tl::unexpected(rule.error());
    model->inspection.emplace(*distribution, *designed, std::move(*rule), config);
    model->designed_revenue = model->inspection->expected_revenue(1.0);
    const double paid = config.noise.active()
                            ? config.noise.probability_between(-config.tolerance, config.tolerance)
                            : 1.0;
    model->expected_revenue = model->inspection->expected_revenue(paid);
    if (config.reward_scale != 1) {
      model->notes.push_back(fmt::format(
          "rewards scaled by {} (a deliberately broken, not incentive compatible mechanism)",
          config.reward_scale));
    }
    if (!distribution->is_discrete()) {
      model->notes.push_back(
          fmt::format("continuous values are played on the design's {} equal-mass quantile "
                      "cells (each cell's type is its conditional mean), so revenue.expected is "
                      "that design's revenue",
                      designed->types.size()));
    }
  } else {
    model->classic_rule.emplace(*distribution, config.mechanism, config.bidders, model->classic);
    const ClassicRevenues& c = model->classic;
    switch (config.mechanism) {
      case SimulatedMechanism::kMyerson:
        model->designed_revenue = c.myerson;
        break;
      case SimulatedMechanism::kSecondPrice:
        model->designed_revenue = config.bidders == 1 ? 0.0 : c.second_price;
        break;
      default:
        model->designed_revenue = c.second_price_reserve;
        break;
    }
    model->expected_revenue = model->designed_revenue;
  }
  if (model->sampler.info().method == "quantile table") {
    model->notes.push_back(fmt::format(
        "values drawn from a {}-cell inverse-CDF table with linear interpolation (exact in the "
        "end cells and wherever interpolation errs by more than 1e-7 of the interquartile "
        "range); max quantile error {:.3g}",
        model->sampler.info().table_cells, model->sampler.info().max_quantile_error));
  }
  return Simulator(std::move(model));
}

double Simulator::expected_revenue() const { return model_->expected_revenue; }
double Simulator::designed_revenue() const { return model_->designed_revenue; }
const SamplingInfo& Simulator::sampling() const { return model_->sampler.info(); }
const SimulationConfig& Simulator::config() const { return model_->config; }
std::vector<std::string> Simulator::notes() const { return model_->notes; }

}  // namespace dia
