#include "bonesim/sim/metrics.hpp"

#include "bonesim/interventions/schedule.hpp"

namespace bonesim {

std::string metrics_header() {
  std::string h;
  Metrics m;
  visit_metrics(m, [&](const char* name, double&) {
    if (!h.empty()) h += ',';
    h += name;
  });
  return h + '\n';
}

CellMetrics cell_metrics(const Simulation& sim) {
  const CellPopulations& c = sim.cells;
  CellMetrics m;
  m.precursors = double(c.precursors.id.size());
  m.osteoclasts = double(c.osteoclasts.id.size());
  for (const auto n : c.osteoclasts.nuclei) m.osteoclast_nuclei += n;
  if (!c.osteoclasts.age_days.empty()) {
    double age = 0;
    for (const auto a : c.osteoclasts.age_days) age += a;
    m.osteoclast_age_days = age / double(c.osteoclasts.age_days.size());
  }
  for (const auto s : c.osteoblasts.stage) {
    (s == std::uint8_t(OsteoblastStage::kPrecursor) ? m.osteoblast_precursors : m.osteoblasts) += 1;
  }
  m.osteocytes = double(c.osteocytes.id.size());
  m.t_cells = double(c.t_cells.id.size());
  for (const auto a : c.t_cells.activated) m.t_cells_activated += a;
  m.lining_cells_formed = double(c.lining_cells_formed);
  m.resorbed_mm3_per_day = sim.remodelling.resorbed_um3_per_day * 1e-9;
  m.formed_mm3_per_day = sim.remodelling.formed_um3_per_day * 1e-9;
  return m;
}

PitMetrics pit_metrics(const PitSummary& s) {
  return {.pits = double(s.count),
          .pits_completed = double(s.completed_count),
          .pit_volume_mm3 = s.total_volume_um3 * 1e-9,
          .eroded_depth_um = s.mean_eroded_depth_um,
          .eroded_depth_median_um = s.median_eroded_depth_um,
          .eroded_depth_max_um = s.max_eroded_depth_um,
          .pit_mean_volume_um3 = s.mean_volume_um3,
          .pit_mean_area_um2 = s.mean_area_um2,
          .pit_resorption_days = s.mean_resorption_days,
          .pit_resorption_days_by_volume = s.volume_weighted_resorption_days,
          .reversal_days = s.mean_reversal_days,
          .formation_days = s.mean_formation_days,
          .wall_thickness_um = s.mean_wall_thickness_um,
          .pit_refilled_fraction = s.mean_refilled_fraction};
}

MechanicsMetrics mechanics_metrics(const Simulation& sim, const Config& cfg,
                                   const Mask& field_bone) {
  MechanicsMetrics m;
  m.load_factor = load_factor(cfg.interventions, sim.day);
  const MechanicsState& s = sim.mechanics;
  if (!cfg.mechanics.enabled || s.solved_day < 0) return m;
  double* axis_modulus[3] = {&m.apparent_modulus_x_MPa, &m.apparent_modulus_y_MPa,
                             &m.apparent_modulus_z_MPa};
  for (std::size_t n = s.cases.size(); n-- > 0;) {  // the first case of an axis wins
    *axis_modulus[cfg.mechanics.load_cases[n].axis[0] - 'x'] = s.cases[n].apparent_modulus_MPa;
  }
  const double f = m.load_factor;
  const double disuse = cfg.mechanics.osteocytes.disuse_microstrain;
  double n = 0, sed = 0, strain = 0, low = 0;
  const GridShape& g = s.strain.shape;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      const std::uint8_t* b = field_bone.row(j, k);
      const float* e = s.strain.row(j, k);
      const float* w = s.sed_MPa.row(j, k);
      for (int i = 0; i < g.nx; ++i) {
        if (!b[i]) continue;
        const double us = 1e6 * e[i] * f;
        n += 1, sed += w[i] * f * f, strain += us, low += us < disuse ? 1 : 0;
      }
    }
  }
  if (n > 0) {
    m.sed_mean_MPa = sed / n;
    m.strain_mean_microstrain = strain / n;
    m.disuse_fraction = low / n;
  }
  return m;
}

MarkerMetrics marker_metrics(const Simulation& sim, const Config& cfg) {
  const MarkerState& s = sim.markers;
  MarkerMetrics m;
  m.resorption_marker_mm3_per_day = s.resorbed_um3_per_day * 1e-9;
  m.formation_marker_mm3_per_day = s.formed_um3_per_day * 1e-9;
  m.bmd_proxy = mineral_fraction(sim.lattice);
  m.denosumab_serum_ng_per_mL = sim.denosumab.central_ng_per_mL;
  m.opg_fc_serum_ng_per_mL = sim.opg_fc.central_ng_per_mL;
  // The baseline counts once its window has closed (or the run started inside it).
  const double start = first_intervention_day(cfg.interventions);
  if (s.baseline_days > 0 && sim.day >= start) {
    const double n = s.baseline_days;
    auto pct = [](double x, double base) { return base > 0 ? 100.0 * x / base : NAN; };
    m.resorption_marker_pct = pct(s.resorbed_um3_per_day, s.baseline_resorbed_um3 / n);
    m.formation_marker_pct = pct(s.formed_um3_per_day, s.baseline_formed_um3 / n);
    m.bmd_pct = pct(m.bmd_proxy, s.baseline_mineral_sum / n);
  }
  return m;
}

Metrics compute_metrics(const Simulation& sim, const Config& cfg, const std::vector<Pit>& pits,
                        bool thickness) {
  const Mask bone = bone_mask(sim.lattice);
  Metrics m;
  m.day = sim.day;
  m.step = double(sim.step);
  m.morphometry = compute_morphometry(bone, sim.lattice.voxel_size_um, thickness);
  const Mask field_bone = coarsen_bone(bone, int(sim.fields.coarsening));
  m.fields = field_metrics(sim.fields, cfg.fields, field_bone);
  m.mechanics = mechanics_metrics(sim, cfg, field_bone);
  m.cells = cell_metrics(sim);
  m.pits = pit_metrics(summarize_pits(pits));
  m.markers = marker_metrics(sim, cfg);
  return m;
}

}  // namespace bonesim
