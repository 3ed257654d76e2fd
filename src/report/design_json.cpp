// JSON for `dia design --format json`. The key names are a contract other tools rely on.
#include <cmath>

#include "dia/report.hpp"
#include "dia/version.hpp"
#include "report/audit_json.hpp"

namespace dia {
namespace {

using json = nlohmann::ordered_json;

json optional_number(std::optional<double> x) { return x ? json(*x) : json(nullptr); }

json solver_json(const InspectionDesign& d) {
  json convergence = json::array();
  for (const GridRevenue& g : d.convergence) {
    convergence.push_back({{"cells", g.cells},
                           {"revenue", g.revenue},
                           {"cutoff", g.cutoff},
                           {"estimated_relative_error", optional_number(g.estimated_error)}});
  }
  json out = {{"method", d.method},
              {"grid_convergence", convergence},
              {"estimated_relative_error", d.estimated_error}};
  if (d.bounds) {
    out["revenue_bounds"] = {{"lower", d.bounds->lower}, {"upper", d.bounds->upper}};
  }
  if (d.ode) {
    out["ode"] = {{"cutoff", d.ode->cutoff},
                  {"revenue", d.ode->revenue},
                  {"steps", d.ode->steps},
                  {"log_cutoff", d.ode->log_cutoff},
                  {"tail_correction", d.ode->tail_correction},
                  {"estimated_relative_error", d.ode->estimated_error}};
  }
  return out;
}

}  // namespace

nlohmann::ordered_json mechanism_rows_json(const std::vector<MechanismRow>& rows) {
  json out = json::array();
  for (const MechanismRow& r : rows) {
    const bool allocated = r.allocation > 0;
    const std::optional<double> winner_reward =
        allocated ? std::optional<double>(r.rent / r.allocation) : std::nullopt;
    out.push_back({
        {"value", r.value},
        {"probability", r.probability},
        {"allocation", r.allocation},
        {"rent", r.rent},
        {"winner_reward", optional_number(winner_reward)},
        {"expected_net_payment", r.value * r.allocation - r.rent},
        {"winner_net_payment", winner_reward ? json(r.value - *winner_reward) : json(nullptr)},
        {"best_alternative_bid", optional_number(r.best_alternative_bid)},
    });
    if (r.win_probability) out.back()["win_probability"] = *r.win_probability;
  }
  return out;
}

nlohmann::ordered_json dominant_json(const DominantComparison& c) {
  const DominantSolution& s = c.dsic;
  return {{"grid", c.grid},
          {"grid_kind", c.grid_kind},
          {"revenue", s.revenue},
          {"bic_revenue_same_grid", c.bic_revenue},
          {"loss_vs_bic_percent", c.loss_vs_bic_percent},
          {"lower_bidder_wins", s.lower_bidder_wins},
          {"sale_probability", s.sale_probability},
          {"expected_reward", s.expected_reward},
          {"max_ic_violation", s.max_ic_violation},
          {"max_ll_violation", s.max_ll_violation},
          {"max_feasibility_violation", s.max_feasibility_violation},
          {"lp_rounds", s.rounds},
          {"lp_iterations", s.iterations},
          {"ic_rows", s.ic_rows}};
}

double LpComparison::relative_difference() const {
  return std::fabs(solver_revenue - lp_revenue) / std::max(1e-300, std::fabs(lp_revenue));
}

json to_json(const DesignReport& report) {
  const ClassicRevenues& c = report.classic;
  const InspectionDesign* d = report.inspection ? &*report.inspection : nullptr;
  json notes = report.notes;
  if (d) {
    for (const auto& n : d->notes) notes.push_back(n);
  }
  json out = {
      {"values", report.values},
      {"bidders", report.bidders},
      {"status", d ? json(to_string(d->status)) : json(nullptr)},
      {"revenue",
       {{"inspection", d ? json(d->revenue) : json(nullptr)},
        {"myerson", c.myerson},
        {"second_price", c.second_price},
        {"second_price_reserve", c.second_price_reserve},
        {"posted_price", optional_number(c.posted_price)}}},
      {"gain_over_myerson_percent",
       d && c.myerson > 0 ? json(100 * (d->revenue / c.myerson - 1)) : json(nullptr)},
      {"gain_over_second_price_reserve_percent",
       d && c.second_price_reserve > 0 ? json(100 * (d->revenue / c.second_price_reserve - 1))
                                       : json(nullptr)},
      {"cutoff", d && report.bidders == 1 ? json(d->cutoff) : json(nullptr)},
      {"switch_point", d ? optional_number(d->switch_point) : json(nullptr)},
      {"implementation", d ? json(d->implementation) : json(nullptr)},
      {"max_win_probability", d ? json(d->max_win_probability) : json(nullptr)},
      {"expected_reward", d ? json(d->expected_reward) : json(nullptr)},
      {"sale_probability", d ? json(d->sale_probability) : json(nullptr)},
      {"reserve",
       {{"myerson", c.myerson_reserve},
        {"second_price", c.optimal_reserve},
        {"posted_price", optional_number(c.posted_price_value)}}},
      {"audit", d ? detail::audit_json(*d) : json(nullptr)},
      {"solver", d ? solver_json(*d) : json(nullptr)},
      {"mechanism", d ? mechanism_rows_json(d->rows) : json::array()},
      {"notes", notes},
      {"dia_version", kVersion},
  };
  if (d && d->border_lottery) {
    const BorderLotterySummary& b = *d->border_lottery;
    out["border_lottery"] = {{"form", b.form},
                             {"types", b.types},
                             {"max_reduced_form_error", b.max_reduced_form_error},
                             {"max_pair_violation", b.max_pair_violation},
                             {"lower_bidder_wins", b.lower_bidder_wins}};
  }
  if (report.dominant) {
    out["revenue"]["inspection_dsic"] = report.dominant->dsic.revenue;
    out["dsic"] = dominant_json(*report.dominant);
  }
  if (report.lp_check) {
    const LpComparison& lp = *report.lp_check;
    out["lp_check"] = {{"types", lp.types},
                       {"solver", lp.solver},
                       {"solver_revenue", lp.solver_revenue},
                       {"lp_revenue", lp.lp_revenue},
                       {"relative_difference", lp.relative_difference()},
                       {"lp_iterations", lp.iterations}};
  }
  return out;
}

}  // namespace dia
