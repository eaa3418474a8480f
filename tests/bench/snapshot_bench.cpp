// One HDF5 snapshot of a 256^3 lattice (the 5 lattice arrays plus the 7 float signalling
// fields) and 100,000 cells, against a plain
// POSIX write() of the same number of bytes to the same directory, timed alternately
// in the same iteration so both see the same page cache and disk state.
//
// Arguments: {deflate level (0 = uncompressed), fsync (0/1: both files or neither)}.
// Counters: snapshot_ms, write_ms, ratio (snapshot / write), size_MB (the snapshot
// file, also the number of bytes write() writes). Files go to $BONESIM_BENCH_DIR or
// the current directory and are removed afterwards.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/output/hdf5_snapshot.hpp"
#include "output/synthetic_cells.hpp"

namespace fs = std::filesystem;

namespace bonesim {
namespace {

constexpr int kN = 256;
constexpr std::size_t kCells = 100000;

struct Scene {
  Simulation sim;
  testing_support::SyntheticCells cells;
};

// Smooth, plate-like bone and smooth fields: deflate sees realistic redundancy, not
// constant arrays it would shrink to nothing.
const Scene& scene() {
  static const Scene s = [] {
    Scene sc;
    sc.sim = make_simulation(make_lattice(kN, kN, kN, 10.0), Config{});
    auto& l = sc.sim.lattice;
    for_each_voxel(l.shape, [&](int i, int j, int k) {
      const float v = 0.5f + 0.7f * std::sin(0.21f * float(i)) * std::cos(0.17f * float(j + k));
      l.bone(i, j, k) = std::clamp(v, 0.0f, 1.0f);
      l.osteoid(i, j, k) = v > 0.9f ? 0.1f : 0.0f;
      l.day_last_resorbed(i, j, k) = (i * 7 + j * 3 + k) % 97 == 0 ? float(k % 50) : kNever;
      l.day_last_formed(i, j, k) = kNever;
    });
    mark_day0(l);
    SignallingFields& fl = sc.sim.fields;
    int f = 0;
    for (Field<float>* field : {&fl.rankl, &fl.opg, &fl.rankl_opg, &fl.drug, &fl.rankl_drug,
                                &fl.rankl_rank, &fl.coupling}) {
      for_each_voxel(field->shape, [&](int i, int j, int k) {
        (*field)(i, j, k) = std::exp(-0.001f * float((i - 128) * (i - 128) + (j - 100) * (j - 100) +
                                                     (k - 90 + f) * (k - 90 + f)));
      });
      ++f;
    }
    sc.cells = testing_support::make_synthetic_cells(kCells, geometry_of(l), 11, 4);
    return sc;
  }();
  return s;
}

void write_snapshot(const fs::path& path, const Scene& s, const SnapshotOptions& options) {
  SnapshotWriter w(path, geometry_of(s.sim.lattice), fields_geometry_of(s.sim), {true, true, true},
                   options);
  visit_state(s.sim, w);
  w.cells("synthetic_cells", s.cells);  // beside the model's own populations
  w.commit();
}

void posix_write(const fs::path& path, const char* data, std::size_t size, bool sync) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n <= 0) throw std::runtime_error("cannot write " + path.string());
    data += n;
    size -= std::size_t(n);
  }
  if (sync && ::fsync(fd) != 0) throw std::runtime_error("cannot fsync " + path.string());
  ::close(fd);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void BM_snapshot_vs_write(benchmark::State& state) {
  const Scene& s = scene();
  const SnapshotOptions options{.deflate_level = int(state.range(0)), .sync = state.range(1) != 0};
  const char* env = std::getenv("BONESIM_BENCH_DIR");
  const fs::path dir = env ? env : ".";
  const fs::path h5 = dir / "snapshot_bench.h5", raw = dir / "snapshot_bench.raw";
  write_snapshot(h5, s, options);  // warm-up, and the byte count for write()
  const std::size_t size = fs::file_size(h5);
  std::vector<char> bytes(size, 1);
  double snap_ms = 0, write_ms = 0;
  for (auto _ : state) {
    fs::remove(h5);  // both start from no file: no truncation cost in either
    fs::remove(raw);
    auto t0 = std::chrono::steady_clock::now();
    write_snapshot(h5, s, options);
    const double a = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    posix_write(raw, bytes.data(), size, options.sync);
    const double b = ms_since(t0);
    snap_ms += a;
    write_ms += b;
    state.SetIterationTime(a / 1e3);
  }
  const double n = double(state.iterations());
  state.counters["snapshot_ms"] = snap_ms / n;
  state.counters["write_ms"] = write_ms / n;
  state.counters["ratio"] = snap_ms / write_ms;
  state.counters["size_MB"] = double(size) / 1e6;
  fs::remove(h5);
  fs::remove(raw);
}

BENCHMARK(BM_snapshot_vs_write)
    ->ArgNames({"deflate", "fsync"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({4, 0})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace bonesim

BENCHMARK_MAIN();
