#include "sweep_mpi.hpp"

#include <cstdlib>

#ifdef BONESIM_WITH_MPI
#include <mpi.h>
#endif

namespace bonesim {

#ifdef BONESIM_WITH_MPI

namespace {

constexpr int kTagRequest = 1, kTagAnswer = 2;
bool g_started = false;  // this process called MPI_Init (and must finalize)
int g_done_ranks = 0;    // rank 0: ranks answered -1

bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

}  // namespace

MpiWorld mpi_start() {
  MpiWorld w;
  if (!launched_by_mpi()) return w;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  return w;
}

void mpi_finish() {
  if (g_started) MPI_Finalize();
  g_started = false;
}

void mpi_barrier() {
  if (g_started) MPI_Barrier(MPI_COMM_WORLD);
}

int mpi_serve(const std::function<long()>& next) {
  if (!g_started) return 0;
  while (true) {
    int waiting = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &waiting, &st);
    if (!waiting) break;
    int stopping = 0;
    MPI_Recv(&stopping, 1, MPI_INT, st.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    long index = stopping ? -1 : next();
    MPI_Send(&index, 1, MPI_LONG, st.MPI_SOURCE, kTagAnswer, MPI_COMM_WORLD);
    if (index < 0) ++g_done_ranks;
  }
  return g_done_ranks;
}

long mpi_request(bool stopping) {
  int flag = stopping ? 1 : 0;
  MPI_Send(&flag, 1, MPI_INT, 0, kTagRequest, MPI_COMM_WORLD);
  long index = -1;
  MPI_Recv(&index, 1, MPI_LONG, 0, kTagAnswer, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return index;
}

#else

MpiWorld mpi_start() {
  return {};
}
void mpi_finish() {}
void mpi_barrier() {}
int mpi_serve(const std::function<long()>&) {
  return 0;
}
long mpi_request(bool) {
  return -1;
}

#endif

}  // namespace bonesim
