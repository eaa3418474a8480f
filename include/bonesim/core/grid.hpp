// Voxel grids: a shape with padded strides and a plain contiguous field over it.
//
// Rows are padded so that neither the row nor the plane stride is a multiple of a
// large power of two: power-of-two strides put neighbouring rows into the same cache
// sets and cost 2-9x in stencil sweeps on our machines (docs/ARCHITECTURE.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace bonesim {

using Index = std::ptrdiff_t;

struct GridShape {
  int nx = 0, ny = 0, nz = 0;  // voxels along x (fastest), y, z
  Index sx = 0;                // elements between (i, j, k) and (i, j + 1, k); sx >= nx
  Index sxy = 0;               // elements between (i, j, k) and (i, j, k + 1)

  // Shape with padded strides; throws std::invalid_argument for non-positive sizes.
  static GridShape make(int nx, int ny, int nz);

  Index index(int i, int j, int k) const { return i + j * sx + k * sxy; }
  Index storage_size() const { return sxy * nz; }
  Index voxel_count() const { return Index(nx) * ny * nz; }
  bool contains(int i, int j, int k) const {
    return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz;
  }
  bool operator==(const GridShape&) const = default;
};

// Cache-line aligned allocator so rows start on vector boundaries.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlign); }
  template <class U>
  bool operator==(const AlignedAllocator<U>&) const {
    return true;
  }
};

// A scalar per voxel. Padding elements exist in `data` but are never part of the grid.
template <class T>
struct Field {
  GridShape shape;
  std::vector<T, AlignedAllocator<T>> data;

  Field() = default;
  explicit Field(const GridShape& s, T value = T{}) : shape(s), data(s.storage_size(), value) {}

  T& operator()(int i, int j, int k) { return data[shape.index(i, j, k)]; }
  const T& operator()(int i, int j, int k) const { return data[shape.index(i, j, k)]; }
  T* row(int j, int k) { return data.data() + shape.index(0, j, k); }
  const T* row(int j, int k) const { return data.data() + shape.index(0, j, k); }
};

// A bone / marrow (or any two-phase) mask: 1 = phase present, 0 = absent.
using Mask = Field<std::uint8_t>;

}  // namespace bonesim
