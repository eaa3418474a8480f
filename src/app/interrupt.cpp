#include "bonesim/app/interrupt.hpp"

#include <csignal>

namespace bonesim {

namespace {
// The one piece of process-wide state: a signal handler can only talk through it.
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // the second Ctrl-C is not caught: it ends the process
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int interrupt_signal() {
  return g_signal;
}

}  // namespace bonesim
