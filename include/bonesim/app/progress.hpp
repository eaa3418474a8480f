// Run progress for people: a redrawn bar on a terminal, plain log lines otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace bonesim {

class Progress {
 public:
  // `bar`: redraw one line on `stream` (a terminal); otherwise log every
  // `log_every` of wall time or each 10 % of the run.
  Progress(bool bar, std::FILE* stream, std::chrono::seconds log_every = std::chrono::seconds(10));

  void update(double day, double total_days, std::int64_t step, std::int64_t total_steps);
  void finish();  // ends the bar's line

  // "day 12.5/30 [=====>    ] 41% 3.2 steps/s ETA 0:00:05"
  static std::string line(double day, double total_days, double fraction, double steps_per_s,
                          double eta_s, int width);

 private:
  using Clock = std::chrono::steady_clock;
  bool bar_;
  std::FILE* stream_;
  std::chrono::seconds log_every_;
  Clock::time_point start_ = Clock::now(), last_ = start_;
  std::int64_t start_step_ = -1;
  int last_decile_ = 0;
  bool drawn_ = false;
};

}  // namespace bonesim
