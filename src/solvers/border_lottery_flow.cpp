// The general Border lottery for 2 bidders by a max flow (see border_lottery.hpp). Start from the
// highest-bidder rule (the higher bid wins, ties split), whose reduced form is G. A type with
// X_j > G_j (a deficit) must win some profiles against higher types; a type with X_i < G_i has
// slack to give. A transfer lets the lower type j win the profile (i, j), i > j: at most p_i p_j of
// mass per pair. Max flow: source -> slack type i (p_i (G_i - X_i)) -> deficit type j < i
// (p_i p_j) -> sink (p_j (X_j - G_j)). When it saturates the sink, the leftover slack of each type
// becomes no-sale, spread evenly over the profiles where it is highest. The lower bidder then wins
// exactly the deficits, the least any rule can (Border's theorem through a network flow).
#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>

#include "dia/border_lottery.hpp"
#include "numeric/compensated_sum.hpp"

namespace dia {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, double,
        boost::property<boost::edge_residual_capacity_t, double,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
using Edge = Traits::edge_descriptor;

struct FlowNetwork {
  explicit FlowNetwork(std::size_t nodes) : graph(nodes) {}
  Graph graph;
  Edge add(std::size_t from, std::size_t to, double capacity) {
    const Edge e = boost::add_edge(from, to, graph).first;
    const Edge r = boost::add_edge(to, from, graph).first;
    boost::put(boost::edge_capacity, graph, e, capacity);
    boost::put(boost::edge_capacity, graph, r, 0.0);
    boost::put(boost::edge_reverse, graph, e, r);
    boost::put(boost::edge_reverse, graph, r, e);
    return e;
  }
  double flow(Edge e) const {
    return boost::get(boost::edge_capacity, graph, e) -
           boost::get(boost::edge_residual_capacity, graph, e);
  }
};

}  // namespace

Expected<BorderLotteryProfiles> build_border_lottery_by_flow(const DiscreteTypes& t,
                                                             const std::vector<double>& X) {
  const std::size_t m = t.size();
  if (m == 0 || X.size() != m) {
    return fail(ErrorCode::kInvalidArgument, "the Border lottery needs one allocation per type");
  }
  if (m > kMaxBorderFlowTypes) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the Border lottery over bid profiles on {} types needs {} entries; "
                            "the limit is {} types",
                            m, m * m, kMaxBorderFlowTypes),
                "solve the design on a smaller --grid");
  }
  const auto& p = t.probabilities;
  std::vector<long double> g(m), change(m);  // G_i and X_i - G_i
  long double below = 0;
  for (std::size_t i = 0; i < m; ++i) {
    g[i] = below + p[i] / 2.0L;
    change[i] = X[i] - g[i];
    below += p[i];
  }
  // Nodes: 0 source, 1 sink, 2 + i type i.
  FlowNetwork net(m + 2);
  long double deficit = 0;
  for (std::size_t j = 0; j < m; ++j) {
    if (change[j] > 0) {
      net.add(2 + j, 1, static_cast<double>(p[j] * change[j]));
      deficit += p[j] * change[j];
    }
  }
  std::vector<std::vector<std::pair<std::size_t, Edge>>> transfers(m);
  for (std::size_t i = 0; i < m; ++i) {
    if (change[i] >= 0) continue;
    net.add(0, 2 + i, static_cast<double>(-p[i] * change[i]));
    for (std::size_t j = 0; j < i; ++j) {
      if (change[j] > 0) transfers[i].emplace_back(j, net.add(2 + i, 2 + j, p[i] * p[j]));
    }
  }
  const double flow = deficit > 0 ? boost::push_relabel_max_flow(net.graph, 0, 1) : 0.0;
  if (flow < static_cast<double>(deficit) * (1 - 1e-9) - 1e-15) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("no Border lottery implements this allocation: the types above can "
                            "give {:.6g} of the {:.6g} it needs below them (Border's condition)",
                            flow, static_cast<double>(deficit)));
  }
  BorderLotteryProfiles out;
  out.allocation.assign(m * m, 0.0);
  auto x = [&](std::size_t i, std::size_t j) -> double& { return out.allocation[i * m + j]; };
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < i; ++j) x(i, j) = 1.0;
    x(i, i) = 0.5;
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (change[i] >= 0) continue;
    long double given = 0;
    for (const auto& [j, e] : transfers[i]) {
      const double tau = std::clamp(net.flow(e) / (p[i] * p[j]), 0.0, 1.0);
      x(j, i) = tau;
      x(i, j) = 1 - tau;
      given += p[j] * (long double)tau;
    }
    // The rest of the slack: no sale, in proportion to what i still wins as the highest bidder.
    const long double still = g[i] - given, rest = -change[i] - given;
    const double keep =
        still > 0 ? static_cast<double>(std::clamp(1 - rest / still, 0.0L, 1.0L)) : 0.0;
    for (std::size_t j = 0; j < i; ++j) x(i, j) *= keep;
    x(i, i) *= keep;
  }
  detail::CompensatedSum lower_wins;
  for (std::size_t i = 0; i < m; ++i) {
    detail::CompensatedSum reduced;
    for (std::size_t j = 0; j < m; ++j) {
      reduced.add((long double)p[j] * x(i, j));
      if (i < j) lower_wins.add(2 * (long double)p[i] * p[j] * x(i, j));
      const double pair = i == j ? 2 * x(i, i) : x(i, j) + x(j, i);
      out.max_pair_violation = std::max(out.max_pair_violation, pair - 1);
    }
    out.max_reduced_form_error =
        std::max(out.max_reduced_form_error, std::fabs(reduced.value() - X[i]));
  }
  out.lower_bidder_wins = lower_wins.value();
  return out;
}

}  // namespace dia
