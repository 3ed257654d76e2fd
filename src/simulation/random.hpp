// Random streams for the simulation (internal): PCG64 seeded per (seed, block) through
// SplitMix64, so that every block has its own well separated stream whatever the thread count.
#pragma once

#include <cmath>
#include <cstdint>
#include <pcg_random.hpp>

namespace dia::detail {

__extension__ using Uint128 = unsigned __int128;

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The stream of block `block` of a run seeded with `seed` (`purpose` separates independent uses
// of one seed, e.g. the Monte Carlo run and the audit's paired auctions).
inline pcg64 block_stream(std::uint64_t seed, std::uint64_t block, std::uint64_t purpose = 0) {
  const std::uint64_t a = splitmix64(seed ^ splitmix64(purpose + 0x51ed270b7f1c2a3dULL));
  const std::uint64_t s_hi = splitmix64(a ^ splitmix64(block));
  const std::uint64_t s_lo = splitmix64(s_hi + 1);
  const std::uint64_t i_hi = splitmix64(s_lo + 2);
  const std::uint64_t i_lo = splitmix64(i_hi + 3);
  const pcg_extras::pcg128_t state = (pcg_extras::pcg128_t(s_hi) << 64) | s_lo;
  const pcg_extras::pcg128_t stream = (pcg_extras::pcg128_t(i_hi) << 64) | i_lo;
  return pcg64(state, stream);
}

// Uniform on [0, 1) with 53 random bits.
template <class Rng>
inline double uniform01(Rng& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Uniform index in [0, count) (Lemire's multiply; bias < count / 2^64).
template <class Rng>
inline std::uint32_t uniform_index(Rng& rng, std::uint32_t count) {
  return static_cast<std::uint32_t>((static_cast<Uint128>(rng()) * count) >> 64);
}

// A standard normal by Box-Muller (one of the pair; no state kept, so streams stay aligned).
template <class Rng>
inline double standard_normal(Rng& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace dia::detail
