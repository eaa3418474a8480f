#include "bonesim/lattice/smallest_selection.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

namespace {

constexpr int kSlicesPerBlock = 4;  // fixed blocks of z-slices, one partial histogram each
constexpr int kBuckets = 1 << 16;

// Histogram of 16 bits of the ordered bit patterns of the values <= limit: the upper
// half of all of them (upper < 0), or the lower half of those whose upper half is `upper`.
std::vector<Index> histogram16(const Field<float>& f, float limit, int upper) {
  const GridShape& g = f.shape;
  const Index blocks = (g.nz + kSlicesPerBlock - 1) / kSlicesPerBlock;
  std::vector<std::vector<std::uint32_t>> part(blocks);
  parallel_for(0, blocks, [&](Index b) {
    std::vector<std::uint32_t> h(kBuckets, 0);
    const int k1 = std::min<int>(g.nz, int(b + 1) * kSlicesPerBlock);
    for (int k = int(b) * kSlicesPerBlock; k < k1; ++k)
      for (int j = 0; j < g.ny; ++j) {
        const float* row = f.row(j, k);
        for (int i = 0; i < g.nx; ++i) {
          if (!(row[i] <= limit)) continue;
          const std::uint32_t bits = std::bit_cast<std::uint32_t>(row[i]);
          if (upper < 0) {
            ++h[bits >> 16];
          } else if (int(bits >> 16) == upper) {
            ++h[bits & 0xffffu];
          }
        }
      }
    part[b] = std::move(h);
  });
  std::vector<Index> sum(kBuckets, 0);  // integer sums: exact in any order
  for (const auto& h : part)
    for (int q = 0; q < kBuckets; ++q) sum[q] += h[q];
  return sum;
}

// Bucket holding the n-th smallest (1-based); `below` gets the count before it.
int bucket_of(const std::vector<Index>& h, Index n, Index& below) {
  below = 0;
  for (int q = 0; q < int(h.size()); ++q) {
    if (below + h[q] >= n) return q;
    below += h[q];
  }
  return -1;
}

}  // namespace

SmallestSelection select_smallest(const Field<float>& f, Index n, float limit) {
  SmallestSelection s;
  if (n < 1) return s;
  Index below_hi = 0, below_lo = 0;
  const int upper = bucket_of(histogram16(f, limit, -1), n, below_hi);
  if (upper < 0) return s;
  const int lower = bucket_of(histogram16(f, limit, upper), n - below_hi, below_lo);
  s.value = std::bit_cast<float>((std::uint32_t(upper) << 16) | std::uint32_t(lower));
  s.ties_taken = n - below_hi - below_lo;
  s.found = true;
  return s;
}

Mask selected_mask(const Field<float>& f, const SmallestSelection& sel) {
  const GridShape& g = f.shape;
  Mask m(g, 0);
  if (!sel.found) return m;
  std::vector<Index> ties(std::size_t(g.nz) + 1, 0);  // ties in slices before k, after the scan
  parallel_for(0, g.nz, [&](Index k) {
    Index n = 0;
    for (int j = 0; j < g.ny; ++j) {
      const float* row = f.row(j, int(k));
      for (int i = 0; i < g.nx; ++i) n += row[i] == sel.value;
    }
    ties[k + 1] = n;
  });
  for (int k = 0; k < g.nz; ++k) ties[k + 1] += ties[k];
  parallel_for(0, g.nz, [&](Index k) {
    Index allowed = std::max<Index>(0, sel.ties_taken - ties[k]);
    for (int j = 0; j < g.ny; ++j) {
      const float* row = f.row(j, int(k));
      std::uint8_t* out = m.row(j, int(k));
      for (int i = 0; i < g.nx; ++i) {
        bool in = row[i] < sel.value;
        if (row[i] == sel.value && allowed > 0) in = true, --allowed;
        out[i] = in ? 1 : 0;
      }
    }
  });
  return m;
}

}  // namespace bonesim
