#include "bonesim/output/run_xdmf.hpp"

#include <fmt/format.h>

namespace bonesim {

namespace {

// XDMF 2 number types. uint64 (cell ids) is declared Int 8: ParaView's Xdmf 2 reader
// has no 64-bit unsigned type, and HDF5 converts on reading (ids stay below 2^63).
std::string number_type(ElementType t) {
  switch (t) {
    case ElementType::kUint8:
      return R"(NumberType="UChar" Precision="1")";
    case ElementType::kInt32:
      return R"(NumberType="Int" Precision="4")";
    case ElementType::kUint64:
      return R"(NumberType="Int" Precision="8")";
    case ElementType::kFloat32:
      return R"(NumberType="Float" Precision="4")";
    case ElementType::kFloat64:
      return R"(NumberType="Float" Precision="8")";
  }
  return "";
}

// The grid of one part ("lattice" or "fields"): a 3DCoRectMesh whose cells are the
// voxels of `g`, with the part's `arrays` (/<part>/<name> in `s`) as cell data.
void voxel_grid(std::string& out, const char* part, const SnapshotGeometry& g,
                const SnapshotInfo& s, const std::vector<ArrayEntry>& arrays) {
  const auto& n = g.grid_size;
  const auto& o = g.origin_um;
  const double h = g.voxel_size_um;
  // Node counts are voxel counts + 1: voxel (i, j, k) is the mesh cell spanning
  // [origin + i h, origin + (i + 1) h) along x, exactly as the simulation sees it.
  out += fmt::format(
      "      <Grid Name=\"{}\" GridType=\"Uniform\">\n"
      "        <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"{} {} {}\"/>\n"
      "        <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n"
      "          <DataItem Name=\"Origin\" Dimensions=\"3\" NumberType=\"Float\" "
      "Precision=\"8\" Format=\"XML\">{} {} {}</DataItem>\n"
      "          <DataItem Name=\"Spacing\" Dimensions=\"3\" NumberType=\"Float\" "
      "Precision=\"8\" Format=\"XML\">{} {} {}</DataItem>\n"
      "        </Geometry>\n",
      part, n[2] + 1, n[1] + 1, n[0] + 1, o[2], o[1], o[0], h, h, h);
  for (const ArrayEntry& a : arrays) {
    out += fmt::format(
        "        <Attribute Name=\"{}\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
        "          <DataItem Dimensions=\"{} {} {}\" {} Format=\"HDF\">{}:/{}/{}</DataItem>\n"
        "        </Attribute>\n",
        a.name, n[2], n[1], n[0], number_type(a.type), s.file, part, a.name);
  }
  out += "      </Grid>\n";
}

void cell_grid(std::string& out, const SnapshotInfo& s, const PopulationEntry& p) {
  const std::string base = s.file + ":/cells/" + p.name + "/";
  out += fmt::format(
      "      <Grid Name=\"cells_{}\" GridType=\"Uniform\">\n"
      "        <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"{}\" "
      "NodesPerElement=\"1\"/>\n"
      "        <Geometry GeometryType=\"XYZ\">\n"
      "          <DataItem Dimensions=\"{} 3\" NumberType=\"Float\" Precision=\"8\" "
      "Format=\"HDF\">{}position_um</DataItem>\n"
      "        </Geometry>\n",
      p.name, p.count, p.count, base);
  for (const ArrayEntry& c : p.columns) {
    const bool vector = c.components == 3;
    const std::string dims = vector ? fmt::format("{} 3", p.count) : fmt::format("{}", p.count);
    out += fmt::format(
        "        <Attribute Name=\"{}\" AttributeType=\"{}\" Center=\"Node\">\n"
        "          <DataItem Dimensions=\"{}\" {} Format=\"HDF\">{}{}</DataItem>\n"
        "        </Attribute>\n",
        c.name, vector ? "Vector" : "Scalar", dims, number_type(c.type), base, c.name);
  }
  out += "      </Grid>\n";
}

}  // namespace

std::string run_xdmf(const std::vector<SnapshotInfo>& snapshots) {
  std::string out =
      "<?xml version=\"1.0\" ?>\n"
      "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
      "<Xdmf Version=\"2.0\">\n"
      "  <Domain>\n"
      "    <Grid Name=\"run\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  const SnapshotInfo *lattice = nullptr, *fields = nullptr, *cells = nullptr;
  for (const SnapshotInfo& s : snapshots) {
    if (s.parts.lattice) lattice = &s;
    if (s.parts.fields) fields = &s;
    if (s.parts.cells) cells = &s;
    out += fmt::format(
        "    <Grid Name=\"step_{:08d}\" GridType=\"Collection\" CollectionType=\"Spatial\">\n"
        "      <Time Value=\"{}\"/>\n",
        s.step, s.day);
    // The fields have a grid of their own (coarser with fields.grid_coarsening > 1),
    // always a second grid so that the layout does not depend on the coarsening.
    if (lattice) voxel_grid(out, "lattice", lattice->geometry, *lattice, lattice->lattice);
    if (fields) voxel_grid(out, "fields", fields->fields_geometry, *fields, fields->fields);
    if (cells) {
      for (const PopulationEntry& p : cells->populations) {
        // An empty point set makes the Xdmf reader fail on a zero-size DataItem.
        if (p.count > 0) cell_grid(out, *cells, p);
      }
    }
    out += "    </Grid>\n";
  }
  out +=
      "    </Grid>\n"
      "  </Domain>\n"
      "</Xdmf>\n";
  return out;
}

}  // namespace bonesim
