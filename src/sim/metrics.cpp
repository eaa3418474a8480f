#include "bonesim/sim/metrics.hpp"

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

Metrics compute_metrics(const Simulation& sim, const Config& cfg) {
  const Mask bone = bone_mask(sim.lattice);
  Metrics m;
  m.day = sim.day;
  m.step = double(sim.step);
  m.morphometry = compute_morphometry(bone, sim.lattice.voxel_size_um);
  m.fields = field_metrics(sim.fields, cfg.fields, bone);
  return m;
}

}  // namespace bonesim
