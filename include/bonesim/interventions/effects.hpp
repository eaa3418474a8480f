// Hormones and disease as changes of the cells' parameters over the days they act
// (docs/MODEL.md section 9, "Hormones and disease"): each active entry of the
// interventions list scales the parameters its mechanism acts on, by its severity.
#pragma once

#include <vector>

#include "bonesim/config/cells_config.hpp"
#include "bonesim/config/interventions_config.hpp"

namespace bonesim {

// The cells' parameters on `day`: `base` with every active estrogen_deficiency, pth
// (continuous) and glucocorticoid entry applied (factors of overlapping entries multiply).
CellsConfig cells_of_the_day(const CellsConfig& base, const InterventionEffectsConfig& gains,
                             const std::vector<InterventionConfig>& list, double day);

}  // namespace bonesim
