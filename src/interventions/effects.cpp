#include "bonesim/interventions/effects.hpp"

#include <algorithm>

namespace bonesim {

CellsConfig cells_of_the_day(const CellsConfig& base, const InterventionEffectsConfig& g,
                             const std::vector<InterventionConfig>& list, double day) {
  CellsConfig c = base;
  auto gain = [](double& x, double by, double s) { x *= 1 + by * s; };
  auto loss = [](double& x, double by, double s) { x *= 1 - by * s; };
  auto opg_loss = [&](double l, double s) {
    loss(c.osteoblasts.opg_pM_per_day, l, s);
    loss(c.osteocytes.opg_pM_per_day, l, s);
  };
  auto rankl_gain = [&](double l, double s) {
    gain(c.osteocytes.rankl_pM_per_day, l, s);
    gain(c.osteoblasts.rankl_pM_per_day, l, s);
  };
  for (const InterventionConfig& i : list) {
    if (day < i.start_day || day >= i.end_day) continue;
    const double s = i.severity;
    if (i.type == "estrogen_deficiency") {
      const EstrogenDeficiencyEffects& e = g.estrogen_deficiency;
      gain(c.t_cells.activation_per_day, e.t_cell_activation_gain, s);
      gain(c.t_cells.rankl_pM_per_day, e.t_cell_rankl_gain, s);
      gain(c.osteoblasts.rankl_pM_per_day, e.stromal_rankl_gain, s);
      opg_loss(e.opg_loss, s);
      gain(c.osteoclasts.lifespan_days, e.osteoclast_lifespan_gain, s);
    } else if (i.type == "pth") {
      rankl_gain(g.pth.rankl_gain, s);
      opg_loss(g.pth.opg_loss, s);
    } else if (i.type == "pth_intermittent") {
      const PthIntermittentEffects& e = g.pth_intermittent;
      gain(c.osteoblasts.recruitment_per_day, e.recruitment_gain, s);
      gain(c.osteoblasts.active_lifespan_days, e.osteoblast_lifespan_gain, s);
      c.osteoblasts.overflow_fraction =
          std::max(c.osteoblasts.overflow_fraction, e.overflow_fraction * s);
      c.osteoblasts.quiescent_recruitment_per_mm2_per_day +=
          e.quiescent_recruitment_per_mm2_per_day * s;
    } else if (i.type == "glucocorticoid") {
      const GlucocorticoidEffects& e = g.glucocorticoid;
      gain(c.osteocytes.rankl_pM_per_day, e.rankl_gain, s);
      opg_loss(e.opg_loss, s);
      loss(c.osteoblasts.recruitment_per_day, e.recruitment_loss, s);
      loss(c.osteoblasts.active_lifespan_days, e.osteoblast_lifespan_loss, s);
      loss(c.osteoblasts.apposition_um_per_day, e.apposition_loss, s);
      loss(c.osteoblasts.arrest_days, e.arrest_loss, s);
    }
  }
  return c;
}

}  // namespace bonesim
