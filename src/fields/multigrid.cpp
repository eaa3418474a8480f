// Geometric multigrid for the backward-Euler diffusion operator (include/bonesim/fields/
// multigrid.hpp). Cell-centred coarsening by 2 (Trottenberg et al. 2001, ch. 2.8), red-black
// Gauss-Seidel smoothing (Briggs, Henson & McCormick 2000, ch. 3).
#include "bonesim/fields/multigrid.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/components.hpp"

namespace bonesim {

namespace {

// Red-black sweeps before and after each coarse-grid correction: V(2,2). Measured on the
// synthetic bone at 128^3 (six species, moving sources, dt 0.25 d, tolerance 1e-6):
// V(1,1) 85, V(2,2) 63 fine-sweep equivalents per species and step; V(3,3) costs more
// than it saves. Scaling the coarse correction (0.55-1.6) did not help.
constexpr int kSmoothingPairs = 2;
// Coarsening stops at this many cells. 64 saved one CG iteration in 18 on the bone
// benchmark but cost accuracy on long thin grids (the 1-D validation test), so 512.
constexpr Index kCoarsestCells = 512;

// Rows are processed in chunks so the stencil results sit in L1 between the stencil
// loop and the update loop; both loops are contiguous in x and vectorise.
constexpr int kChunk = 512;

// What a row kernel needs: the row and its four neighbour rows (a row of zeros past a
// non-periodic outer face).
struct RowNb {
  const float* c;
  const float* ym;
  const float* yp;
  const float* zm;
  const float* zp;
};

bool wraps(const BoundaryConditions& bc, int axis, int n) {
  return bc.type[2 * axis] == Boundary::kPeriodic && n > 1;
}

RowNb row_neighbours(const GridShape& g, const BoundaryConditions& bc, const float* x,
                     const float* zero, int j, int k) {
  RowNb r;
  r.c = x + g.index(0, j, k);
  const bool wy = wraps(bc, 1, g.ny), wz = wraps(bc, 2, g.nz);
  r.ym = j > 0 ? x + g.index(0, j - 1, k) : (wy ? x + g.index(0, g.ny - 1, k) : zero);
  r.yp = j < g.ny - 1 ? x + g.index(0, j + 1, k) : (wy ? x + g.index(0, 0, k) : zero);
  r.zm = k > 0 ? x + g.index(0, j, k - 1) : (wz ? x + g.index(0, j, g.nz - 1) : zero);
  r.zp = k < g.nz - 1 ? x + g.index(0, j, k + 1) : (wz ? x + g.index(0, j, 0) : zero);
  return r;
}

// fn(i, j, k, a) for every face of a grid of `cells` stored on its (n + 1)-sized face
// shape: the minus face of cell (i, j, k) along axis a, and at index n along a the last
// plus face. Positions past the grid across a hold no face and are skipped.
template <class F>
void for_each_face(const GridShape& cells, F&& fn) {
  const int n[3] = {cells.nx, cells.ny, cells.nz};
  for_each_row(GridShape::make(n[0] + 1, n[1] + 1, n[2] + 1), [&](int j, int k) {
    for (int i = 0; i <= n[0]; ++i) {
      const int c[3] = {i, j, k};
      for (int a = 0; a < 3; ++a) {
        bool inside = true;
        for (int t = 0; t < 3; ++t) {
          if (t != a && c[t] >= n[t]) inside = false;
        }
        if (inside) fn(i, j, k, a);
      }
    }
  });
}

// Stencil over [i0, i1) of row (j, k): ax = (A x)_i, dg = diagonal of A. Every level
// stores its face conductances (the fine one decoded once from the face flags), so one
// kernel serves all levels.
struct StencilKernel {
  const MgLevel& L;
  StencilScale s;
  bool wrap_x;

  // parity < 0: every voxel of [i0, i1); 0 or 1: only those with i % 2 == parity, so a
  // red-black pass never reads the cells other threads are writing.
  template <bool kWithX>
  void chunk(const RowNb& nb, int j, int k, int i0, int i1, float* ax, float* dg,
             int parity = -1) const {
    const int nx = L.shape.nx;
    const int step = parity < 0 ? 1 : 2;
    auto wanted = [&](int i) { return parity < 0 || (i & 1) == parity; };
    auto first_from = [&](int i) { return parity < 0 || (i & 1) == parity ? i : i + 1; };
    const float* x = nb.c;
    auto xl_of = [&](int i) { return i > 0 ? x[i - 1] : (wrap_x ? x[nx - 1] : 0.f); };
    auto xr_of = [&](int i) { return i < nx - 1 ? x[i + 1] : (wrap_x ? x[0] : 0.f); };
    const int lo = std::max(i0, 1), hi = std::min(i1, nx - 1);
    const GridShape& fs = L.face_shape;
    const float* gx = L.gx.data.data() + fs.index(0, j, k);
    const float* gym = L.gy.data.data() + fs.index(0, j, k);
    const float* gyp = gym + fs.sx;
    const float* gzm = L.gz.data.data() + fs.index(0, j, k);
    const float* gzp = gzm + fs.sxy;
    const float* w = L.w.row(j, k);
    auto voxel = [&](int i, float xl, float xr) {
      const float g0 = s.g * gx[i], g1 = s.g * gx[i + 1], g2 = s.g * gym[i], g3 = s.g * gyp[i],
                  g4 = s.g * gzm[i], g5 = s.g * gzp[i];
      const float mi = s.m * w[i];
      dg[i - i0] = mi + ((g0 + g1) + (g2 + g3)) + (g4 + g5);
      if constexpr (kWithX) {
        // Differences, not diag * x - sum g x_nb: no cancellation when g >> m.
        const float xc = x[i];
        ax[i - i0] =
            mi * xc +
            ((g0 * (xc - xl) + g1 * (xc - xr)) + (g2 * (xc - nb.ym[i]) + g3 * (xc - nb.yp[i]))) +
            (g4 * (xc - nb.zm[i]) + g5 * (xc - nb.zp[i]));
      }
    };
    if (i0 == 0 && wanted(0)) voxel(0, xl_of(0), xr_of(0));
    for (int i = first_from(lo); i < hi; i += step) voxel(i, x[i - 1], x[i + 1]);
    if (i1 == nx && nx > 1 && wanted(nx - 1)) voxel(nx - 1, xl_of(nx - 1), xr_of(nx - 1));
  }
};

StencilKernel kernel(const MgLevel& L, const StencilScale& s, const BoundaryConditions& bc) {
  return StencilKernel{L, s, wraps(bc, 0, L.shape.nx)};
}

// One colour pass of red-black Gauss-Seidel: voxels with (i + j + k) % 2 == colour take
// x += (b - A x) / diag. They read only the other colour, so rows are independent and
// the result does not depend on the thread count. `from_zero`: x is taken as 0 (and
// written everywhere), which saves clearing it first.
void colour_pass(const StencilKernel& kr, const BoundaryConditions& bc, const float* zero,
                 const Field<float>& b, Field<float>& x, int colour, bool from_zero) {
  const GridShape& g = kr.L.shape;
  for_each_row(
      g, [&](int j, int k) __attribute__((flatten)) {
        const RowNb nb = row_neighbours(g, bc, x.data.data(), zero, j, k);
        const int ip = (colour + j + k) & 1;
        const float* br = b.row(j, k);
        float* xr = x.row(j, k);
        float ax[kChunk], dg[kChunk];
        for (int i0 = 0; i0 < g.nx; i0 += kChunk) {
          const int i1 = std::min(g.nx, i0 + kChunk);
          const int first = (i0 & 1) == ip ? i0 : i0 + 1;
          if (from_zero) {
            kr.chunk<false>(nb, j, k, i0, i1, ax, dg, ip);
            for (int i = i0; i < i1; ++i) xr[i] = (i & 1) == ip ? br[i] / dg[i - i0] : 0.f;
          } else {
            // Only this colour is read (besides its own cells) and written.
            kr.chunk<true>(nb, j, k, i0, i1, ax, dg, ip);
            for (int i = first; i < i1; i += 2) xr[i] += (br[i] - ax[i - i0]) / dg[i - i0];
          }
        }
      });
}

// Coarsest level: x += Q (b - A x), Q = V (V^T A V)^-1 V^T with V the constant vector of
// each component of more than one cell (a Galerkin coarse space of one value per
// component, as in aggregation methods: Vanek, Mandel & Brezina 1996). Relaxation alone
// barely moves a component's mean when it has no fixed face and little decay (the
// operator is then nearly singular on it); this takes it out exactly. `ones` is 1 in
// every cell. Serial: the level is small, and the sums stay in a fixed order.
void component_mean_correction(const StencilKernel& kr, const BoundaryConditions& bc,
                               const float* zero, const std::vector<std::int32_t>& comp, int ncomp,
                               const Field<float>& ones, const Field<float>& b, Field<float>& x,
                               std::vector<double>& sums, bool one_level) {
  if (ncomp == 0 || one_level) return;  // a one-level grid: its sweeps do better alone
  const GridShape& g = kr.L.shape;
  // Per component: sum of b - A x and sum of A 1 (= V^T A V).
  sums.assign(2 * std::size_t(ncomp), 0.0);
  std::size_t v = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      const RowNb nx = row_neighbours(g, bc, x.data.data(), zero, j, k);
      const RowNb n1 = row_neighbours(g, bc, ones.data.data(), zero, j, k);
      const float* br = b.row(j, k);
      float ax[kChunk], a1[kChunk], dg[kChunk];
      for (int i0 = 0; i0 < g.nx; i0 += kChunk) {
        const int i1 = std::min(g.nx, i0 + kChunk);
        kr.chunk<true>(nx, j, k, i0, i1, ax, dg);
        kr.chunk<true>(n1, j, k, i0, i1, a1, dg);
        for (int i = i0; i < i1; ++i, ++v) {
          const std::int32_t c = comp[v];
          if (c < 0) continue;
          sums[2 * std::size_t(c)] += double(br[i]) - double(ax[i - i0]);
          sums[2 * std::size_t(c) + 1] += double(a1[i - i0]);
        }
      }
    }
  }
  v = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      float* xr = x.row(j, k);
      for (int i = 0; i < g.nx; ++i, ++v) {
        const std::int32_t c = comp[v];
        if (c >= 0) xr[i] += float(sums[2 * std::size_t(c)] / sums[2 * std::size_t(c) + 1]);
      }
    }
  }
}

}  // namespace

Multigrid::Multigrid(const Mask& bone, const BoundaryConditions& bc, double marrow_ratio,
                     double bone_ratio)
    : bc_(bc) {
  const GridShape& g = bone.shape;
  const int n[3] = {g.nx, g.ny, g.nz};
  for (int a = 0; a < 3; ++a) {
    const bool p0 = bc.type[2 * a] == Boundary::kPeriodic,
               p1 = bc.type[2 * a + 1] == Boundary::kPeriodic;
    if (p0 != p1) throw std::invalid_argument("diffusion: periodic faces come in pairs");
    if (p0 && n[a] > 1 && n[a] % 2 != 0) {
      throw std::invalid_argument("diffusion: a periodic axis needs an even size, got " +
                                  std::to_string(n[a]));
    }
    for (int side = 0; side < 2; ++side) {
      const Boundary t = bc.type[2 * a + side];
      outer_[2 * a + side] =
          t == Boundary::kFixed ? 2.f : (t == Boundary::kPeriodic && n[a] > 1 ? 1.f : 0.f);
    }
  }
  // Harmonic mean of the two voxel diffusivities (Patankar 1980, eq. 4.9).
  const double mm = marrow_ratio, bb = bone_ratio;
  const double mb = mm + bb > 0 ? 2 * mm * bb / (mm + bb) : 0;
  ratio_[0] = float(mm);
  ratio_[1] = float(mb);
  ratio_[2] = float(bb);

  MgLevel fine;
  fine.shape = g;
  fine.flags = Mask(g, 0);
  const bool w[3] = {wraps(bc, 0, g.nx), wraps(bc, 1, g.ny), wraps(bc, 2, g.nz)};
  for_each_row(g, [&](int j, int k) {
    std::uint8_t* f = fine.flags.row(j, k);
    for (int i = 0; i < g.nx; ++i) {
      const int c[3] = {i, j, k};
      std::uint8_t bits = bone(i, j, k) ? 0x40 : 0;
      for (int a = 0; a < 3; ++a) {
        for (int side = 0; side < 2; ++side) {
          int nc[3] = {i, j, k};
          nc[a] = c[a] + (side ? 1 : -1);
          if (nc[a] < 0 || nc[a] >= n[a]) {
            if (!w[a]) continue;
            nc[a] = (nc[a] + n[a]) % n[a];
          }
          if (bone(nc[0], nc[1], nc[2])) bits = std::uint8_t(bits | (1 << (2 * a + side)));
        }
      }
      f[i] = bits;
    }
  });
  levels_.push_back(std::move(fine));
  {
    // Fine conductances decoded once, laid out as on the coarse levels: the sweeps read
    // three floats per voxel instead of decoding six faces from the flags each time.
    MgLevel& F = levels_.front();
    F.face_shape = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
    F.gx = Field<float>(F.face_shape, 0.f);
    F.gy = Field<float>(F.face_shape, 0.f);
    F.gz = Field<float>(F.face_shape, 0.f);
    F.w = Field<float>(g, 1.f);
    for_each_face(g, [&](int i, int j, int k, int a) {
      int o[3] = {i, j, k};
      const bool last = o[a] == n[a];
      if (last) o[a] = n[a] - 1;
      Field<float>& gf = a == 0 ? F.gx : (a == 1 ? F.gy : F.gz);
      gf(i, j, k) = fine_face(2 * a + (last ? 1 : 0), o[0], o[1], o[2]);
    });
  }

  // A voxel whose six faces are all closed (a bone voxel when bone is impermeable) is a
  // one-by-one block of A: the solver solves it directly.
  for (int f = 0; f < 128; ++f) {
    const int o = (f >> 6) & 1;
    bool closed = true;
    for (int b = 0; b < 6; ++b) closed = closed && ratio_[o + ((f >> b) & 1)] == 0.f;
    isolated_[std::size_t(f)] = closed;
  }
  std::vector<std::int32_t> labels = label_components(
      g, w, [&](int i, int j, int k, int a) { return fine_face(2 * a + 1, i, j, k) > 0; });
  find_minor_components(labels);
  // Coarsen while it pays; a periodic axis must stay even (or reach 1).
  for (;;) {
    const GridShape& s = levels_.back().shape;
    if (s.voxel_count() <= kCoarsestCells || std::max({s.nx, s.ny, s.nz}) <= 2) break;
    const int sn[3] = {s.nx, s.ny, s.nz};
    bool ok = true;
    for (int a = 0; a < 3; ++a) {
      const int cn = (sn[a] + 1) / 2;
      if (wraps(bc, a, sn[a]) && (sn[a] % 2 != 0 || (cn > 1 && cn % 2 != 0))) ok = false;
    }
    if (!ok) break;
    build_coarse(int(levels_.size()) - 1, labels);
  }
  // Components of the coarsest level with more than one cell, numbered in order.
  {
    const GridShape& cs = levels_.back().shape;
    // Labels are fine-level indices: count them through a sorted copy.
    std::vector<std::int32_t> sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    auto cells = [&](std::int32_t l) {
      return std::upper_bound(sorted.begin(), sorted.end(), l) -
             std::lower_bound(sorted.begin(), sorted.end(), l);
    };
    std::vector<std::int32_t> seen;  // labels numbered so far, in order of numbering
    coarse_comp_.assign(labels.size(), -1);
    coarse_ncomp_ = 0;
    for (std::size_t v = 0; v < labels.size(); ++v) {
      const std::int32_t l = labels[v];
      if (cells(l) < 2) continue;
      const auto at = std::find(seen.begin(), seen.end(), l) - seen.begin();
      if (at == Index(seen.size())) {
        seen.push_back(l);
        ++coarse_ncomp_;
      }
      coarse_comp_[v] = std::int32_t(at);
    }
    coarse_ones_ = Field<float>(cs, 1.f);
  }
  std::size_t widest = 0;
  for (const MgLevel& L : levels_) widest = std::max<std::size_t>(widest, L.shape.sx);
  zero_row_.assign(widest + 1, 0.f);
}

void Multigrid::find_minor_components(const std::vector<std::int32_t>& labels) {
  const GridShape& g = shape();
  std::vector<std::int32_t> size(labels.size(), 0);
  for (const std::int32_t l : labels) ++size[std::size_t(l)];
  std::size_t largest = 0;
  for (std::size_t l = 0; l < size.size(); ++l) {
    if (size[l] > size[largest]) largest = l;
  }
  std::vector<std::pair<std::int32_t, Index>> minor;
  std::size_t v = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      const std::uint8_t* f = levels_.front().flags.row(j, k);
      for (int i = 0; i < g.nx; ++i, ++v) {
        const std::int32_t l = labels[v];
        if (std::size_t(l) != largest && !isolated_[f[i] & 0x7F])
          minor.emplace_back(l, g.index(i, j, k));
      }
    }
  }
  std::stable_sort(minor.begin(), minor.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  minor_voxels_.clear();
  minor_begin_.assign(1, 0);
  for (std::size_t t = 0; t < minor.size(); ++t) {
    if (t > 0 && minor[t].first != minor[t - 1].first) minor_begin_.push_back(Index(t));
    minor_voxels_.push_back(minor[t].second);
  }
  if (!minor.empty()) minor_begin_.push_back(Index(minor.size()));
}

float Multigrid::fine_face(int f, int i, int j, int k) const {
  const MgLevel& L = levels_.front();
  const std::uint8_t bits = L.flags(i, j, k);
  const int s = ((bits >> 6) & 1) + ((bits >> f) & 1);
  const int c[3] = {i, j, k};
  const int n[3] = {L.shape.nx, L.shape.ny, L.shape.nz};
  const int a = f / 2;
  const bool outer = (f % 2 == 0) ? c[a] == 0 : c[a] == n[a] - 1;
  return ratio_[s] * (outer ? outer_[f] : 1.f);
}

void Multigrid::build_coarse(int l, std::vector<std::int32_t>& labels) {
  MgLevel& F = levels_[std::size_t(l)];
  const bool fine = l == 0;
  const GridShape& fg = F.shape;
  MgLevel C;
  C.shape = GridShape::make((fg.nx + 1) / 2, (fg.ny + 1) / 2, (fg.nz + 1) / 2);
  C.face_shape = GridShape::make(C.shape.nx + 1, C.shape.ny + 1, C.shape.nz + 1);
  C.gx = Field<float>(C.face_shape, 0.f);
  C.gy = Field<float>(C.face_shape, 0.f);
  C.gz = Field<float>(C.face_shape, 0.f);
  C.x = Field<float>(C.shape, 0.f);
  C.b = Field<float>(C.shape, 0.f);
  C.w = Field<float>(C.shape, 0.f);
  if (!fine) F.incl = Mask(fg, 0);
  const GridShape& cg = C.shape;

  // Owner of each coarse cell: the component with the largest weight among its children
  // (ties: the smallest label). Children of other components are left out.
  std::vector<std::int32_t> owner(std::size_t(cg.voxel_count()));
  auto compact = [](const GridShape& s, int i, int j, int k) {
    return std::size_t(i) + std::size_t(s.nx) * (std::size_t(j) + std::size_t(s.ny) * k);
  };
  for_each_row(cg, [&](int J, int K) {
    for (int I = 0; I < cg.nx; ++I) {
      std::int32_t lab[8];
      float wt[8];
      int n = 0;
      for (int d = 0; d < 8; ++d) {
        const int i = 2 * I + (d & 1), j = 2 * J + ((d >> 1) & 1), k = 2 * K + (d >> 2);
        if (i >= fg.nx || j >= fg.ny || k >= fg.nz) continue;
        lab[n] = labels[compact(fg, i, j, k)];
        wt[n++] = fine ? 1.f : F.w(i, j, k);
      }
      std::int32_t best = 0;
      float best_w = -1;
      for (int a = 0; a < n; ++a) {
        float sum = 0;
        for (int b = 0; b < n; ++b) sum += lab[b] == lab[a] ? wt[b] : 0.f;
        if (sum > best_w || (sum == best_w && lab[a] < best)) best = lab[a], best_w = sum;
      }
      owner[compact(cg, I, J, K)] = best;
      C.w(I, J, K) = best_w;
      for (int d = 0; d < 8; ++d) {
        const int i = 2 * I + (d & 1), j = 2 * J + ((d >> 1) & 1), k = 2 * K + (d >> 2);
        if (i >= fg.nx || j >= fg.ny || k >= fg.nz) continue;
        const bool in = labels[compact(fg, i, j, k)] == best;
        if (fine) {
          F.flags(i, j, k) = std::uint8_t(F.flags(i, j, k) | (in ? 0x80 : 0));
        } else {
          F.incl(i, j, k) = in ? 1 : 0;
        }
      }
    }
  });
  labels.swap(owner);

  auto included = [&](int i, int j, int k) {
    return fine ? (F.flags(i, j, k) & 0x80) != 0 : F.incl(i, j, k) != 0;
  };
  // Face of level l on the minus side of cell c along `a`; c[a] == n[a] is the last
  // plus face. It counts only between included cells (or an included cell and the
  // outside): faces between components are closed anyway, so this keeps every coarse
  // face inside one component.
  const int fn[3] = {fg.nx, fg.ny, fg.nz};
  const bool w[3] = {wraps(bc_, 0, fg.nx), wraps(bc_, 1, fg.ny), wraps(bc_, 2, fg.nz)};
  auto face = [&](int a, int c0, int c1, int c2) -> float {
    int c[3] = {c0, c1, c2};
    int o[3] = {c0, c1, c2};  // the cell on the other side
    const bool last = c[a] == fn[a];
    if (last) c[a] = fn[a] - 1;
    o[a] = last ? (w[a] ? 0 : -1) : (c[a] > 0 ? c[a] - 1 : (w[a] ? fn[a] - 1 : -1));
    if (!included(c[0], c[1], c[2]) || (o[a] >= 0 && !included(o[0], o[1], o[2]))) return 0.f;
    if (fine) return fine_face(2 * a + (last ? 1 : 0), c[0], c[1], c[2]);
    const Field<float>& gf = a == 0 ? F.gx : (a == 1 ? F.gy : F.gz);
    return gf(c0, c1, c2);
  };
  const int cn[3] = {C.shape.nx, C.shape.ny, C.shape.nz};
  for_each_face(C.shape, [&](int I, int J, int K, int a) {
    const int cc[3] = {I, J, K};
    float sum = 0;
    // Coarse self-coupling through a wrap of a one-cell axis carries nothing.
    const bool self_wrap = bc_.type[2 * a] == Boundary::kPeriodic && cn[a] == 1;
    if (!self_wrap) {
      int f[3] = {2 * I, 2 * J, 2 * K};
      f[a] = std::min(2 * cc[a], fn[a]);
      const int t1 = (a + 1) % 3, t2 = (a + 2) % 3;
      for (int d2 = 0; d2 < 2; ++d2) {
        for (int d1 = 0; d1 < 2; ++d1) {
          int c[3] = {f[0], f[1], f[2]};
          c[t1] += d1;
          c[t2] += d2;
          if (c[t1] < fn[t1] && c[t2] < fn[t2]) sum += face(a, c[0], c[1], c[2]);
        }
      }
    }
    // Half the parallel sum: the coarse centres are twice as far apart.
    Field<float>& gc = a == 0 ? C.gx : (a == 1 ? C.gy : C.gz);
    gc(I, J, K) = 0.5f * sum;
  });
  levels_.push_back(std::move(C));
}

void Multigrid::smooth(const StencilScale& s, const Field<float>& b, Field<float>& x) const {
  const StencilKernel kr = kernel(levels_.front(), s, bc_);
  colour_pass(kr, bc_, zero_row_.data(), b, x, 0, false);
  colour_pass(kr, bc_, zero_row_.data(), b, x, 1, false);
}

double Multigrid::apply(const StencilScale& s, const Field<float>& x, Field<float>& y) const {
  const MgLevel& L = levels_.front();
  const StencilKernel kr = kernel(L, s, bc_);
  const GridShape& g = L.shape;
  return deterministic_row_sum<double>(
      g, [&](int j, int k) __attribute__((flatten)) {
        const RowNb nb = row_neighbours(g, bc_, x.data.data(), zero_row_.data(), j, k);
        const float* xr = x.row(j, k);
        float* yr = y.row(j, k);
        float dg[kChunk];
        double dot = 0;
        for (int i0 = 0; i0 < g.nx; i0 += kChunk) {
          const int i1 = std::min(g.nx, i0 + kChunk);
          kr.chunk<true>(nb, j, k, i0, i1, yr + i0, dg);
          for (int i = i0; i < i1; ++i) dot += double(xr[i]) * double(yr[i]);
        }
        return dot;
      });
}

void Multigrid::vcycle(const StencilScale& s, const Field<float>& r, Field<float>& z) {
  vcycle_sweeps_ = 0;
  cycle(0, s, r, z);
}

void Multigrid::cycle(int l, const StencilScale& s, const Field<float>& b, Field<float>& x) {
  MgLevel& L = levels_[std::size_t(l)];
  const bool fine = l == 0;
  const StencilKernel kr = kernel(L, s, bc_);
  const float* zero = zero_row_.data();
  const double frac = double(L.shape.voxel_count()) / double(levels_[0].shape.voxel_count());
  const GridShape& g = L.shape;
  if (l + 1 == level_count()) {
    // Coarsest: Q R (B R)^n Q, Q the per-component mean correction; a palindrome, so
    // the cycle stays symmetric.
    constexpr int kCoarseSweeps = 12;
    std::fill(x.data.begin(), x.data.end(), 0.f);
    component_mean_correction(kr, bc_, zero, coarse_comp_, coarse_ncomp_, coarse_ones_, b, x,
                              coarse_sums_, fine);
    colour_pass(kr, bc_, zero, b, x, 0, false);
    for (int it = 0; it < kCoarseSweeps; ++it) {
      colour_pass(kr, bc_, zero, b, x, 1, false);
      colour_pass(kr, bc_, zero, b, x, 0, false);
    }
    component_mean_correction(kr, bc_, zero, coarse_comp_, coarse_ncomp_, coarse_ones_, b, x,
                              coarse_sums_, fine);
    vcycle_sweeps_ += frac * (4.0 + kCoarseSweeps);
    return;
  }
  // Pre-smoothing (R, B)^n; post-smoothing (B, R)^n, the adjoint order: a symmetric cycle.
  colour_pass(kr, bc_, zero, b, x, 0, true);
  colour_pass(kr, bc_, zero, b, x, 1, false);
  for (int extra = 1; extra < kSmoothingPairs; ++extra) {
    colour_pass(kr, bc_, zero, b, x, 0, false);
    colour_pass(kr, bc_, zero, b, x, 1, false);
  }
  MgLevel& C = levels_[std::size_t(l) + 1];
  // Residual restricted by summing the children (the transpose of constant
  // prolongation), fused with its computation so no fine residual array is needed.
  for_each_row(
      C.shape, [&](int J, int K) __attribute__((flatten)) {
        float* cb = C.b.row(J, K);
        std::fill(cb, cb + C.shape.nx, 0.f);
        float ax[kChunk], dg[kChunk];
        for (int dk = 0; dk < 2; ++dk) {
          for (int dj = 0; dj < 2; ++dj) {
            const int j = 2 * J + dj, k = 2 * K + dk;
            if (j >= g.ny || k >= g.nz) continue;
            const RowNb nb = row_neighbours(g, bc_, x.data.data(), zero, j, k);
            const float* br = b.row(j, k);
            const std::uint8_t* in = fine ? L.flags.row(j, k) : L.incl.row(j, k);
            const std::uint8_t bit = fine ? 0x80 : 1;
            for (int i0 = 0; i0 < g.nx; i0 += kChunk) {
              const int i1 = std::min(g.nx, i0 + kChunk);
              kr.chunk<true>(nb, j, k, i0, i1, ax, dg);
              for (int i = i0; i < i1; ++i) cb[i >> 1] += (in[i] & bit) ? br[i] - ax[i - i0] : 0.f;
            }
          }
        }
      });
  cycle(l + 1, s, C.b, C.x);
  for_each_row(g, [&](int j, int k) {
    const float* xc = C.x.row(j >> 1, k >> 1);
    const std::uint8_t* in = fine ? L.flags.row(j, k) : L.incl.row(j, k);
    const std::uint8_t bit = fine ? 0x80 : 1;
    float* xr = x.row(j, k);
    for (int i = 0; i < g.nx; ++i) xr[i] += (in[i] & bit) ? xc[i >> 1] : 0.f;
  });
  for (int extra = 0; extra < kSmoothingPairs; ++extra) {
    colour_pass(kr, bc_, zero, b, x, 1, false);
    colour_pass(kr, bc_, zero, b, x, 0, false);
  }
  vcycle_sweeps_ += frac * (0.35 + 0.5 + 0.5 + 0.45 + 1.0 + 2.0 * (kSmoothingPairs - 1));
}

std::size_t Multigrid::bytes() const {
  std::size_t n = levels_.front().flags.data.size();
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    const MgLevel& L = levels_[l];
    n += sizeof(float) * (L.gx.data.size() + L.gy.data.size() + L.gz.data.size() + L.x.data.size() +
                          L.b.data.size() + L.w.data.size()) +
         L.incl.data.size();
  }
  n += sizeof(float) * coarse_ones_.data.size() + sizeof(std::int32_t) * coarse_comp_.size();
  return n + sizeof(float) * zero_row_.size() +
         sizeof(Index) * (minor_voxels_.size() + minor_begin_.size());
}

}  // namespace bonesim
