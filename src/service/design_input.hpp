// The design of a POST /v1/designs or POST /v1/auctions body, ready to run: a saved reduced form
// checked and built, or the optimiser's design (slow: computed on the handler thread, after
// authentication, and kept in a bounded cache).
#pragma once

#include <memory>

#include "service/house.hpp"
#include "service/lru_cache.hpp"

namespace dia::service {

class DesignInput {
 public:
  static constexpr std::size_t kCacheCapacity = 64;

  // `body` holds values, bidders and optionally reduced_form (other keys are the caller's); or
  // bidders as a list of bidder classes ["K*SPEC", "SPEC", ...] (design_classes.cpp).
  std::shared_ptr<const PreparedDesign> prepare(const json& body);
  std::size_t cached() const { return cache_.size(); }

 private:
  std::shared_ptr<const PreparedDesign> prepare_classes(const json& body);

  LruCache<std::shared_ptr<const PreparedDesign>> cache_{kCacheCapacity};
};

}  // namespace dia::service
