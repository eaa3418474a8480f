// Ctrl-C / SIGTERM: finish the current step, write what we have, exit 130 / 143.
#pragma once

namespace bonesim {

// Installs handlers for SIGINT and SIGTERM that only record the signal; a second
// signal of the same kind kills the process the usual way.
void install_interrupt_handlers();

// The signal that asked us to stop, or 0.
int interrupt_signal();

}  // namespace bonesim
