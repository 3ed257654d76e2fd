// Large arrays backed by 2 MB pages (issue 14: an empirical file of 10^6 lines). The first touch
// of a 4 KB page is a page fault, and on a virtual machine one costs several microseconds: filling
// 8 MB (10^6 doubles) takes 2048 of them. With transparent huge pages in "madvise" mode (Debian's
// default) the kernel maps 2 MB at a time in the ranges a program advises, one fault each. Only
// the 2 MB-aligned interior of an array's storage is advised, so no page beyond the storage is
// ever mapped: an array filled to its capacity costs no memory more than with 4 KB pages.
// Hand-written: glibc offers this only process-wide, through GLIBC_TUNABLES at startup.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dia::detail {

// Below this an array is not worth the system call (and has no aligned 2 MB inside anyway).
constexpr std::size_t kHugePageBytes = std::size_t{1} << 21;

// Advice only: where the kernel has no huge pages (or another mode), nothing changes.
inline void advise_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (bytes < 2 * kHugePageBytes) return;
  const auto first = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (first + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t end = (first + bytes) & ~(kHugePageBytes - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data, (void)bytes;
#endif
}

// reserve(n), with the storage advised before anything touches it.
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// std::vector<T>(n, value) on advised storage.
template <class T>
std::vector<T> huge_vector(std::size_t n, const T& value = T()) {
  std::vector<T> v;
  reserve_huge(v, n);
  v.assign(n, value);
  return v;
}

// A copy of `from` on advised storage.
template <class T>
std::vector<T> huge_copy(const std::vector<T>& from) {
  std::vector<T> v;
  reserve_huge(v, from.size());
  v.assign(from.begin(), from.end());
  return v;
}

}  // namespace dia::detail
