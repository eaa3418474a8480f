#include "bonesim/app/initial_lattice.hpp"

#include <stdexcept>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_import.hpp"
#include "bonesim/lattice/synthetic.hpp"

namespace bonesim {

BoneLattice make_initial_lattice(const Config& cfg) {
  const LatticeConfig& l = cfg.lattice;
  if (l.source == "image") return import_image_lattice(l.image, l.voxel_size_um);
  try {
    return generate_synthetic_lattice(l.synthetic, l.voxel_size_um, cfg.run.seed);
  } catch (const std::invalid_argument& e) {  // targets no plate-and-rod network can meet
    throw ConfigError({e.what()});
  }
}

}  // namespace bonesim
