// The MPI side of `bonesim sweep` (private to src/app): rank 0 hands out run indices on
// request, the other ranks ask for them. Without MPI (or when not started by mpirun)
// there is one rank and these do nothing.
#pragma once

#include <functional>

namespace bonesim {

struct MpiWorld {
  int rank = 0;
  int size = 1;
};

// Joins MPI_COMM_WORLD when built with MPI and launched by an MPI launcher (its
// environment says so); otherwise {0, 1}.
MpiWorld mpi_start();
void mpi_finish();
void mpi_barrier();

// Rank 0: answers every waiting request with next() (-1: nothing more for that rank);
// returns how many ranks have been answered -1 so far, in all.
int mpi_serve(const std::function<long()>& next);

// Other ranks: the next run index from rank 0, -1 when there is none. `stopping` sends
// the request as a farewell: the answer is -1 and rank 0 counts this rank as done.
long mpi_request(bool stopping);

}  // namespace bonesim
