// The upper envelope of the deviation lines w -> X(w) (v - w) (RENT). For a nondecreasing X (every
// designer's) the lines arrive sorted by slope and are queried at increasing points: a stack of
// hull lines and a forward-moving pointer, O(m) time and no memory beyond the hull; the envelope
// is handed out type by type, so the audit never stores it. Otherwise a
// Li Chao tree over the sorted type values: O(m log m), 4m nodes. Hand-written: no Debian package
// offers either, and the audit must not reuse the solver's pointers (numeric/deviation_hull.hpp).
#include "audit/deviation_envelope.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "dia/audit.hpp"
#include "dia/error.hpp"
#include "numeric/huge_pages.hpp"

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

// Collects the envelope type by type and hands it to the visitor a block at a time.
class EnvelopeBlocks {
 public:
  explicit EnvelopeBlocks(const EnvelopeVisitor& visit) : visit_(visit) {}
  void push(double envelope) {
    block_[size_++] = envelope;
    if (size_ == block_.size()) flush();
  }
  void flush() {
    if (size_ == 0) return;
    visit_(first_, std::span<const double>(block_.data(), size_));
    first_ += size_;
    size_ = 0;
  }

 private:
  const EnvelopeVisitor& visit_;
  std::array<double, kEnvelopeBlock> block_;
  std::size_t first_ = 0, size_ = 0;
};

// The envelope for a nondecreasing X: for each k, the best of the lines j < k at w = v_k.
void monotone_envelope(std::span<const double> v, std::span<const double> x, EnvelopeBlocks& out) {
  // Increasing slopes; each line best on an interval, in order. Room for every line up front:
  // no regrowth copies (issue 14), and only the part used is ever touched.
  std::vector<std::size_t> hull;
  detail::reserve_huge(hull, v.size());
  std::size_t best = 0;  // the hull line best at the last query
  auto at = [&](std::size_t j, double w) { return x[j] * (w - v[j]); };
  // Line b is never strictly best once c is in: c meets b no later than b meets a. Cross-
  // multiplied in long double, where the intersections' numerators lose nothing.
  auto covered = [&](std::size_t a, std::size_t b, std::size_t c) {
    const long double meet_ab = (long double)x[b] * v[b] - (long double)x[a] * v[a];
    const long double meet_bc = (long double)x[c] * v[c] - (long double)x[b] * v[b];
    return meet_bc * ((long double)x[b] - x[a]) <= meet_ab * ((long double)x[c] - x[b]);
  };
  for (std::size_t k = 0; k < v.size(); ++k) {
    double envelope = 0.0;
    if (!hull.empty()) {
      while (best + 1 < hull.size() && at(hull[best + 1], v[k]) >= at(hull[best], v[k])) ++best;
      envelope = std::max(0.0, at(hull[best], v[k]));
    }
    out.push(envelope);
    // A line of slope 0 is 0 at best; one of the same slope as the last hull line lies below it.
    if (x[k] <= 0 || (!hull.empty() && x[hull.back()] == x[k])) continue;
    while (hull.size() >= 2 && covered(hull[hull.size() - 2], hull.back(), k)) hull.pop_back();
    // A removed best line lost to its predecessor or to line k: the best index never falls below
    // the last line kept.
    best = hull.empty() ? 0 : std::min(best, hull.size() - 1);
    hull.push_back(k);
  }
}

}  // namespace

void visit_deviation_envelope(std::span<const double> values, std::span<const double> allocation,
                              const EnvelopeVisitor& visit) {
  DIA_CHECK(values.size() == allocation.size());
  if (values.empty()) return;
  EnvelopeBlocks out(visit);
  if (std::is_sorted(allocation.begin(), allocation.end())) {
    monotone_envelope(values, allocation, out);
  } else {
    LiChaoTree tree(values);
    for (std::size_t k = 0; k < values.size(); ++k) {
      out.push(k > 0 ? std::max(0.0, tree.max_at(k)) : 0.0);
      tree.insert({allocation[k], values[k], true});
    }
  }
  out.flush();
}

std::vector<double> deviation_envelope(std::span<const double> values,
                                       std::span<const double> allocation) {
  std::vector<double> envelope(values.size(), 0.0);
  visit_deviation_envelope(values, allocation,
                           [&](std::size_t first, std::span<const double> block) {
                             std::copy(block.begin(), block.end(), envelope.begin() + first);
                           });
  return envelope;
}

}  // namespace dia
