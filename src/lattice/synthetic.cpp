#include "bonesim/lattice/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/lattice/smallest_selection.hpp"
#include "bonesim/lattice/strut_distance.hpp"
#include "bonesim/lattice/strut_network.hpp"

namespace bonesim {

namespace {

// Mean local thickness (Hildebrand & Ruegsegger 1997, as compute_morphometry measures
// it) of struts voxelised as {distance to the medial element <= t}, in voxels:
// slope * 2t + offset. Rods read thinner than 2t (their axis voxel is up to half a
// voxel off the axis), plates and their junctions thicker. Fitted on 27 targets
// (BV/TV 0.1-0.3, Tb.Th 100-200 um at 20 um voxels; docs/MODEL.md) for networks of
// rods only and plates only; mixes are interpolated by the plates' share of volume.
constexpr double kRodSlope = 1.03, kRodOffsetVox = -0.84;
constexpr double kPlateSlope = 1.17, kPlateOffsetVox = -0.29;

// Spacing search: the same fixed number of trials for every seed.
constexpr int kCoarseStride = 2;          // trials sample every 2nd voxel per axis
constexpr int kProportionalSteps = 2;     // thickness ~ spacing at fixed BV/TV
constexpr int kScanHalfWidth = 3;         // then scan 2 * 3 + 1 spacings,
constexpr double kScanStep = 1.05;        //   5 % apart, around the result
constexpr int kBisections = 4;            // and bisect the crossing nearest the middle
constexpr double kMinCellsPerSide = 1.5;  // lattice cells across the smallest side

// Plates' share of the strut volume for half-thickness r (voxels).
double plate_volume_share(const StrutNetwork& net, double r) {
  double area = 0, length = 0;
  for (const Triangle& t : net.plates) {
    const double u[3] = {t.b[0] - t.a[0], t.b[1] - t.a[1], t.b[2] - t.a[2]};
    const double v[3] = {t.c[0] - t.a[0], t.c[1] - t.a[1], t.c[2] - t.a[2]};
    const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                         u[0] * v[1] - u[1] * v[0]};
    area += 0.5 * std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  }
  for (const Segment& s : net.rods)
    length += std::hypot(s.b[0] - s.a[0], s.b[1] - s.a[1], s.b[2] - s.a[2]);
  const double plates = area * 2.0 * r, rods = length * std::numbers::pi * r * r;
  return plates + rods > 0 ? plates / (plates + rods) : 0.0;
}

double expected_thickness_vox(double r, double plate_share) {
  const double slope = kRodSlope + plate_share * (kPlateSlope - kRodSlope);
  const double offset = kRodOffsetVox + plate_share * (kPlateOffsetVox - kRodOffsetVox);
  return slope * 2.0 * r + offset;
}

// Threshold (squared distance) that makes `fraction` of the samples bone; widens the
// cutoff until the threshold lies inside it.
struct Threshold {
  Field<float> d2;  // squared distance to the network (voxels^2)
  SmallestSelection sel;
};

Threshold threshold_for(const StrutNetwork& net, const GridShape& samples, int stride,
                        double fraction, double cutoff_vox) {
  const Index n = std::max<Index>(1, std::llround(fraction * double(samples.voxel_count())));
  for (;;) {
    Threshold t{strut_distance_squared(net, samples, stride, cutoff_vox), {}};
    t.sel = select_smallest(t.d2, n, float(cutoff_vox * cutoff_vox));
    if (t.sel.found) return t;
    cutoff_vox *= 2.0;
  }
}

// First guess of the node spacing (voxels): struts of half-thickness r filling bv_tv of
// a cell, overlaps ignored; plates about aspect * s^2 * 2r, rods about s * pi r^2.
double initial_spacing(const StrutNetworkParams& p, double bv_tv, double r) {
  const double n = p.struts_per_node, f = p.plate_fraction, a = p.aspect_z;
  const double qa = bv_tv * a, qb = 2.0 * f * n * a * r;
  const double qc = (1.0 - f) * n * std::numbers::pi * r * r;
  return (qb + std::sqrt(qb * qb + 4.0 * qa * qc)) / (2.0 * qa);
}

std::string num(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

// The struts repeat every spacing: a side shorter than about two of them samples too
// few trabeculae for the targets to mean anything (and for the search to converge).
std::string domain_problem(const SyntheticLatticeConfig& cfg, double h, double spacing_vox) {
  const int smallest = *std::min_element(cfg.size_voxels.begin(), cfg.size_voxels.end());
  if (smallest >= kMinCellsPerSide * spacing_vox) return {};
  return "the smallest side (" + num(smallest * h) + " um) holds fewer than " +
         num(kMinCellsPerSide) + " trabecular spacings (" + num(spacing_vox * h) +
         " um for bv_tv " + num(cfg.bv_tv) + ", tb_th_um " + num(cfg.tb_th_um) +
         ", plate_fraction " + num(cfg.plate_fraction) +
         "): enlarge size_voxels, raise bv_tv or lower tb_th_um";
}

double guessed_radius_vox(const SyntheticLatticeConfig& cfg, double h) {
  return 0.5 * (cfg.tb_th_um / h + 0.5) / 1.1;  // rough inverse of the thickness fit above
}

double guessed_spacing_vox(const SyntheticLatticeConfig& cfg, double h) {
  StrutNetworkParams params;
  params.plate_fraction = cfg.plate_fraction;
  return initial_spacing(params, cfg.bv_tv, guessed_radius_vox(cfg, h));
}

}  // namespace

std::vector<ConfigIssue> synthetic_lattice_problems(const SyntheticLatticeConfig& cfg, double h) {
  std::vector<ConfigIssue> errs;
  auto add = [&](const char* key, std::string msg) {
    errs.push_back({std::string("lattice.synthetic.") + key, std::move(msg)});
  };
  if (!(h > 0) || !std::isfinite(h)) {
    errs.push_back({"lattice.voxel_size_um", "must be positive, got " + num(h)});
  }
  for (int d = 0; d < 3; ++d)
    if (cfg.size_voxels[d] < 4)
      add("size_voxels", "entry " + std::to_string(d) + " must be at least 4, got " +
                             std::to_string(cfg.size_voxels[d]));
  if (!(cfg.bv_tv >= 0.02 && cfg.bv_tv <= 0.6))
    add("bv_tv", "must lie in [0.02, 0.6], got " + num(cfg.bv_tv));
  if (!(cfg.plate_fraction >= 0 && cfg.plate_fraction <= 1))
    add("plate_fraction", "must lie in [0, 1], got " + num(cfg.plate_fraction));
  if (!(cfg.tb_th_um >= 3 * h) || !std::isfinite(cfg.tb_th_um))
    add("tb_th_um", "got " + num(cfg.tb_th_um) + ", expected at least 3 voxels (" + num(3 * h) +
                        " um) so that trabeculae are resolved");
  // Reject hopeless targets before the search, from the first guess of the spacing.
  if (errs.empty()) {
    std::string d = domain_problem(cfg, h, guessed_spacing_vox(cfg, h) / 1.5);
    if (!d.empty()) add("size_voxels", std::move(d));
  }
  return errs;
}

namespace {
void throw_if(const std::vector<ConfigIssue>& errs) {
  if (errs.empty()) return;
  std::string msg;
  for (std::size_t q = 0; q < errs.size(); ++q)
    msg += (q ? "; " : "") + errs[q].key + ": " + errs[q].message;
  throw std::invalid_argument(msg);
}
}  // namespace

BoneLattice generate_synthetic_lattice(const SyntheticLatticeConfig& cfg, double voxel_size_um,
                                       std::uint64_t seed) {
  const double h = voxel_size_um;
  throw_if(synthetic_lattice_problems(cfg, h));
  const auto& n = cfg.size_voxels;
  const std::array<double, 3> extent{double(n[0]), double(n[1]), double(n[2])};
  const double target_vox = cfg.tb_th_um / h;
  const double r_guess = guessed_radius_vox(cfg, h);
  const double cutoff = 1.5 * r_guess + 2.0;  // widened on demand by threshold_for

  StrutNetworkParams params;
  params.plate_fraction = cfg.plate_fraction;
  params.join_margin_vox = r_guess;  // a junction that close to a face is inside it
  const GridShape coarse = GridShape::make((n[0] + kCoarseStride - 1) / kCoarseStride,
                                           (n[1] + kCoarseStride - 1) / kCoarseStride,
                                           (n[2] + kCoarseStride - 1) / kCoarseStride);
  auto thickness_at = [&](double spacing) {
    params.spacing_vox = spacing;
    const StrutNetwork net = make_strut_network(extent, params, seed);
    const auto t = threshold_for(net, coarse, kCoarseStride, cfg.bv_tv, cutoff);
    const double r = std::sqrt(double(t.sel.value));
    return expected_thickness_vox(r, plate_volume_share(net, r));
  };

  // Thickness grows about in proportion to the spacing at fixed BV/TV, with wiggles of
  // about 10 % as a few-cell sample takes in more or fewer struts (docs/MODEL.md).
  double s0 = initial_spacing(params, cfg.bv_tv, r_guess);
  for (int it = 0; it < kProportionalSteps; ++it)
    s0 *= target_vox / std::max(thickness_at(s0), 0.1);
  std::array<double, 2 * kScanHalfWidth + 1> scan_s{}, scan_t{};
  for (int q = 0; q < int(scan_s.size()); ++q) {
    scan_s[q] = s0 * std::pow(kScanStep, q - kScanHalfWidth);
    scan_t[q] = thickness_at(scan_s[q]);
  }
  auto err = [&](double t) { return std::abs(t - target_vox); };
  int best = 0;
  for (int q = 1; q < int(scan_s.size()); ++q)
    if (err(scan_t[q]) < err(scan_t[best])) best = q;
  double spacing = scan_s[best], best_err = err(scan_t[best]);
  for (int d = 0; d < kScanHalfWidth; ++d) {
    int q = -1;
    for (const int c : {kScanHalfWidth - 1 - d, kScanHalfWidth + d})
      if (q < 0 && (scan_t[c] - target_vox) * (scan_t[c + 1] - target_vox) <= 0) q = c;
    if (q < 0) continue;
    double lo = scan_s[q], hi = scan_s[q + 1];
    const bool rising = scan_t[q] < target_vox;
    for (int it = 0; it < kBisections; ++it) {
      const double mid = std::sqrt(lo * hi);
      const double t = thickness_at(mid);
      if (err(t) < best_err) best_err = err(t), spacing = mid;
      ((t < target_vox) == rising ? lo : hi) = mid;
    }
    break;
  }
  if (std::string d = domain_problem(cfg, h, spacing); !d.empty()) {
    throw_if({{"lattice.synthetic.size_voxels", std::move(d)}});
  }
  params.spacing_vox = spacing;

  BoneLattice lat = make_lattice(n[0], n[1], n[2], h);
  const StrutNetwork net = make_strut_network(extent, params, seed);
  const Threshold t = threshold_for(net, lat.shape, 1, cfg.bv_tv, cutoff);
  const Mask bone = selected_mask(t.d2, t.sel);
  for_each_row(lat.shape, [&](int j, int k) {
    const std::uint8_t* in = bone.row(j, k);
    float* out = lat.bone.row(j, k);
    for (int i = 0; i < lat.shape.nx; ++i) out[i] = in[i] ? 1.0f : 0.0f;
  });
  mark_day0(lat);
  return lat;
}

}  // namespace bonesim
