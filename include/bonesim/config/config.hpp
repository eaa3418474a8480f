// The run configuration: plain structs that mirror the YAML keys one to one.
//
// Defaults live here, next to each key, with units in the key name. Each struct's
// `visit` lists its keys once; the YAML loader, the effective-config writer and the
// range checks are all driven from these lists (src/io/config_yaml.cpp), so a key is
// declared in exactly one place. Cross-key rules live in validate_config().
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bonesim/config/cells_config.hpp"
#include "bonesim/config/drugs_config.hpp"
#include "bonesim/config/fields_config.hpp"
#include "bonesim/config/interventions_config.hpp"
#include "bonesim/config/key_spec.hpp"
#include "bonesim/config/mechanics_config.hpp"

namespace bonesim {

struct OutputConfig {
  std::string directory = "output";    // where this run writes (created if missing)
  double metrics_interval_days = 1.0;  // metrics.csv row every this many simulated days
  // Tb.Th, Tb.Sp and Tb.N (local thickness: ~0.4 s per row at 150^3, most of a row's cost)
  // in the rows due every this many days; the other rows leave them empty (NaN).
  double thickness_interval_days = 10.0;
  double lattice_interval_days = 30.0;  // lattice snapshot interval (d); 0 = start and end only
  double fields_interval_days = 30.0;   // signalling-field snapshot interval (d); 0 = start and end
  double cells_interval_days = 1.0;     // cell snapshot interval (d); 0 = start and end only
  double checkpoint_interval_days = 30.0;  // full-state checkpoint interval (d); 0 = on stop only
  std::string compression = "none";        // none | deflate (shuffle + deflate)
  int compression_level = 1;               // deflate level 1 (fast) .. 9 (small)
  bool vtk = false;                        // also write .vti / .vtp / .pvd
  // Markers in % of their mean over this many days before the first intervention starts.
  double marker_baseline_days = 90.0;
  // Resorption and formation markers are means over about this many days (exponential):
  // a sample of a few mm^3 holds a handful of osteoclasts at a time.
  double marker_smoothing_days = 7.0;

  template <class V>
  void visit(V& v) {
    v.value("directory", directory, {.doc = "output directory (created if missing)"});
    v.value("metrics_interval_days", metrics_interval_days,
            {.doc = "days between metrics.csv rows", .min = 0, .min_open = true});
    v.value("thickness_interval_days", thickness_interval_days,
            {.doc = "days between rows with Tb.Th, Tb.Sp, Tb.N (NaN in others), 0 = first and "
                    "last row only",
             .min = 0});
    v.value("lattice_interval_days", lattice_interval_days,
            {.doc = "days between lattice snapshots, 0 = first and last only", .min = 0});
    v.value("fields_interval_days", fields_interval_days,
            {.doc = "days between signalling-field snapshots, 0 = first and last only", .min = 0});
    v.value("cells_interval_days", cells_interval_days,
            {.doc = "days between cell snapshots, 0 = first and last only", .min = 0});
    v.value("checkpoint_interval_days", checkpoint_interval_days,
            {.doc = "days between checkpoints, 0 = only when stopped", .min = 0});
    v.value("compression", compression,
            {.doc = "HDF5 snapshot compression", .choices = "none|deflate"});
    v.value("compression_level", compression_level,
            {.doc = "deflate level, 1 fast .. 9 small", .min = 1, .max = 9});
    v.value("vtk", vtk, {.doc = "also write VTK XML (.vti, .vtp, .pvd)"});
    v.value("marker_baseline_days", marker_baseline_days,
            {.doc = "markers' baseline: days before the first intervention (d)",
             .min = 0,
             .min_open = true});
    v.value("marker_smoothing_days", marker_smoothing_days,
            {.doc = "time constant of the resorption and formation markers (d)", .min = 0});
  }
};

struct RunConfig {
  double days = 30.0;      // simulated time (days)
  double dt_days = 0.25;   // agent time step (days); 6 h resolves osteoclast motility
  std::uint64_t seed = 1;  // key of every random draw (Random123 Philox)
  int threads = 0;         // worker threads; 0 = all cores
  OutputConfig output;

  template <class V>
  void visit(V& v) {
    v.value("days", days, {.doc = "simulated days", .min = 0, .max = 36500});
    v.value("dt_days", dt_days, {.doc = "time step (days)", .min = 0, .max = 30, .min_open = true});
    v.value("seed", seed, {.doc = "random seed"});
    v.value("threads", threads, {.doc = "worker threads, 0 = all cores", .min = 0, .max = 4096});
    v.section("output", output);
  }
};

// Synthetic trabecular bone, deterministic from run.seed (docs/MODEL.md, "Lattice").
// Defaults: a 3 mm cube of human iliac-crest-like bone, BV/TV 20 %, Tb.Th 150 um
// (biology.md section 2; Hildebrand et al. 1999, J Bone Miner Res 14:1167).
struct SyntheticLatticeConfig {
  std::array<int, 3> size_voxels{150, 150, 150};  // voxels along x, y, z
  double bv_tv = 0.20;                            // target bone volume fraction (-)
  double tb_th_um = 150.0;                        // target trabecular thickness (um)
  double plate_fraction = 0.5;                    // share of struts that are plates (-)

  template <class V>
  void visit(V& v) {
    v.value("size_voxels", size_voxels,
            {.doc = "grid size x, y, z (voxels)", .min = 4, .max = 4096});
    v.value("bv_tv", bv_tv, {.doc = "target BV/TV (-)", .min = 0.02, .max = 0.6});
    v.value("tb_th_um", tb_th_um, {.doc = "target Tb.Th (um)", .min = 0, .min_open = true});
    v.value("plate_fraction", plate_fraction,
            {.doc = "share of plates among struts (-)", .min = 0, .max = 1});
  }
};

// Micro-CT import (docs/MODEL.md, "Lattice from micro-CT").
struct ImageLatticeConfig {
  std::string path;                               // .mhd, .vti, or file.h5:/dataset
  std::string threshold_method = "otsu";          // otsu | value
  double threshold = 0.0;                         // grey value at and above which a voxel is bone
  std::array<int, 3> crop_begin_voxels{0, 0, 0};  // first voxel kept, x y z (input voxels)
  std::array<int, 3> crop_size_voxels{0, 0, 0};   // voxels kept, x y z; 0 = to the end
  double input_voxel_size_um = 0.0;               // spacing of the input; 0 = read it from the file

  template <class V>
  void visit(V& v) {
    v.value("path", path, {.doc = "image file: .mhd, .vti or file.h5:/dataset"});
    v.value("threshold_method", threshold_method, {.doc = "segmentation", .choices = "otsu|value"});
    v.value("threshold", threshold, {.doc = "grey value for bone (threshold_method: value)"});
    v.value("crop_begin_voxels", crop_begin_voxels, {.doc = "first kept voxel x y z", .min = 0});
    v.value("crop_size_voxels", crop_size_voxels, {.doc = "kept voxels x y z, 0 = all", .min = 0});
    v.value("input_voxel_size_um", input_voxel_size_um,
            {.doc = "input spacing (um), 0 = from file", .min = 0});
  }
};

struct LatticeConfig {
  double voxel_size_um = 20.0;       // simulation voxel edge (um); images are resampled to it
  std::string source = "synthetic";  // synthetic | image
  SyntheticLatticeConfig synthetic;
  ImageLatticeConfig image;

  template <class V>
  void visit(V& v) {
    v.value("voxel_size_um", voxel_size_um, {.doc = "voxel edge (um)", .min = 1, .max = 1000});
    v.value("source", source, {.doc = "where the bone comes from", .choices = "synthetic|image"});
    v.section("synthetic", synthetic);
    v.section("image", image);
  }
};

struct Config {
  RunConfig run;
  LatticeConfig lattice;
  FieldsConfig fields;
  CellsConfig cells;
  MechanicsConfig mechanics;
  DrugsConfig drugs;
  InterventionEffectsConfig effects;
  std::vector<InterventionConfig> interventions;

  template <class V>
  void visit(V& v) {
    v.section("run", run);
    v.section("lattice", lattice);
    v.section("fields", fields);
    v.section("cells", cells);
    v.section("mechanics", mechanics);
    v.section("drugs", drugs);
    v.section("effects", effects);
    v.list("interventions", interventions, {.doc = "scheduled changes of the inputs"});
  }
};

}  // namespace bonesim
