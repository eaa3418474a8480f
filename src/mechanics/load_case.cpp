#include "bonesim/mechanics/load_case.hpp"

#include <numeric>
#include <stdexcept>

#include "bonesim/core/parallel.hpp"

namespace bonesim {
namespace {

std::int32_t find_root(std::vector<std::int32_t>& parent, std::int32_t a) {
  while (parent[std::size_t(a)] != a) {
    parent[std::size_t(a)] = parent[std::size_t(parent[std::size_t(a)])];  // path halving
    a = parent[std::size_t(a)];
  }
  return a;
}

}  // namespace

FeComponents find_components(const FeMesh& mesh) {
  const GridShape& g = mesh.elements;
  const auto lin = [&](int i, int j, int k) { return std::int32_t(i + g.nx * (j + g.ny * k)); };
  // Union-find over elements, serial in grid order so labels never depend on threads.
  std::vector<std::int32_t> parent(std::size_t(g.voxel_count()));
  std::iota(parent.begin(), parent.end(), 0);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        if (mesh.modulus(i, j, k) == 0) continue;
        // Half of the 26 neighbours (those earlier in grid order): sharing any node joins.
        for (int dk = -1; dk <= 0; ++dk)
          for (int dj = -1; dj <= 1; ++dj)
            for (int di = -1; di <= 1; ++di) {
              if (dk == 0 && (dj > 0 || (dj == 0 && di >= 0))) continue;
              if (mesh.modulus(i + di, j + dj, k + dk) == 0) continue;  // halo reads 0
              const std::int32_t a = find_root(parent, lin(i, j, k));
              const std::int32_t b = find_root(parent, lin(i + di, j + dj, k + dk));
              if (a != b) parent[std::size_t(std::max(a, b))] = std::min(a, b);
            }
      }
  FeComponents out;
  std::vector<std::int32_t> comp_of_root(parent.size(), -1);
  std::vector<std::int32_t> label(parent.size(), -1);
  const int n[3] = {g.nx, g.ny, g.nz};
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        if (mesh.modulus(i, j, k) == 0) continue;
        const std::int32_t r = find_root(parent, lin(i, j, k));
        std::int32_t& c = comp_of_root[std::size_t(r)];
        if (c < 0) {
          c = std::int32_t(out.list.size());
          FeComponent fc;
          for (auto& a : fc.anchor) a = {-1, -1, -1};
          out.list.push_back(fc);
        }
        label[std::size_t(lin(i, j, k))] = c;
        FeComponent& fc = out.list[std::size_t(c)];
        const int x[3] = {i, j, k};
        for (int a = 0; a < 3; ++a) {
          if (x[a] == 0) {
            if (!(fc.faces & (1 << (2 * a)))) fc.anchor[std::size_t(a)] = {i, j, k};
            fc.faces |= std::uint8_t(1 << (2 * a));
          }
          if (x[a] == n[a] - 1) fc.faces |= std::uint8_t(1 << (2 * a + 1));
        }
      }
  out.bearing = Mask(g, 0);
  for_each_voxel(g, [&](int i, int j, int k) {
    const std::int32_t c = label[std::size_t(lin(i, j, k))];
    if (c < 0) return;
    std::uint8_t bits = 0;
    for (int a = 0; a < 3; ++a) bits |= std::uint8_t(out.list[std::size_t(c)].bears(a) << a);
    out.bearing(i, j, k) = bits;
  });
  return out;
}

DofMask prescribe(const FeMesh& mesh, const FeComponents& comps, const LoadCase& load,
                  std::vector<double>& u) {
  if (load.axis < 0 || load.axis > 2) throw std::invalid_argument("axis: must be 0, 1 or 2");
  const GridShape& g = mesh.elements;
  const int n[3] = {g.nx, g.ny, g.nz};
  const int ax = load.axis;
  const double top = load.strain * n[ax] * mesh.h_um;  // u_axis on the max plate
  const std::uint8_t axis_bit = std::uint8_t(1 << ax);
  DofMask fixed(std::size_t(mesh.node_count), 0);
  u.resize(3 * std::size_t(mesh.node_count), 0.0);
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  for_each_voxel(nodes, [&](int i, int j, int k) {
    const std::int32_t p = mesh.node(i, j, k);
    if (p < 0) return;
    double* up = u.data() + 3 * Index(p);
    std::uint8_t& f = fixed[std::size_t(p)];
    bool bears = false;
    for (int e = 0; e < 8; ++e) {
      const int ei = i - 1 + (e & 1), ej = j - 1 + ((e >> 1) & 1), ek = k - 1 + (e >> 2);
      if (g.contains(ei, ej, ek)) bears |= (comps.bearing(ei, ej, ek) & axis_bit) != 0;
    }
    if (!bears) {  // carries no load: held at zero so that K stays definite
      f = 7;
      up[0] = up[1] = up[2] = 0;
      return;
    }
    const int x[3] = {i, j, k};
    const bool lo = x[ax] == 0, hi = x[ax] == n[ax];
    if (lo || hi) {
      f |= axis_bit;
      up[ax] = lo ? 0.0 : top;
      if (load.lateral == LoadCase::Lateral::kFixedPlates) {
        for (int l = 0; l < 3; ++l)
          if (l != ax) f |= std::uint8_t(1 << l), up[l] = 0;
      }
    }
    if (load.lateral == LoadCase::Lateral::kConfined) {
      for (int l = 0; l < 3; ++l)
        if (l != ax && (x[l] == 0 || x[l] == n[l])) f |= std::uint8_t(1 << l), up[l] = 0;
    }
  });
  if (load.lateral == LoadCase::Lateral::kFixedPlates) return fixed;
  // Rigid modes left by slipping plates: translation along the lateral axes l1, l2 and
  // rotation about the loading axis. Rollers on a side face normal to l hold translation
  // along l and the rotation. Pins: both lateral dofs of anchor node A, and the l2 dof of
  // B = A + e_l1 (a rotation about the axis moves B along l2). A statically determinate
  // support of a body whose loads are in equilibrium carries no reaction, so the
  // solution is that of the unpinned problem (Timoshenko & Goodier, Theory of
  // Elasticity, 1970, section 1; Hughes 2000, section 2.12 on singular stiffness).
  const int l1 = (ax + 1) % 3, l2 = (ax + 2) % 3;
  for (const FeComponent& c : comps.list) {
    if (!c.bears(ax)) continue;
    const bool confined = load.lateral == LoadCase::Lateral::kConfined;
    const bool held1 = confined && ((c.faces >> (2 * l1)) & 3) != 0;
    const bool held2 = confined && ((c.faces >> (2 * l2)) & 3) != 0;
    const std::array<int, 3>& a = c.anchor[std::size_t(ax)];
    std::array<int, 3> b = a;
    b[std::size_t(l1)] += 1;
    const std::int32_t pa = mesh.node(a[0], a[1], a[2]), pb = mesh.node(b[0], b[1], b[2]);
    if (!held1) fixed[std::size_t(pa)] |= std::uint8_t(1 << l1), u[3 * std::size_t(pa) + l1] = 0;
    if (!held2) fixed[std::size_t(pa)] |= std::uint8_t(1 << l2), u[3 * std::size_t(pa) + l2] = 0;
    if (!held1 && !held2) {
      fixed[std::size_t(pb)] |= std::uint8_t(1 << l2);
      u[3 * std::size_t(pb) + l2] = 0;
    }
  }
  return fixed;
}

}  // namespace bonesim
