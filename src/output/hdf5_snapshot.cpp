// Snapshot and checkpoint writer (docs/OUTPUT_LAYOUT.md).
//
// Every dataset is chunked along its first axis (z planes for voxel arrays, rows for
// cell columns) and written with H5Dwrite_chunk in batches: the chunks of a batch are
// gathered out of the padded field (and, with compression, shuffled and deflated) in
// parallel, then handed to HDF5 in order by the calling thread. Compression therefore
// runs on every worker thread instead of serially inside HDF5's filter pipeline, and
// uncompressed chunks go to disk in one write each without passing through HDF5's
// chunk cache.
#include "bonesim/output/hdf5_snapshot.hpp"

#include "bonesim/core/parallel.hpp"
#include "bonesim/output/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <tbb/task_arena.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>

#include "bonesim/core/error.hpp"
#include "hdf5_util.hpp"

namespace bonesim {

namespace {

using h5::Handle;

// Chunks of about this size: large enough that a 256^3 snapshot is a few hundred
// writes, small enough that h5py / ParaView reading one z-slab stay within HDF5's
// default 1 MiB chunk cache.
constexpr std::size_t kTargetChunkBytes = std::size_t(512) << 10;

// Copies rows [first, first + n) of the first axis into `out` (contiguous, C order).
using Gather = std::function<void(std::size_t first, std::size_t n, unsigned char* out)>;

struct ArraySpec {
  ElementType type;
  std::vector<hsize_t> dims;  // C order; the first axis is the one chunks split
  Gather gather;
};

// HDF5's shuffle filter: byte b of element i goes to b * n + i, so that the
// similar high bytes of neighbouring values sit together for deflate.
void shuffle(const unsigned char* in, unsigned char* out, std::size_t n, std::size_t size) {
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t b = 0; b < size; ++b) out[b * n + i] = in[i * size + b];
  }
}

struct Chunk {
  std::size_t index = 0;
  std::unique_ptr<unsigned char[]> raw, packed;  // reused from batch to batch
  std::size_t packed_size = 0;
  bool packed_ok = false;
};

}  // namespace

struct SnapshotWriter::Impl {
  std::filesystem::path path, tmp;
  SnapshotOptions options;
  SnapshotInfo info;
  SnapshotGeometry fields_geometry;  // the grid of the field arrays
  Handle file, lattice, fields, cells, population;
  PopulationEntry current;
  bool committed = false;

  // After a failed write nothing more may reach the disk (see h5::abandon): the
  // handles still open are closed into memory while the exception unwinds.
  [[noreturn]] void fail(const std::string& what) const {
    const std::string reason = h5::last_error_reason();
    if (file.valid()) h5::divert_to_memory(file.get());
    throw OutputError(path.string() + ": cannot " + what + ": " + reason);
  }

  void write_array(hid_t group, std::string_view name, const ArraySpec& spec, const ArrayInfo& ai,
                   const std::string& where) {
    const std::string n(name);
    const int rank = int(spec.dims.size());
    const std::size_t esize = element_size(spec.type);
    std::size_t row_elems = 1;
    for (int d = 1; d < rank; ++d) row_elems *= std::size_t(spec.dims[std::size_t(d)]);
    const std::size_t rows = spec.dims[0];
    const std::size_t row_bytes = row_elems * esize;
    const std::size_t chunk_rows = std::clamp<std::size_t>(
        kTargetChunkBytes / std::max<std::size_t>(row_bytes, 1), 1, std::max<std::size_t>(rows, 1));
    const bool deflate = options.deflate_level > 0 && rows > 0;

    Handle space(H5Screate_simple(rank, spec.dims.data(), nullptr), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER);  // every chunk is written anyway
    if (rows > 0) {  // a chunk may not exceed an empty fixed-size axis
      std::vector<hsize_t> chunk = spec.dims;
      chunk[0] = chunk_rows;
      H5Pset_chunk(dcpl.get(), rank, chunk.data());
      if (deflate) {
        H5Pset_shuffle(dcpl.get());
        H5Pset_deflate(dcpl.get(), unsigned(options.deflate_level));
      }
    }
    Handle dset(H5Dcreate2(group, n.c_str(), h5::native_type(spec.type), space.get(), H5P_DEFAULT,
                           dcpl.get(), H5P_DEFAULT),
                H5Dclose);
    if (!dset.valid()) fail("create dataset " + where);
    if (!h5::write_attr(dset.get(), "units", ai.units) ||
        !h5::write_attr(dset.get(), "description", ai.description)) {
      fail("write the attributes of " + where);
    }
    if (rows == 0) return;

    const std::size_t chunk_bytes = chunk_rows * row_bytes;
    const std::size_t nchunks = (rows + chunk_rows - 1) / chunk_rows;
    const int level = options.deflate_level;
    // Chunks are gathered (and compressed) in parallel a batch at a time through the
    // parallel-loop helper, then written in order by this thread: HDF5 is not
    // thread-safe, and the file's bytes do not depend on the thread count.
    const std::size_t batch = std::size_t(4 * tbb::this_task_arena::max_concurrency());
    std::vector<Chunk> chunks(std::min(batch, nchunks));
    for (std::size_t first_chunk = 0; first_chunk < nchunks; first_chunk += batch) {
      const std::size_t in_batch = std::min(batch, nchunks - first_chunk);
      parallel_for(0, Index(in_batch), [&](Index b) {
        Chunk& c = chunks[std::size_t(b)];
        c.index = first_chunk + std::size_t(b);
        const std::size_t first = c.index * chunk_rows;
        const std::size_t count = std::min(chunk_rows, rows - first);
        if (!c.raw) c.raw = std::make_unique_for_overwrite<unsigned char[]>(chunk_bytes);
        spec.gather(first, count, c.raw.get());
        // The last chunk is stored full size; its tail is zeroed so that the file's
        // bytes do not depend on leftover memory.
        std::memset(c.raw.get() + count * row_bytes, 0, chunk_bytes - count * row_bytes);
        if (deflate) {
          auto shuffled = std::make_unique_for_overwrite<unsigned char[]>(chunk_bytes);
          shuffle(c.raw.get(), shuffled.get(), chunk_bytes / esize, esize);
          uLongf size = compressBound(uLong(chunk_bytes));
          if (!c.packed) c.packed = std::make_unique_for_overwrite<unsigned char[]>(size);
          c.packed_ok =
              compress2(c.packed.get(), &size, shuffled.get(), uLong(chunk_bytes), level) == Z_OK;
          c.packed_size = size;
        }
      });
      for (std::size_t b = 0; b < in_batch; ++b) {
        const Chunk& c = chunks[b];
        if (deflate && !c.packed_ok) fail("compress " + where);
        std::vector<hsize_t> offset(std::size_t(rank), 0);
        offset[0] = c.index * chunk_rows;
        const bool ok = deflate ? H5Dwrite_chunk(dset.get(), H5P_DEFAULT, 0, offset.data(),
                                                 c.packed_size, c.packed.get()) >= 0
                                : H5Dwrite_chunk(dset.get(), H5P_DEFAULT, 0, offset.data(),
                                                 chunk_bytes, c.raw.get()) >= 0;
        if (!ok) fail("write " + where);
      }
    }
    if (!dset.close()) fail("write " + where);
  }

  template <class T>
  void voxel_array(Part part, std::string_view name, const Field<T>& f, ElementType type,
                   const ArrayInfo& ai) {
    const bool is_lattice = part == Part::kLattice;
    const bool wanted = part == Part::kLattice  ? info.parts.lattice
                        : part == Part::kFields ? info.parts.fields
                                                : info.parts.cells;
    if (!wanted) return;
    const auto& g = is_lattice ? info.geometry.grid_size : fields_geometry.grid_size;
    if (f.shape.nx != g[0] || f.shape.ny != g[1] || f.shape.nz != g[2]) {
      throw std::invalid_argument(
          fmt::format("snapshot: {} array {} is {} x {} x {}, the {} grid {} x {} x {}",
                      is_lattice ? "lattice" : "fields", name, f.shape.nx, f.shape.ny, f.shape.nz,
                      is_lattice ? "lattice's" : "fields'", g[0], g[1], g[2]));
    }
    const GridShape s = f.shape;
    ArraySpec spec{type,
                   {hsize_t(s.nz), hsize_t(s.ny), hsize_t(s.nx)},
                   [&f, s](std::size_t first, std::size_t n, unsigned char* out) {
                     // Rows are padded (core/grid.hpp): copy row by row, not the storage.
                     auto* dst = reinterpret_cast<T*>(out);
                     for (std::size_t k = first; k < first + n; ++k) {
                       for (int j = 0; j < s.ny; ++j) {
                         std::memcpy(dst, f.row(j, int(k)), sizeof(T) * std::size_t(s.nx));
                         dst += s.nx;
                       }
                     }
                   }};
    const char* group = is_lattice ? "lattice" : "fields";
    write_array(is_lattice ? lattice.get() : fields.get(), name, spec, ai,
                std::string("/") + group + "/" + std::string(name));
    (is_lattice ? info.lattice : info.fields).push_back({std::string(name), type, 1});
  }

  template <class T>
  void cell_column(std::string_view name, const std::vector<T>& v, ElementType type, int components,
                   const ArrayInfo& ai) {
    if (!population.valid()) throw std::logic_error("snapshot: column outside cells()");
    if (!current.columns.empty() && std::int64_t(v.size()) != current.count) {
      throw std::invalid_argument("snapshot: column " + std::string(name) + " of population " +
                                  current.name + " has a different length");
    }
    current.count = std::int64_t(v.size());
    std::vector<hsize_t> dims{hsize_t(v.size())};
    if (components > 1) dims.push_back(hsize_t(components));
    const std::size_t row_bytes = sizeof(T);
    ArraySpec spec{
        type, dims, [&v, row_bytes](std::size_t first, std::size_t n, unsigned char* out) {
          std::memcpy(out, reinterpret_cast<const unsigned char*>(v.data()) + first * row_bytes,
                      n * row_bytes);
        }};
    write_array(population.get(), name, spec, ai,
                "/cells/" + current.name + "/" + std::string(name));
    current.columns.push_back({std::string(name), type, components});
  }
};

SnapshotWriter::SnapshotWriter(const std::filesystem::path& path, const SnapshotGeometry& geometry,
                               const SnapshotGeometry& fields_geometry, SnapshotParts parts,
                               const SnapshotOptions& options)
    : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  m.path = path;
  m.tmp = path;
  m.tmp += ".tmp." + std::to_string(::getpid());
  m.options = options;
  m.info.file = path.string();
  m.info.parts = parts;
  m.info.geometry = geometry;
  m.fields_geometry = fields_geometry;
  if (parts.fields) m.info.fields_geometry = fields_geometry;
  // Create the file ourselves first: the system's reason (permission denied, no such
  // directory) is clearer than HDF5's stack.
  const int fd = ::open(m.tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw OutputError(path.string() + ": cannot create a temporary file: " + std::strerror(errno));
  }
  ::close(fd);
  m.file = Handle(H5Fcreate(m.tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!m.file.valid()) m.fail("create the HDF5 file");
  const hid_t root = m.file.get();
  const bool ok = h5::write_geometry(root, geometry) &&
                  h5::write_attr(root, "lattice", std::uint8_t(parts.lattice)) &&
                  h5::write_attr(root, "fields", std::uint8_t(parts.fields)) &&
                  h5::write_attr(root, "cells", std::uint8_t(parts.cells));
  if (!ok) m.fail("write the root attributes");
  if (parts.lattice) m.lattice = h5::create_group(root, "lattice");
  if (parts.fields) m.fields = h5::create_group(root, "fields");
  if (parts.cells) m.cells = h5::create_group(root, "cells");
  if ((parts.lattice && !m.lattice.valid()) || (parts.fields && !m.fields.valid()) ||
      (parts.cells && !m.cells.valid())) {
    m.fail("create the groups");
  }
  // The fields' own grid (coarser than the lattice's with fields.grid_coarsening > 1),
  // so that a reader of /fields needs nothing else.
  if (parts.fields && !h5::write_geometry(m.fields.get(), fields_geometry)) {
    m.fail("write the attributes of /fields");
  }
}

SnapshotWriter::~SnapshotWriter() {
  if (!impl_) return;
  h5::QuietErrors quiet;
  impl_->population.close();
  impl_->lattice.close();
  impl_->fields.close();
  impl_->cells.close();
  if (!impl_->committed) {
    h5::abandon(impl_->file);  // the write failed: nothing more may go to the disk
    ::unlink(impl_->tmp.c_str());
  }
}

void SnapshotWriter::scalar(std::string_view name, const std::int64_t& value, const ArrayInfo&) {
  h5::QuietErrors quiet;
  if (name == "step") impl_->info.step = value;
  if (!h5::write_attr(impl_->file.get(), std::string(name).c_str(), value)) {
    impl_->fail("write attribute " + std::string(name));
  }
}

void SnapshotWriter::scalar(std::string_view name, const double& value, const ArrayInfo&) {
  h5::QuietErrors quiet;
  if (name == "day") impl_->info.day = value;
  if (!h5::write_attr(impl_->file.get(), std::string(name).c_str(), value)) {
    impl_->fail("write attribute " + std::string(name));
  }
}

template <VoxelElement T>
void SnapshotWriter::voxels(Part part, std::string_view name, const Field<T>& f,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->voxel_array(part, name, f, h5::element_type<T>(), info);
}
template void SnapshotWriter::voxels(Part, std::string_view, const Field<float>&, const ArrayInfo&);
template void SnapshotWriter::voxels(Part, std::string_view, const Field<std::uint8_t>&,
                                     const ArrayInfo&);
template void SnapshotWriter::voxels(Part, std::string_view, const Field<std::int32_t>&,
                                     const ArrayInfo&);

bool SnapshotWriter::begin_population(std::string_view name) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  if (!m.info.parts.cells) return false;
  m.current = PopulationEntry{std::string(name), 0, {}};
  m.population = h5::create_group(m.cells.get(), std::string(name));
  if (!m.population.valid()) m.fail("create group /cells/" + std::string(name));
  return true;
}

void SnapshotWriter::end_population() {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  if (!h5::write_attr(m.population.get(), "count", m.current.count)) {
    m.fail("write /cells/" + m.current.name + " count");
  }
  m.population.close();
  m.info.populations.push_back(std::move(m.current));
  m.current = {};
}

void SnapshotWriter::column(std::string_view name, const std::vector<std::uint64_t>& v,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kUint64, 1, info);
}
void SnapshotWriter::column(std::string_view name, const std::vector<std::int32_t>& v,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kInt32, 1, info);
}
void SnapshotWriter::column(std::string_view name, const std::vector<std::uint8_t>& v,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kUint8, 1, info);
}
void SnapshotWriter::column(std::string_view name, const std::vector<float>& v,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat32, 1, info);
}
void SnapshotWriter::column(std::string_view name, const std::vector<double>& v,
                            const ArrayInfo& info) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat64, 1, info);
}
void SnapshotWriter::column(std::string_view name, const std::vector<std::array<double, 3>>& v,
                            const ArrayInfo& info) {
  static_assert(sizeof(std::array<double, 3>) == 3 * sizeof(double));
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat64, 3, info);
}

SnapshotInfo SnapshotWriter::commit() {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  const bool closed =
      m.population.close() && m.lattice.close() && m.fields.close() && m.cells.close();
  // Flush first, while a failure still leaves the file open for the destructor to
  // abandon: the metadata goes to disk here, which is where a full disk often shows.
  if (!closed || H5Fflush(m.file.get(), H5F_SCOPE_LOCAL) < 0) m.fail("write");
  if (!m.file.close()) m.fail("write");
  if (m.options.sync) {
    const int fd = ::open(m.tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      throw OutputError(m.path.string() + ": cannot flush: " + std::strerror(err));
    }
    ::close(fd);
  }
  if (::rename(m.tmp.c_str(), m.path.c_str()) != 0) {
    throw OutputError(m.path.string() + ": cannot replace: " + std::strerror(errno));
  }
  m.committed = true;
  return m.info;
}

namespace {
// Bytes of the arrays a snapshot will hold (uncompressed), for the space check.
struct ByteCounter {
  SnapshotParts parts;
  std::uintmax_t bytes = 0;
  template <class T>
  void scalar(std::string_view, const T&, const ArrayInfo&) {}
  template <class T>
  void voxels(Part part, std::string_view, const Field<T>& f, const ArrayInfo&) {
    if ((part == Part::kLattice && parts.lattice) || (part == Part::kFields && parts.fields)) {
      bytes += std::uintmax_t(f.shape.voxel_count()) * sizeof(T);
    }
  }
  template <class P>
  void cells(std::string_view, const P& pop) {
    if (parts.cells) visit_columns(pop, *this);
  }
  template <class T>
  void column(std::string_view, const std::vector<T>& v, const ArrayInfo&) {
    bytes += v.size() * sizeof(T);
  }
};
}  // namespace

SnapshotInfo write_snapshot_h5(const std::filesystem::path& path, const Simulation& sim,
                               SnapshotParts parts, const SnapshotOptions& options) {
  ByteCounter count{parts};
  visit_state(sim, count);
  ensure_space_for(path, count.bytes + (std::uintmax_t(1) << 20));  // + metadata, chunk padding
  SnapshotWriter w(path, geometry_of(sim.lattice), fields_geometry_of(sim), parts, options);
  visit_state(sim, w);
  return w.commit();
}

SnapshotInfo write_checkpoint_h5(const std::filesystem::path& path, const Simulation& sim) {
  return write_snapshot_h5(path, sim, {true, true, true}, {.deflate_level = 0, .sync = true});
}

}  // namespace bonesim
