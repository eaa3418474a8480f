// The `cells:` section of the run configuration: the bone cells as agents (docs/MODEL.md,
// "Cells"). Same conventions as config.hpp: defaults next to the keys, units in the key
// names, one `visit` list per struct; each key's doc names where its default comes from.
//
// Production rates are per cell into the marrow voxel it signals to (pM/day in that
// voxel's volume). Keys marked "calibrated" were tuned so that configs/homeostasis.yaml
// sits in the histomorphometric ranges of biology.md section 2 (docs/MODEL.md section 7,
// "Calibration"); "to calibrate" marks initial choices that later scenarios will
// constrain. Neither kind is a measured quantity.
#pragma once

#include "bonesim/config/key_spec.hpp"

namespace bonesim {

// Osteoclast precursors (RANK+ monocyte-macrophages) in marrow next to bone.
struct PrecursorConfig {
  double supply_per_mm2_per_day = 0.05;  // arrivals per mm^2 of bone surface per day (calibrated)
  double lifespan_days = 10.0;           // mean time before a precursor dies or leaves (choice)
  double fusion_per_day = 0.5;  // fusion rate at RANK occupancy >> half (choice, to calibrate)
  double fusion_half_occupancy = 0.25;  // occupancy of half-maximal fusion (-, to calibrate)
  double move_per_day = 2.0;            // hops to a neighbouring surface voxel per day (choice)

  template <class V>
  void visit(V& v) {
    v.value("supply_per_mm2_per_day", supply_per_mm2_per_day,
            {.doc = "precursor arrivals per mm^2 bone surface per day, calibrated: turnover",
             .min = 0});
    v.value("lifespan_days", lifespan_days,
            {.doc = "mean precursor residence (days), choice", .min = 0, .min_open = true});
    v.value(
        "fusion_per_day", fusion_per_day,
        {.doc = "fusion rate at saturating RANK occupancy (1/day), choice to calibrate", .min = 0});
    v.value("fusion_half_occupancy", fusion_half_occupancy,
            {.doc = "RANK occupancy of half-maximal fusion (-), choice to calibrate",
             .min = 0,
             .max = 1,
             .min_open = true});
    v.value("move_per_day", move_per_day,
            {.doc = "random hops along the surface per day (1/day), choice", .min = 0});
  }
};

// Multinucleated osteoclasts on the bone surface.
struct OsteoclastConfig {
  int initial_nuclei = 3;                        // precursors fusing into a new osteoclast (choice)
  int max_nuclei = 10;                           // human osteoclasts: 1-10+ nuclei (choice)
  double resorption_um3_per_nucleus_day = 9000;  // choice to calibrate: 40-60 um pits in 2-5 weeks
  double lifespan_days = 14.0;           // mean at the reference occupancy; biology.md section 2
  double survival_half_occupancy = 0.1;  // apoptosis at its base rate here (calibrated)
  double max_depth_median_um = 100.0;    // median depth an osteoclast digs to (calibrated)
  double max_depth_spread = 0.3;         // log-normal sigma of that depth (right skew)
  double bmu_radius_um = 200.0;    // a new osteoclast this close to a living one joins its event
  double fusion_radius_um = 40.0;  // a precursor this close to an osteoclast fuses into it
  double coupling_release_pM_per_voxel = 50.0;  // coupling factor freed per resorbed voxel

  template <class V>
  void visit(V& v) {
    v.value("initial_nuclei", initial_nuclei,
            {.doc = "nuclei of a newly formed osteoclast, choice", .min = 1, .max = 100});
    v.value("max_nuclei", max_nuclei,
            {.doc = "most nuclei per osteoclast, choice", .min = 1, .max = 100});
    v.value("resorption_um3_per_nucleus_day", resorption_um3_per_nucleus_day,
            {.doc = "bone resorbed per nucleus (um^3/day), choice to calibrate", .min = 0});
    v.value("lifespan_days", lifespan_days,
            {.doc = "mean lifespan at the reference occupancy (days), biology.md sec. 2",
             .min = 0,
             .min_open = true});
    v.value("survival_half_occupancy", survival_half_occupancy,
            {.doc = "RANK occupancy giving the base apoptosis rate (-)",
             .min = 0,
             .max = 1,
             .min_open = true});
    v.value("max_depth_median_um", max_depth_median_um,
            {.doc = "median depth an osteoclast digs to (um), calibrated: E.De, W.Th",
             .min = 0,
             .min_open = true});
    v.value("max_depth_spread", max_depth_spread,
            {.doc = "log-normal sigma of that depth (-)", .min = 0, .max = 3});
    v.value("bmu_radius_um", bmu_radius_um,
            {.doc = "new osteoclasts this close to a living one join its event (um)", .min = 0});
    v.value("fusion_radius_um", fusion_radius_um,
            {.doc = "precursors this close to an osteoclast fuse into it (um)", .min = 0});
    v.value("coupling_release_pM_per_voxel", coupling_release_pM_per_voxel,
            {.doc = "coupling factor freed per resorbed voxel (pM in that voxel)", .min = 0});
  }
};

// Osteoblast lineage: precursors (RANKL), active osteoblasts (OPG, osteoid), their fates.
struct OsteoblastConfig {
  double recruitment_per_day = 0.2;  // per free pit surface site at saturating coupling factor
  double coupling_half_pM = 0.005;   // half-maximal recruitment (pM; calibrated)
  double reversal_days = 10.0;       // site waits this long after its last resorption
  // A site left this long without resorption and without osteoid laid next to it is an
  // arrested reversal surface and recruits no more (Andersen et al. 2013, Am J Pathol 183:235;
  // Jensen et al. 2012, JBMR 27:770): its cavity stays. Choice: at homeostasis a pit's
  // sites are recruited within days of reversal or reached by its formation front, so
  // only suppressed recruitment (disuse) reaches it.
  double arrest_days = 60.0;
  double precursor_days = 3.0;          // precursor stage before active formation (choice)
  double apposition_um_per_day = 0.63;  // mineral apposition rate, iliac 0.63-0.72 (biology.md)
  double osteocyte_fraction = 0.2;      // share of finishing osteoblasts buried as osteocytes
  double lining_fraction = 0.6;         // share that become lining cells; the rest die
  double active_lifespan_days = 150.0;  // active osteoblasts die by then at the latest (choice)
  // Share of osteoblasts that, their cavity refilled, go on to fill one marrow voxel
  // next to bone beyond the cavity's rim (overflow remodelling, Lindsay et al. 2006,
  // J Bone Miner Res 21:366). 0 in healthy remodelling; intermittent PTH raises it.
  double overflow_fraction = 0.0;
  // Osteoblasts recruited onto quiescent bone surface, with no resorption before
  // (modelling-based formation: lining cells reactivated, Dobnig & Turner 1995; Lindsay
  // et al. 2006), per mm^2 of bone surface per day; each fills one marrow voxel next to
  // bone. 0 in healthy adult remodelling; intermittent PTH raises it.
  double quiescent_recruitment_per_mm2_per_day = 0.0;
  double rankl_pM_per_day = 700.0;  // RANKL by precursors (Pivonka 2008: immature), to calibrate
  double opg_pM_per_day = 20000.0;  // OPG by active osteoblasts (Pivonka 2008), to calibrate

  template <class V>
  void visit(V& v) {
    v.value("recruitment_per_day", recruitment_per_day,
            {.doc = "precursor recruitment per free pit site at saturating coupling (1/day)",
             .min = 0});
    v.value(
        "coupling_half_pM", coupling_half_pM,
        {.doc = "coupling factor of half-maximal recruitment (pM)", .min = 0, .min_open = true});
    v.value("reversal_days", reversal_days,
            {.doc = "reversal: days from a site's last resorption to recruitment", .min = 0});
    v.value("arrest_days", arrest_days,
            {.doc = "a site this long without resorption or osteoid next to it stays a cavity "
                    "(days)",
             .min = 0,
             .min_open = true});
    v.value("precursor_days", precursor_days,
            {.doc = "precursor stage before formation (days)", .min = 0});
    v.value("apposition_um_per_day", apposition_um_per_day,
            {.doc = "mineral apposition rate (um/day), biology.md sec. 2", .min = 0});
    v.value("osteocyte_fraction", osteocyte_fraction,
            {.doc = "share of finishing osteoblasts that become osteocytes", .min = 0, .max = 1});
    v.value("lining_fraction", lining_fraction,
            {.doc = "share of finishing osteoblasts that become lining cells", .min = 0, .max = 1});
    v.value("active_lifespan_days", active_lifespan_days,
            {.doc = "longest active phase (days)", .min = 0, .min_open = true});
    v.value("overflow_fraction", overflow_fraction,
            {.doc = "share of osteoblasts forming one voxel past the cavity rim (-)",
             .min = 0,
             .max = 1});
    v.value("quiescent_recruitment_per_mm2_per_day", quiescent_recruitment_per_mm2_per_day,
            {.doc = "osteoblasts recruited onto quiescent surface per mm^2 per day", .min = 0});
    v.value(
        "rankl_pM_per_day", rankl_pM_per_day,
        {.doc = "RANKL made per precursor (pM/day in its voxel), choice to calibrate", .min = 0});
    v.value("opg_pM_per_day", opg_pM_per_day,
            {.doc = "OPG made per active osteoblast (pM/day in its voxel), choice to calibrate",
             .min = 0});
  }
};

// Osteocytes inside bone voxels; those in surface voxels signal to the marrow next to them.
struct OsteocyteConfig {
  double density_per_mm3 = 20000;    // human cancellous bone, Mullender et al. 1996
  double rankl_pM_per_day = 3100.0;  // RANKL per signalling osteocyte, to calibrate
  double opg_pM_per_day = 1500.0;    // OPG per signalling osteocyte, to calibrate

  template <class V>
  void visit(V& v) {
    v.value("density_per_mm3", density_per_mm3,
            {.doc = "osteocytes per mm^3 of bone at day 0, Mullender 1996", .min = 0});
    v.value("rankl_pM_per_day", rankl_pM_per_day,
            {.doc = "RANKL per signalling osteocyte (pM/day), choice to calibrate", .min = 0});
    v.value("opg_pM_per_day", opg_pM_per_day,
            {.doc = "OPG per signalling osteocyte (pM/day), choice to calibrate", .min = 0});
  }
};

// T cells wandering through marrow.
struct TCellConfig {
  double density_per_mm3 = 500;       // agents per mm^3 of marrow (each stands for many cells)
  double move_per_day = 20.0;         // random hops per day (choice; ~10 um/min in vivo)
  double activation_per_day = 0.02;   // resting -> activated (choice)
  double deactivation_per_day = 0.2;  // activated -> resting (choice)
  double rankl_pM_per_day = 30000.0;  // RANKL per activated T cell (Eghbali-Fatourechi 2003)

  template <class V>
  void visit(V& v) {
    v.value("density_per_mm3", density_per_mm3,
            {.doc = "T-cell agents per mm^3 of marrow", .min = 0});
    v.value("move_per_day", move_per_day, {.doc = "random hops per day (1/day)", .min = 0});
    v.value("activation_per_day", activation_per_day,
            {.doc = "resting -> activated rate (1/day)", .min = 0});
    v.value("deactivation_per_day", deactivation_per_day,
            {.doc = "activated -> resting rate (1/day)", .min = 0});
    v.value("rankl_pM_per_day", rankl_pM_per_day,
            {.doc = "RANKL per activated T cell (pM/day)", .min = 0});
  }
};

// Osteoid turning into mineralised bone (Martinez-Reina & Pivonka 2019).
struct MineralisationConfig {
  double lag_days = 12.0;      // osteoid waits this long after it was laid down
  double primary_days = 10.0;  // then mineralises with this time constant
  // Degree of mineralisation (of full mineral) at the end of the primary phase: about
  // 60-70 % (biology.md section 2, "Mineralisation").
  double primary_degree = 0.7;
  // Secondary mineralisation: d(degree)/dt = rate (1 - degree), months to years
  // (biology.md section 2). Choice: 90 % of the remaining gap in 4.2 years, calibrated on
  // the BMD rise under denosumab (docs/MODEL.md section 9).
  double secondary_per_day = 0.0015;
  // Day-0 bone gets the degree of an age drawn from the homeostatic age distribution,
  // exponential with this turnover (the model's 7.7-8.3 %/year, section 7).
  double initial_turnover_per_year = 0.08;

  template <class V>
  void visit(V& v) {
    v.value("lag_days", lag_days,
            {.doc = "mineralisation lag (days), Martinez-Reina 2019", .min = 0});
    v.value("primary_days", primary_days,
            {.doc = "primary mineralisation time (days), Martinez-Reina 2019",
             .min = 0,
             .min_open = true});
    v.value("primary_degree", primary_degree,
            {.doc = "degree of mineralisation after the primary phase (-)", .min = 0, .max = 1});
    v.value("secondary_per_day", secondary_per_day,
            {.doc = "secondary mineralisation rate (1/day)", .min = 0});
    v.value("initial_turnover_per_year", initial_turnover_per_year,
            {.doc = "turnover that sets the day-0 bone's mineral ages (1/year)",
             .min = 0,
             .min_open = true});
  }
};

struct CellsConfig {
  bool enabled = true;  // false: the lattice stays as it is (fields-only studies, tests)
  PrecursorConfig precursors;
  OsteoclastConfig osteoclasts;
  OsteoblastConfig osteoblasts;
  OsteocyteConfig osteocytes;
  TCellConfig t_cells;
  MineralisationConfig mineralisation;

  template <class V>
  void visit(V& v) {
    v.value("enabled", enabled, {.doc = "simulate the bone cells"});
    v.section("precursors", precursors);
    v.section("osteoclasts", osteoclasts);
    v.section("osteoblasts", osteoblasts);
    v.section("osteocytes", osteocytes);
    v.section("t_cells", t_cells);
    v.section("mineralisation", mineralisation);
  }
};

}  // namespace bonesim
