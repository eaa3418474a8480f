// The bone cells as agents: one plain struct of arrays per cell type (docs/MODEL.md,
// "Cells"). Each lists its columns once through visit_columns (sim/state.hpp), which
// drives snapshots, checkpoints, restarts and the generic removal below.
//
// Every cell has a stable id (unique within the run, never reused, handed out in a
// deterministic order from CellPopulations::next_id) and a position at the centre of
// its voxel, in lattice coordinates (um). Rows are kept in id order.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bonesim/core/array_info.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

using Position = std::array<double, 3>;

// Osteoclast precursors (RANK+ monocyte-macrophages) in marrow next to bone.
struct Precursors {
  std::vector<std::uint64_t> id;
  std::vector<Position> position_um;
  std::vector<float> age_days;
};

// Multinucleated osteoclasts, each sitting in a marrow voxel next to the bone it resorbs.
struct Osteoclasts {
  std::vector<std::uint64_t> id;
  std::vector<Position> position_um;
  std::vector<std::int32_t> nuclei;
  std::vector<float> age_days;
  std::vector<std::int32_t> event;  // remodelling event (BMU) it works for
  std::vector<float> max_depth_um;  // it resorbs no deeper than this below the surface
  std::vector<float> credit_um3;    // resorption capacity not yet spent
  std::vector<Position> heading;    // unit vector: direction of travel (persistence)
};

// Osteoblast lineage on a pit surface: precursors, then active (osteoid-laying) cells.
enum class OsteoblastStage : std::uint8_t { kPrecursor = 0, kActive = 1 };
struct Osteoblasts {
  std::vector<std::uint64_t> id;
  std::vector<Position> position_um;
  std::vector<std::uint8_t> stage;  // OsteoblastStage
  std::vector<float> age_days;      // since recruitment
  std::vector<std::int32_t> event;  // the event whose pit it refills
};

// Osteocytes, one per lacuna, inside bone voxels.
struct Osteocytes {
  std::vector<std::uint64_t> id;
  std::vector<Position> position_um;
};

// T cells wandering through marrow, resting or activated.
struct TCells {
  std::vector<std::uint64_t> id;
  std::vector<Position> position_um;
  std::vector<std::uint8_t> activated;
};

struct CellPopulations {
  Precursors precursors;
  Osteoclasts osteoclasts;
  Osteoblasts osteoblasts;
  Osteocytes osteocytes;
  TCells t_cells;
  std::int64_t next_id = 1;     // id of the next cell born
  std::int64_t next_event = 0;  // id of the next remodelling event
  // Lining cells are the quiescent surface itself (not agents): finishing osteoblasts
  // that become lining cells are counted here.
  std::int64_t lining_cells_formed = 0;
};

// Bone volume removed and laid down (um^3), for the markers.
struct RemodellingTally {
  double resorbed_um3 = 0;  // in the current day so far
  double formed_um3 = 0;
  double resorbed_um3_per_day = 0;  // over the last completed day
  double formed_um3_per_day = 0;
};

// Calls pop_fn(name, population) for every population, in a fixed order.
template <class C, class F>
void for_each_population(C& cells, F&& pop_fn) {
  pop_fn("precursors", cells.precursors);
  pop_fn("osteoclasts", cells.osteoclasts);
  pop_fn("osteoblasts", cells.osteoblasts);
  pop_fn("osteocytes", cells.osteocytes);
  pop_fn("t_cells", cells.t_cells);
}

template <class P, class C>
requires std::is_same_v<std::remove_const_t<P>, Precursors>
void visit_columns(P& p, C& c) {
  c.column("id", p.id, {"1", "cell id"});
  c.column("position_um", p.position_um, {"um", "voxel centre, lattice coordinates"});
  c.column("age_days", p.age_days, {"d", "days since arrival"});
}

template <class P, class C>
requires std::is_same_v<std::remove_const_t<P>, Osteoclasts>
void visit_columns(P& p, C& c) {
  c.column("id", p.id, {"1", "cell id"});
  c.column("position_um", p.position_um, {"um", "voxel centre, lattice coordinates"});
  c.column("nuclei", p.nuclei, {"1", "nuclei (fused precursors)"});
  c.column("age_days", p.age_days, {"d", "days since formation"});
  c.column("event", p.event, {"1", "remodelling event (BMU) id"});
  c.column("max_depth_um", p.max_depth_um, {"um", "deepest it resorbs below the surface"});
  c.column("credit_um3", p.credit_um3, {"um^3", "resorption capacity not yet spent"});
  c.column("heading", p.heading, {"1", "unit direction of travel"});
}

template <class P, class C>
requires std::is_same_v<std::remove_const_t<P>, Osteoblasts>
void visit_columns(P& p, C& c) {
  c.column("id", p.id, {"1", "cell id"});
  c.column("position_um", p.position_um, {"um", "voxel centre, lattice coordinates"});
  c.column("stage", p.stage, {"1", "0 precursor (makes RANKL), 1 active (osteoid, OPG)"});
  c.column("age_days", p.age_days, {"d", "days since recruitment"});
  c.column("event", p.event, {"1", "remodelling event whose pit it refills"});
}

template <class P, class C>
requires std::is_same_v<std::remove_const_t<P>, Osteocytes>
void visit_columns(P& p, C& c) {
  c.column("id", p.id, {"1", "cell id"});
  c.column("position_um", p.position_um, {"um", "voxel centre, lattice coordinates"});
}

template <class P, class C>
requires std::is_same_v<std::remove_const_t<P>, TCells>
void visit_columns(P& p, C& c) {
  c.column("id", p.id, {"1", "cell id"});
  c.column("position_um", p.position_um, {"um", "voxel centre, lattice coordinates"});
  c.column("activated", p.activated, {"1", "1 = activated (makes RANKL)"});
}

template <class P>
std::size_t population_size(const P& p) {
  return p.id.size();
}

namespace detail {
// Keeps the rows whose flag is 0, in order (a column visitor).
struct RemoveRows {
  const std::vector<std::uint8_t>& remove;
  template <class T>
  void column(std::string_view, std::vector<T>& v, const ArrayInfo&) {
    std::size_t out = 0;
    for (std::size_t r = 0; r < v.size(); ++r) {
      if (!remove[r]) v[out++] = v[r];
    }
    v.resize(out);
  }
};

// Adds up the bytes of one row (a column visitor).
struct RowBytes {
  std::size_t bytes = 0;
  template <class T>
  void column(std::string_view, const std::vector<T>&, const ArrayInfo&) {
    bytes += sizeof(T);
  }
};
}  // namespace detail

// Bytes one cell of population p takes in its columns.
template <class P>
std::size_t bytes_per_row(const P& p) {
  detail::RowBytes count;
  visit_columns(p, count);
  return count.bytes;
}

// Removes the rows with remove[row] != 0, keeping the others in order.
template <class P>
void remove_rows(P& p, const std::vector<std::uint8_t>& remove) {
  detail::RemoveRows compact{remove};
  visit_columns(p, compact);
}

// Voxel of a position and the centre of a voxel, in lattice coordinates.
std::array<int, 3> voxel_of(const BoneLattice& l, const Position& p);
Position centre_of(const BoneLattice& l, int i, int j, int k);
inline Position centre_of(const BoneLattice& l, const std::array<int, 3>& v) {
  return centre_of(l, v[0], v[1], v[2]);
}

// Bytes per cell of the population with the widest rows.
std::size_t bytes_per_cell(const CellPopulations& cells);

}  // namespace bonesim
