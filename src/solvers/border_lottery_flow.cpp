// The general Border lottery by a max flow (see border_lottery.hpp). Start from the highest-bidder
// rule (the highest bid wins, ties split), whose reduced form is G. A type with X_j > G_j (a
// deficit) must win some profiles against higher types; a type with X_i < G_i has slack to give.
// At a profile topped by type i, one of the lower bidders is drawn uniformly; if its type is j, it
// gets the item with probability tau_ij: type j gains w_i tau_ij, at most p_j w_i of mass per
// pair (for 2 bidders w_i = p_i). Max flow: source -> slack type i (p_i (G_i - X_i)) -> any lower
// type j (p_j w_i) -> ... -> deficit type (p_j (X_j - G_j)) -> sink. When it saturates the sink,
// the leftover slack of each type becomes no-sale, spread evenly over the profiles where it is
// highest. (Border's theorem through a network flow; verified, not assumed: see the tests.)
#include "border_lottery_flow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <cstdint>
#include <memory>

#include "dia/border_lottery.hpp"
#include "numeric/highest_bidder.hpp"

namespace dia {
namespace {

// Capacities are integers: probability mass in units of 2^-60, rounded down. Push-relabel on
// doubles does not conserve flow exactly (its own debug check, is_flow(), fails on these
// networks); on integers it is exact, and FlowNetwork::conserves verifies it in every build.
// Rounding down keeps the flow within the true capacities: every tau stays in [0, 1] and no type
// gives up more than its slack. The deficits are carried short by at most 2^-60 of mass per edge,
// which the reduced-form error, recomputed from the taus, includes. The largest total on any node
// is at most the source's (sum_i p_i G_i = 1/n), so 2^60 units cannot overflow 64 bits.
using Units = std::int64_t;
constexpr long double kUnitsPerMass = 0x1p60L;

// The network is stored as a compressed sparse row graph (Boost.Graph) with exterior capacity,
// residual and reverse-arc maps: one allocation per array instead of one per arc, which on the
// up to 2 x 4 million arcs of a fine grid took most of the design's time (issue 16).
using Graph = boost::compressed_sparse_row_graph<boost::directedS>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// As BorderLottery::build (ex_post.hpp): how far the rule's reduced form may be from X.
constexpr double kReducedFormTolerance = 1e-7;

Units to_units(long double mass) {
  return mass > 0 ? static_cast<Units>(std::floor(mass * kUnitsPerMass)) : 0;
}

// Arcs are added first (each edge with its reverse arc of capacity 0), then the graph is built and
// the max flow run once. An edge's id is its position among the added edges.
class FlowNetwork {
 public:
  explicit FlowNetwork(std::size_t nodes) : nodes_(nodes) {}

  void reserve(std::size_t edges) { arcs_.reserve(2 * edges); }

  std::size_t add(std::size_t from, std::size_t to, long double mass) {
    arcs_.push_back({from, to, to_units(mass)});
    arcs_.push_back({to, from, 0});
    return arcs_.size() / 2 - 1;
  }

  // Push-relabel from node 0 to node 1; then `flow` and `conserved` read the result.
  Units max_flow() {
    // Counting sort of the arcs by their tail: the CSR graph numbers its edges in that order.
    std::vector<std::size_t> start(nodes_ + 1, 0);
    for (const Arc& a : arcs_) ++start[a.from + 1];
    for (std::size_t u = 0; u < nodes_; ++u) start[u + 1] += start[u];
    position_.resize(arcs_.size());
    std::vector<std::pair<std::size_t, std::size_t>> sorted(arcs_.size());
    for (std::size_t i = 0; i < arcs_.size(); ++i) {
      position_[i] = start[arcs_[i].from]++;
      sorted[position_[i]] = {arcs_[i].from, arcs_[i].to};
    }
    graph_ = Graph(boost::edges_are_sorted, sorted.begin(), sorted.end(), nodes_);
    capacity_.assign(arcs_.size(), 0);
    std::vector<Edge> reverse(arcs_.size());
    for (std::size_t i = 0; i < arcs_.size(); ++i) {
      capacity_[position_[i]] = arcs_[i].capacity;
      reverse[position_[i]] = Edge(arcs_[i ^ 1].from, position_[i ^ 1]);
    }
    // Residuals start at the capacities (no flow), as push-relabel also sets them.
    residual_ = capacity_;
    const auto index = boost::get(boost::edge_index, graph_);
    return boost::push_relabel_max_flow(graph_, 0, 1,
                                        boost::make_iterator_property_map(capacity_.begin(), index),
                                        boost::make_iterator_property_map(residual_.begin(), index),
                                        boost::make_iterator_property_map(reverse.begin(), index),
                                        boost::get(boost::vertex_index, graph_));
  }

  Units flow(std::size_t arc) const {
    if (position_.empty()) return 0;  // max_flow not run: no flow
    const std::size_t at = position_[arc];
    return capacity_[at] - residual_[at];
  }
  long double mass(std::size_t edge) const {
    return static_cast<long double>(flow(2 * edge)) / kUnitsPerMass;
  }

  // The flow's own certificate, checked in every build: no arc carries more than its capacity,
  // each reverse arc carries its partner's flow negated (so no forward arc carries less than
  // 0), every node but the source and the sink passes on exactly what it receives, and the
  // source sends and the sink receives `value`.
  bool conserves(Units value) const {
    std::vector<Units> balance(nodes_, 0);
    for (std::size_t i = 0; i < arcs_.size(); ++i) {
      const Units f = flow(i);
      if (f > arcs_[i].capacity || f != -flow(i ^ 1)) return false;
      if (f <= 0) continue;
      balance[arcs_[i].from] -= f;
      balance[arcs_[i].to] += f;
    }
    for (std::size_t u = 2; u < balance.size(); ++u) {
      if (balance[u] != 0) return false;
    }
    return balance[0] == -value && balance[1] == value;
  }

 private:
  struct Arc {
    std::size_t from, to;
    Units capacity;
  };
  std::size_t nodes_;
  std::vector<Arc> arcs_;              // edge e: arcs 2e (forward) and 2e + 1 (reverse)
  std::vector<std::size_t> position_;  // arc -> its edge index in the graph
  Graph graph_;
  std::vector<Units> capacity_, residual_;  // by edge index
};

}  // namespace

Expected<TransferLottery> build_transfer_lottery(const DiscreteTypes& types,
                                                 const std::vector<double>& allocation,
                                                 int bidders) {
  return detail::build_transfer_lottery_capped(types, allocation, bidders, kMaxBorderFlowEdges);
}

Expected<TransferLottery> detail::build_transfer_lottery_capped(const DiscreteTypes& t,
                                                                const std::vector<double>& X, int n,
                                                                std::size_t max_thin_edges) {
  const std::size_t m = t.size();
  if (m == 0 || X.size() != m || n < 2) {
    return fail(ErrorCode::kInvalidArgument,
                "the Border lottery needs n >= 2 bidders and one allocation per type");
  }
  const auto& p = t.probabilities;
  // G_i; w_i = E[1{the others' top type is i} / (n - #others at i)], the chance that a bidder
  // below i is the one drawn at a profile topped by i; and X_i - G_i.
  const std::vector<long double> g = detail::highest_probabilities(p, n);
  std::vector<long double> w(m), change(m);
  long double below = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const long double at_or_below = std::min(below + p[i], 1.0L);
    long double choose = 1;
    for (int k = 1; k <= n - 1; ++k) {
      choose = choose * (n - k) / k;  // C(n-1, k)
      w[i] += choose * std::pow((long double)p[i], k) * std::pow(below, n - 1 - k) / (n - k);
    }
    change[i] = X[i] - g[i];
    below = at_or_below;
  }
  // Too many slack-deficit pairs (a long stretch of types below G under a fine grid): keep every
  // stride-th pair, spread evenly; the flow and the reduced-form check below decide whether the
  // thinner network still carries the excess. A network of kFirstBorderFlowEdges pairs is tried
  // first (it usually carries, and the full one costs seconds on 20000 types), then
  // max_thin_edges.
  std::size_t direct = 0;
  std::vector<std::size_t> deficit_types;  // increasing
  for (std::size_t i = 0; i < m; ++i) {
    if (change[i] < 0) direct += deficit_types.size();
    if (change[i] > 0) deficit_types.push_back(i);
  }
  auto stride_for = [&](std::size_t edges) {
    return std::max<std::size_t>(1, (direct + edges - 1) / edges);
  };
  // Nodes: 0 source, 1 sink, 2 + i type i, 2 + m + i what type i receives from above. First only
  // slack types give to deficit types: then lower bidders win exactly the deficits, the least
  // any rule can. If that cannot carry them, transfers may also pass through a type (it wins at
  // profiles topped by higher types and gives up as many where it is on top), receiving at most
  // X_i (else it would have to keep less than nothing).
  struct Network {
    FlowNetwork net;
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> edges;  // (j, edge) per i
    Units flow = 0;
    bool conserved = true;
  };
  long double deficit = 0;
  Units deficit_units = 0;  // what the sink can take: the deficits, rounded down
  for (std::size_t i = 0; i < m; ++i) {
    deficit += p[i] * std::max(0.0L, change[i]);
    deficit_units += to_units(p[i] * change[i]);
  }
  auto solve = [&](bool pass_through, std::size_t stride) {
    auto network = std::make_unique<Network>(Network{
        FlowNetwork(2 * m + 2), std::vector<std::vector<std::pair<std::size_t, std::size_t>>>(m)});
    Network& built = *network;
    built.net.reserve(3 * m + (pass_through ? m * (m - 1) / 2 : direct / stride + m));
    for (std::size_t i = 0; i < m; ++i) {
      if (change[i] > 0) built.net.add(2 + i, 1, p[i] * change[i]);
      if (change[i] < 0) built.net.add(0, 2 + i, -p[i] * change[i]);
      built.net.add(2 + m + i, 2 + i, p[i] * X[i]);
      if (pass_through) {
        for (std::size_t j = 0; j < i; ++j) {
          built.edges[i].emplace_back(j, built.net.add(2 + i, 2 + m + j, p[j] * w[i]));
        }
      } else if (change[i] < 0) {
        for (std::size_t j : deficit_types) {
          if (j >= i) break;
          if ((i + j) % stride != 0) continue;
          built.edges[i].emplace_back(j, built.net.add(2 + i, 2 + m + j, p[j] * w[i]));
        }
      }
    }
    built.flow = deficit_units > 0 ? built.net.max_flow() : 0;
    built.conserved = built.net.conserves(built.flow);
    return network;
  };
  auto carries = [&](const Network& tried) {
    return tried.flow >= deficit_units - deficit_units / 1'000'000'000'000;
  };
  std::size_t stride = stride_for(std::min(kFirstBorderFlowEdges, max_thin_edges));
  std::unique_ptr<Network> solved = solve(false, stride);
  if (!carries(*solved) && stride > stride_for(max_thin_edges)) {
    stride = stride_for(max_thin_edges);
    solved = solve(false, stride);
  }
  if (!carries(*solved) && m * (m - 1) / 2 <= kMaxBorderFlowEdges) solved = solve(true, 1);
  if (!carries(*solved) && stride > 1) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the Border lottery's flow on {} types needs more than its {} edges", m,
                            max_thin_edges),
                "solve the design on a smaller --grid");
  }
  const Network& network = *solved;
  if (!network.conserved) {
    return fail(ErrorCode::kAuditFailed,
                fmt::format("the Border lottery's max flow on {} types is not a flow (capacity "
                            "or conservation fails)",
                            m));
  }
  TransferLottery out;
  out.keep.assign(m, 1.0);
  std::vector<long double> gain(m, 0), loss(m, 0);
  for (std::size_t i = 0; i < m; ++i) {
    for (const auto& [j, e] : network.edges[i]) {
      const auto tau =
          static_cast<double>(std::clamp(network.net.mass(e) / (p[j] * w[i]), 0.0L, 1.0L));
      if (tau <= 0) continue;
      out.transfers.push_back({i, j, tau});
      gain[j] += w[i] * tau;
      loss[i] += p[j] * w[i] * tau / p[i];
    }
  }
  // What is left of each type's slack: no sale, in proportion to what it still wins on top:
  // X_i = keep_i (G_i - loss_i) + gain_i.
  for (std::size_t i = 0; i < m; ++i) {
    const long double still = g[i] - loss[i];
    out.keep[i] =
        still > 0 ? static_cast<double>(std::clamp((X[i] - gain[i]) / still, 0.0L, 1.0L)) : 0.0;
  }
  for (std::size_t i = 0; i < m; ++i) {
    const long double reduced = out.keep[i] * (g[i] - loss[i]) + gain[i];
    out.max_reduced_form_error =
        std::max(out.max_reduced_form_error, static_cast<double>(std::fabs(reduced - X[i])));
    out.lower_bidder_wins += static_cast<double>(n * p[i] * gain[i]);
  }
  // X from an LP sits on Border's bound up to its rounding, which the flow may fall short by.
  if (out.max_reduced_form_error > kReducedFormTolerance) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("no Border lottery implements this allocation: the types above can "
                            "give {:.9g} of the {:.9g} it needs below them, missing X by {:.1e}",
                            static_cast<double>(network.flow / kUnitsPerMass),
                            static_cast<double>(deficit), out.max_reduced_form_error));
  }
  return out;
}

Expected<BorderLotteryProfiles> build_border_lottery_by_flow(const DiscreteTypes& t,
                                                             const std::vector<double>& X) {
  if (t.size() > kMaxBorderFlowTypes) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("the Border lottery over bid profiles on {} types has {} entries; the "
                            "limit is {} types",
                            t.size(), t.size() * t.size(), kMaxBorderFlowTypes),
                "solve the design on a smaller --grid");
  }
  auto transfers = build_transfer_lottery(t, X, 2);
  if (!transfers) return tl::unexpected(transfers.error());
  const std::size_t m = t.size();
  const auto& p = t.probabilities;
  // Two bidders: the drawn lower bidder is the other one, so x[j,i] = tau_ij and the higher
  // bidder keeps (1 - tau_ij) keep_i.
  BorderLotteryProfiles out;
  out.allocation.assign(m * m, 0.0);
  auto x = [&](std::size_t i, std::size_t j) -> double& { return out.allocation[i * m + j]; };
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < i; ++j) x(i, j) = transfers->keep[i];
    x(i, i) = transfers->keep[i] / 2;
  }
  for (const auto& [top, lower, tau] : transfers->transfers) {
    x(lower, top) = tau;
    x(top, lower) = (1 - tau) * transfers->keep[top];
  }
  measure_profiles(p, X, out);
  return out;
}

}  // namespace dia
