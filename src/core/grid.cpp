#include "bonesim/core/grid.hpp"

#include <stdexcept>
#include <string>

namespace bonesim {

namespace {
// Round up to whole 64-byte lines of floats and step off strides that are multiples
// of 128 elements (512 bytes for float, 1 KiB for double): those map rows and planes
// onto few cache sets.
Index padded(Index n) {
  constexpr Index kLine = 16;
  constexpr Index kBad = 128;
  Index p = (n + kLine - 1) / kLine * kLine;
  if (p % kBad == 0) p += kLine;
  return p;
}
}  // namespace

GridShape GridShape::make(int nx, int ny, int nz) {
  if (nx <= 0 || ny <= 0 || nz <= 0) {
    throw std::invalid_argument("grid size must be positive, got " + std::to_string(nx) + " x " +
                                std::to_string(ny) + " x " + std::to_string(nz));
  }
  GridShape s;
  s.nx = nx;
  s.ny = ny;
  s.nz = nz;
  s.sx = padded(nx);
  s.sxy = s.sx * ny;
  if (s.sxy % 128 == 0) s.sxy += 16;
  return s;
}

}  // namespace bonesim
