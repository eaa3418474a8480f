// The one parallel-loop idiom of bonesim (oneTBB underneath).
//
// Every loop over voxels, rows or cells goes through these helpers. Work is split
// into fixed blocks that do not depend on the number of threads, so reductions
// through `deterministic_sum` give bit-identical results at any thread count.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <algorithm>
#include <vector>

#include "bonesim/core/grid.hpp"

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace bonesim {

namespace detail {
// ThreadSanitizer cannot see the fork and join inside Debian's uninstrumented libtbb,
// so it would report every loop body's writes read after the loop. Under TSan these
// two edges are declared: what precedes a loop happens before its tasks, and every
// task happens before what follows the loop. Tasks get no edges among themselves, so
// races between loop bodies are still reported. No code at all in other builds.
struct ForkJoin {
#if defined(__SANITIZE_THREAD__)
  char fork_sync = 0, join_sync = 0;
  ForkJoin() {
    forked();
  }
  void forked() {
    __tsan_release(&fork_sync);
  }  // again, after building the task bodies
  void task_begins() {
    __tsan_acquire(&fork_sync);
  }
  void task_ends() {
    __tsan_release(&join_sync);
  }
  void joined() {
    __tsan_acquire(&join_sync);
  }
#else
  void forked() {}
  void task_begins() {}
  void task_ends() {}
  void joined() {}
#endif
};
}  // namespace detail

// fn(i) for i in [begin, end).
template <class F>
void parallel_for(Index begin, Index end, F&& fn, Index grain = 1) {
  if (end <= begin) return;
  detail::ForkJoin sync;
  tbb::parallel_for(tbb::blocked_range<Index>(begin, end, grain),
                    [&](const tbb::blocked_range<Index>& r) {
                      sync.task_begins();
                      for (Index i = r.begin(); i != r.end(); ++i) fn(i);
                      sync.task_ends();
                    });
  sync.joined();
}

// fn(j, k) once per grid row; the row is the unit of vectorisable work.
template <class F>
void for_each_row(const GridShape& g, F&& fn) {
  parallel_for(
      0, Index(g.ny) * g.nz, [&](Index r) { fn(int(r % g.ny), int(r / g.ny)); }, 4);
}

// fn(i, j, k) for every voxel of the grid.
template <class F>
void for_each_voxel(const GridShape& g, F&& fn) {
  for_each_row(g, [&](int j, int k) {
    for (int i = 0; i < g.nx; ++i) fn(i, j, k);
  });
}

// Sum of fn(i) over [begin, end): fixed blocks of `grain` summed in parallel, then
// combined pairwise in a fixed tree, so the bits do not depend on the thread count.
// (Built on parallel_for rather than tbb::parallel_deterministic_reduce so that the
// whole reduction carries the ForkJoin edges that ThreadSanitizer needs.)
template <class T, class F>
T deterministic_sum(Index begin, Index end, F&& fn, Index grain = 64) {
  if (end <= begin) return T{};
  const Index blocks = (end - begin + grain - 1) / grain;
  std::vector<T> partial(static_cast<std::size_t>(blocks));
  parallel_for(0, blocks, [&](Index b) {
    const Index lo = begin + b * grain, hi = std::min(end, lo + grain);
    T acc{};
    for (Index i = lo; i < hi; ++i) acc += fn(i);
    partial[std::size_t(b)] = acc;
  });
  for (Index width = 1; width < blocks; width *= 2) {
    for (Index b = 0; b + width < blocks; b += 2 * width) {
      partial[std::size_t(b)] += partial[std::size_t(b + width)];
    }
  }
  return partial[0];
}

// Sum over rows of fn(j, k) with the same determinism guarantee.
template <class T, class F>
T deterministic_row_sum(const GridShape& g, F&& fn) {
  return deterministic_sum<T>(
      0, Index(g.ny) * g.nz, [&](Index r) { return fn(int(r % g.ny), int(r / g.ny)); }, 4);
}

}  // namespace bonesim
