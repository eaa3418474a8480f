// Implicit reaction-diffusion of one signalling field on the voxel grid
// (docs/MODEL.md, "Signalling fields"). Units: um, days, pM.
//
// One backward-Euler step of dc/dt = div(D grad c) - k c + s:
//   (1 + dt k) c_new - dt div(D grad c_new) = c_old + dt s
// on cell-centred voxels. The diffusivity of a face between two voxels is the
// harmonic mean of theirs (marrow voxels D, bone voxels bone_diffusivity, default 0:
// no flux across bone faces). Each outer face of the domain is no-flux, fixed
// concentration (at the face) or periodic. Matrix-free, parallel through
// core/parallel.hpp, bit-identical at any thread count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "bonesim/core/grid.hpp"

namespace bonesim {

enum class Boundary : std::uint8_t { kNoFlux, kFixed, kPeriodic };

// Faces in the order -x, +x, -y, +y, -z, +z. Periodic faces come in pairs.
struct BoundaryConditions {
  std::array<Boundary, 6> type{Boundary::kNoFlux, Boundary::kNoFlux, Boundary::kNoFlux,
                               Boundary::kNoFlux, Boundary::kNoFlux, Boundary::kNoFlux};
  std::array<double, 6> value{};  // concentration at a kFixed face (pM)
};

struct DiffusionParams {
  double diffusivity_um2_per_day = 0;       // in marrow
  double bone_diffusivity_um2_per_day = 0;  // in bone voxels; 0 = bone is impermeable
  double decay_per_day = 0;                 // first-order loss k
  BoundaryConditions boundary;
};

struct SolveStats {
  int iterations = 0;            // outer iterations (CG or V-cycles)
  double sweep_equivalents = 0;  // work in units of one fine-grid smoother sweep
  double relative_residual = 0;  // |b - A x| / |b| at exit
};

class DiffusionSolver {
 public:
  // `bone` (1 = bone) sets where the field diffuses; h = voxel edge (um).
  DiffusionSolver(const Mask& bone, double voxel_size_um, const DiffusionParams& params);
  ~DiffusionSolver();
  DiffusionSolver(DiffusionSolver&&) noexcept;
  DiffusionSolver& operator=(DiffusionSolver&&) noexcept;

  // The lattice changed (resorption, formation): rebuild the face coefficients.
  void set_bone(const Mask& bone);

  // Switch to another field's parameters: one solver (and one set of scratch arrays)
  // steps all fields on a lattice. The coarse levels are rebuilt only when the
  // boundary types or the bone / marrow diffusivity ratio change.
  void set_params(const DiffusionParams& params);
  // True when a and b differ only in what set_params() switches without a rebuild
  // (diffusivity scale, decay, fixed values): one solver serves both cheaply.
  static bool same_structure(const DiffusionParams& a, const DiffusionParams& b);
  const DiffusionParams& params() const;

  // Bytes of solver scratch (face flags, coarse levels, three fine work vectors).
  std::size_t scratch_bytes() const;

  // One implicit step of dt days: c (in: c_old, also the warm start; out: c_new),
  // source s in pM/day per voxel (may be null for none). Stops at a relative residual
  // of `tolerance`.
  SolveStats step(Field<float>& c, const Field<float>* source, double dt_days,
                  double tolerance = 1e-6);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bonesim
