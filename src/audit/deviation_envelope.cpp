// The upper envelope of the deviation lines w -> X(w) (v - w) (RENT), by a Li Chao tree over the
// sorted type values: O(m log m) for any allocation, monotone or not. Hand-written: no Debian
// package offers a Li Chao tree, and the audit must not reuse the solver's pointers.
#include <limits>
#include <vector>

#include "dia/audit.hpp"
#include "dia/error.hpp"

namespace dia {
namespace {

struct DeviationLine {
  double allocation = 0;  // X(w)
  double bid = 0;         // w
  bool present = false;
  // Written as X (v - w), not X v - X w, to avoid cancellation.
  double at(double value) const {
    return present ? allocation * (value - bid) : -std::numeric_limits<double>::infinity();
  }
};

class LiChaoTree {
 public:
  explicit LiChaoTree(std::span<const double> points)
      : points_(points), nodes_(4 * points.size()) {}

  void insert(DeviationLine line) { insert(line, 1, 0, points_.size() - 1); }

  double max_at(std::size_t index) const {
    double best = -std::numeric_limits<double>::infinity();
    std::size_t node = 1, lo = 0, hi = points_.size() - 1;
    while (true) {
      best = std::max(best, nodes_[node].at(points_[index]));
      if (lo == hi) return best;
      const std::size_t mid = (lo + hi) / 2;
      if (index <= mid) {
        node = 2 * node, hi = mid;
      } else {
        node = 2 * node + 1, lo = mid + 1;
      }
    }
  }

 private:
  void insert(DeviationLine line, std::size_t node, std::size_t lo, std::size_t hi) {
    while (true) {
      DeviationLine& here = nodes_[node];
      const std::size_t mid = (lo + hi) / 2;
      if (line.at(points_[mid]) > here.at(points_[mid])) std::swap(line, here);
      if (!line.present || lo == hi) return;
      // The loser can beat the winner on at most one side of mid.
      if (line.at(points_[lo]) > here.at(points_[lo])) {
        node = 2 * node, hi = mid;
      } else if (line.at(points_[hi]) > here.at(points_[hi])) {
        node = 2 * node + 1, lo = mid + 1;
      } else {
        return;
      }
    }
  }

  std::span<const double> points_;
  std::vector<DeviationLine> nodes_;
};

}  // namespace

std::vector<double> deviation_envelope(std::span<const double> values,
                                       std::span<const double> allocation) {
  DIA_CHECK(values.size() == allocation.size());
  std::vector<double> envelope(values.size(), 0.0);
  if (values.empty()) return envelope;
  LiChaoTree tree(values);
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k > 0) envelope[k] = std::max(0.0, tree.max_at(k));
    tree.insert({allocation[k], values[k], true});
  }
  return envelope;
}

}  // namespace dia
