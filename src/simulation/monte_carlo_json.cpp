// The Monte Carlo part of `dia simulate --format json`, one definition for the CLI and Python.
#include "dia/simulation.hpp"
#include "simulation/simulate_fields.hpp"

namespace dia {

nlohmann::ordered_json detail::monte_carlo_fields(const MonteCarloResult& r, double expected,
                                                  double designed, const std::string& mechanism,
                                                  const SamplingInfo& sampling,
                                                  const std::string& values, int bidders) {
  using json = nlohmann::ordered_json;
  const double ci = 1.959963984540054 * r.revenue_stderr;  // the 97.5% normal quantile
  return {
      {"values", values},
      {"bidders", bidders},
      {"mechanism", mechanism},
      {"seed", r.seed},
      {"threads", r.threads},
      {"auctions", r.auctions},
      {"seconds", r.seconds},
      {"auctions_per_second", r.auctions_per_second},
      {"revenue",
       {{"mean", r.revenue_mean},
        {"stderr", r.revenue_stderr},
        {"ci95_low", r.revenue_mean - ci},
        {"ci95_high", r.revenue_mean + ci},
        {"expected", expected},
        {"designed", designed},
        {"z_score", r.revenue_stderr > 0 ? json((r.revenue_mean - expected) / r.revenue_stderr)
                                         : json(nullptr)},
        // Every auction earned the same (or only one ran): a standard error of 0 says nothing
        // about the distance to the expected revenue, so there is no z-score and no interval.
        {"no_variance", !(r.revenue_stderr > 0)}}},
      {"reward", {{"mean", r.reward_mean}}},
      {"sale_rate", r.sale_rate},
      {"sampling",
       {{"method", sampling.method},
        {"table_cells", sampling.table_cells},
        {"max_quantile_error", sampling.max_quantile_error}}},
      {"blocks", {{"count", r.blocks}, {"auctions", Simulator::kBlockAuctions}}},
  };
}

nlohmann::ordered_json monte_carlo_json(const Simulator& sim, const MonteCarloResult& r,
                                        const std::string& values, int bidders) {
  return detail::monte_carlo_fields(r, sim.expected_revenue(), sim.designed_revenue(),
                                    to_string(sim.config().mechanism), sim.sampling(), values,
                                    bidders);
}

}  // namespace dia
