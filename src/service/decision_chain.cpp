// The hash chain of decision secrets (see decision_chain.hpp).
#include "service/decision_chain.hpp"

#include <openssl/sha.h>

#include <cstring>

#include "dia/error.hpp"
#include "dia/lottery.hpp"

namespace dia::service {

DecisionChain::DecisionChain(std::int64_t id, const std::string& top_secret_hex,
                             std::int64_t length)
    : id_(id), links_(static_cast<std::size_t>(length) + 1) {
  const std::string top = hex_decode(top_secret_hex);
  DIA_CHECK(top.size() == 32 && length >= 1);
  std::memcpy(links_.back().data(), top.data(), 32);
  for (auto k = static_cast<std::size_t>(length); k > 0; --k) {
    SHA256(links_[k].data(), 32, links_[k - 1].data());
  }
}

std::string DecisionChain::secret_hex(std::int64_t k) const {
  const auto& link = links_.at(static_cast<std::size_t>(k));
  return hex_encode({reinterpret_cast<const char*>(link.data()), link.size()});
}

}  // namespace dia::service
