#include "bonesim/app/progress.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace bonesim {

namespace {
std::string hms(double s) {
  if (!std::isfinite(s) || s < 0) return "--:--:--";
  const auto t = static_cast<long long>(s + 0.5);
  return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
}
}  // namespace

Progress::Progress(bool bar, std::FILE* stream, std::chrono::seconds log_every)
    : bar_(bar), stream_(stream), log_every_(log_every) {}

std::string Progress::line(double day, double total_days, double fraction, double steps_per_s,
                           double eta_s, int width) {
  const int filled = std::clamp(int(fraction * width), 0, width);
  std::string bar(std::size_t(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(std::size_t(width), ' ');
  return fmt::format("day {:.6g}/{:.6g} [{}] {:3.0f}% {:.3g} steps/s ETA {}", day, total_days, bar,
                     100.0 * fraction, steps_per_s, hms(eta_s));
}

void Progress::update(double day, double total_days, std::int64_t step, std::int64_t total_steps) {
  const auto now = Clock::now();
  if (start_step_ < 0) start_step_ = step - 1;  // the first update follows one step
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(step - start_step_) / elapsed : 0.0;
  const double eta = rate > 0 ? double(total_steps - step) / rate : NAN;
  const double fraction = total_steps > 0 ? double(step) / double(total_steps) : 1.0;
  if (bar_) {
    if (now - last_ < std::chrono::milliseconds(100) && step < total_steps && drawn_) return;
    std::fprintf(stream_, "\r%s", line(day, total_days, fraction, rate, eta, 30).c_str());
    std::fflush(stream_);
    drawn_ = true;
    last_ = now;
    return;
  }
  const int decile = int(fraction * 10.0 + 1e-9);
  if (now - last_ >= log_every_ || decile > last_decile_) {
    spdlog::info("day {:.6g}/{:.6g} ({:.0f}%), {:.3g} steps/s, ETA {}", day, total_days,
                 100.0 * fraction, rate, hms(eta));
    last_ = now;
    last_decile_ = decile;
  }
}

void Progress::finish() {
  if (bar_ && drawn_) {
    std::fputc('\n', stream_);
    std::fflush(stream_);
    drawn_ = false;
  }
}

}  // namespace bonesim
