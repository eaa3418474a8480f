#include "bonesim/app/sweep.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "bonesim/app/commands.hpp"
#include "bonesim/app/interrupt.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/sweep/plan.hpp"
#include "bonesim/sweep/summary.hpp"
#include "sweep_mpi.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace bonesim {

namespace {

using Clock = std::chrono::steady_clock;

// What one run needs before it starts: its command line and its config's hash, or why
// its config is invalid.
struct Prepared {
  std::vector<std::string> argv;
  std::string hash;
  std::string invalid;  // the first error line when the config does not load
};

Prepared prepare(const SweepOptions& opt, const SweepConfig& cfg, const SweepRun& run,
                 const fs::path& dir, int threads) {
  Prepared p;
  std::vector<std::string> set = run.overrides;
  set.push_back("run.output.directory=" + dir.string());
  try {
    Config effective = load_config(cfg.base, set);
    effective.run.threads = 0;  // results do not depend on it (docs/MODEL.md, determinism)
    p.hash = text_hash(config_to_yaml(effective));
  } catch (const ConfigError& e) {
    p.invalid = e.lines.empty() ? "invalid config" : e.lines.front();
    return p;
  }
  p.argv = {opt.executable,         "-q", "run", cfg.base, "--overwrite", "--threads",
            std::to_string(threads)};
  for (const std::string& s : set) {
    p.argv.push_back("--set");
    p.argv.push_back(s);
  }
  return p;
}

// The last non-empty line of a file (a failed run's error), at most 500 characters.
std::string last_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last.substr(0, 500);
}

struct Child {
  std::size_t run = 0;
  pid_t pid = -1;
  Clock::time_point start;
};

// Starts `bonesim run` for a prepared run: stdout discarded, stderr to DIR/stderr.log.
pid_t spawn_run(const Prepared& p, const fs::path& dir) {
  fs::create_directories(dir);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const std::string log = (dir / "stderr.log").string();
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : p.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int err = posix_spawn(&pid, p.argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    throw OutputError(fmt::format("cannot start {}: {}", p.argv[0], std::strerror(err)));
  }
  return pid;
}

RunRecord finished_record(int wait_status, double wall_s, const std::string& hash,
                          const fs::path& dir) {
  RunRecord r;
  r.wall_s = wall_s;
  r.config_hash = hash;
  if (WIFEXITED(wait_status)) {
    r.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    r.exit_code = 128 + WTERMSIG(wait_status);
  }
  if (r.exit_code == 0) {
    r.status = "ok";
  } else if (r.exit_code == kExitInterrupted || r.exit_code == 143) {
    r.status = "interrupted";
    r.error = "interrupted";
  } else {
    r.status = "failed";
    r.error = WIFSIGNALED(wait_status)
                  ? fmt::format("killed by signal {} ({})", WTERMSIG(wait_status),
                                strsignal(WTERMSIG(wait_status)))
                  : last_line(dir / "stderr.log");
    if (r.error.empty()) r.error = fmt::format("exit status {}", r.exit_code);
  }
  return r;
}

std::string absolute(const std::string& path) {
  return fs::absolute(path).lexically_normal();
}

// The sbatch script of a job array whose tasks run the sweep's share each.
std::string slurm_script(const SweepOptions& opt, const fs::path& sweep_dir, int tasks, int threads,
                         std::size_t runs) {
  const fs::path dir = fs::absolute(sweep_dir).lexically_normal();
  return fmt::format(
      "#!/bin/bash\n"
      "# bonesim sweep as a SLURM job array (written by `bonesim sweep --emit-slurm`):\n"
      "# {runs} runs in {tasks} tasks, run i in task i % {tasks}. Submit with\n"
      "#   sbatch {script}\n"
      "# and, once every task has ended, build the summary with\n"
      "#   {exe} sweep {sweep} -o {dir} --collect\n"
      "# Submitting again redoes only the runs that did not complete.\n"
      "#SBATCH --job-name=bonesim-sweep\n"
      "#SBATCH --array=0-{last}\n"
      "#SBATCH --ntasks=1\n"
      "#SBATCH --cpus-per-task={threads}\n"
      "#SBATCH --output={dir}/slurm/task_%a.out\n"
      "set -euo pipefail\n"
      "cd {cwd}\n"
      "exec {exe} -q sweep {sweep} -o {dir} --task-index \"${{SLURM_ARRAY_TASK_ID:?not in a "
      "SLURM array task}}\" --task-count {tasks} --threads "
      "\"${{SLURM_CPUS_PER_TASK:-{threads}}}\"\n",
      fmt::arg("runs", runs), fmt::arg("tasks", tasks), fmt::arg("last", tasks - 1),
      fmt::arg("threads", threads), fmt::arg("dir", dir.string()),
      fmt::arg("cwd", fs::current_path().string()), fmt::arg("exe", absolute(opt.executable)),
      fmt::arg("sweep", absolute(opt.sweep_file)),
      fmt::arg("script", (dir / "sweep.sbatch").string()));
}

}  // namespace

int sweep_command(SweepOptions opt) {
  SweepConfig cfg;
  std::vector<SweepRun> runs;
  try {
    cfg = load_sweep_config(opt.sweep_file);
    const Config base = load_config(cfg.base, cfg.set);
    runs = plan_sweep(cfg, base.run.seed);
  } catch (const ConfigError& e) {
    for (const auto& l : e.lines) fmt::print(stderr, "bonesim: error: {}\n", l);
    return kExitUsage;
  }
  const fs::path sweep_dir = opt.output_dir.empty() ? cfg.output : opt.output_dir;
  if (opt.task_index < 0 && opt.task_count > 0) {
    if (const char* id = std::getenv("SLURM_ARRAY_TASK_ID")) opt.task_index = std::atoi(id);
  }
  if ((opt.task_count > 0) != (opt.task_index >= 0) ||
      (opt.task_count > 0 && opt.task_index >= opt.task_count)) {
    fmt::print(stderr,
               "bonesim: error: --task-index (or SLURM_ARRAY_TASK_ID) needs --task-count, and "
               "must be below it\n");
    return kExitUsage;
  }
  const MpiWorld world = mpi_start();
  const int local_ranks = [] {
    const char* n = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    return n ? std::max(1, std::atoi(n)) : 1;
  }();
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  const int jobs = std::max(1, opt.jobs);
  const int threads = opt.threads > 0 ? opt.threads : std::max(1, cores / (jobs * local_ranks));
  try {
    if (world.rank == 0) prepare_output_directory(sweep_dir);
    mpi_barrier();
    if (opt.collect || opt.emit_slurm) {
      int status = kExitOk;
      if (world.rank == 0 && opt.emit_slurm) {
        const int tasks =
            opt.slurm_tasks > 0 ? opt.slurm_tasks : int(std::min<std::size_t>(runs.size(), 64));
        fs::create_directories(sweep_dir / "slurm");  // SLURM opens the task logs first
        write_file_atomically(sweep_dir / "sweep.sbatch",
                              slurm_script(opt, sweep_dir, tasks, threads, runs.size()));
        fmt::print("{}: {} runs in a job array of {} tasks; submit with sbatch\n",
                   (sweep_dir / "sweep.sbatch").string(), runs.size(), tasks);
      } else if (world.rank == 0) {
        const std::size_t ok = write_sweep_summary(sweep_dir, cfg, runs);
        fmt::print("{}: {} of {} runs ok\n", (sweep_dir / "summary.csv").string(), ok, runs.size());
        status = ok == runs.size() ? kExitOk : kExitFailure;
      }
      mpi_finish();
      return status;
    }
    install_interrupt_handlers();
    write_file_atomically(sweep_dir / "sweep.yaml", [&] {
      std::ifstream in(opt.sweep_file);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }());

    // This process's queue: its array task's share, or everything (rank 0 hands the
    // queue out to the other ranks on request).
    std::deque<std::size_t> queue;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (opt.task_count > 0 && int(i % std::size_t(opt.task_count)) != opt.task_index) continue;
      if (world.rank == 0) queue.push_back(i);
    }
    std::map<std::size_t, Prepared> prepared;
    std::size_t skipped = 0, started = 0, not_ok = 0;
    // Prepares run i: false when it needs no process (completed before, or invalid).
    auto needs_process = [&](std::size_t i) {
      const fs::path dir = run_dir(sweep_dir, runs[i]);
      Prepared p = prepare(opt, cfg, runs[i], dir, threads);
      if (!p.invalid.empty()) {
        RunRecord r;
        r.status = "invalid";
        r.exit_code = kExitUsage;
        r.error = p.invalid;
        fs::create_directories(dir);
        write_run_record(dir, r);
        ++not_ok;
        spdlog::warn("{}: invalid: {}", runs[i].id, p.invalid);
        return false;
      }
      const RunRecord before = read_run_record(dir);
      if (before.status == "ok" && before.config_hash == p.hash) {
        ++skipped;
        return false;
      }
      prepared[i] = std::move(p);
      return true;
    };
    std::vector<Child> children;
    bool exhausted = false;  // no more indices for this process
    // Rank 0's queue, for itself and for the ranks it serves (-1: empty).
    auto pop = [&]() -> long {
      if (queue.empty()) return -1;
      const std::size_t i = queue.front();
      queue.pop_front();
      return long(i);
    };
    // The next index for this process: rank 0 pops its queue, others ask rank 0.
    auto next_index = [&]() -> long { return world.rank == 0 ? pop() : mpi_request(false); };
    while (true) {
      const bool stop = interrupt_signal() != 0;
      while (!stop && !exhausted && int(children.size()) < jobs) {
        const long i = next_index();
        if (i < 0) {
          exhausted = true;
          break;
        }
        if (!needs_process(std::size_t(i))) continue;
        // No record until it ends (each record costs an fsync): a run without one, or
        // with an older one, is simply not complete.
        const fs::path dir = run_dir(sweep_dir, runs[std::size_t(i)]);
        fs::remove(dir / "sweep_run.yaml");
        children.push_back(
            {std::size_t(i), spawn_run(prepared[std::size_t(i)], dir), Clock::now()});
        ++started;
        spdlog::info("{}: started ({})", runs[std::size_t(i)].id, dir.string());
      }
      if (stop && world.rank != 0 && !exhausted) {
        mpi_request(true);  // farewell: rank 0 counts this rank as done
        exhausted = true;
      }
      if (stop) {
        for (const Child& c : children) ::kill(c.pid, SIGTERM);  // each writes a checkpoint
      }
      // Rank 0 serves the other ranks (nothing more once stopping).
      const int done_ranks = world.rank == 0 && world.size > 1
                                 ? mpi_serve([&] { return interrupt_signal() != 0 ? -1L : pop(); })
                                 : 0;
      for (auto it = children.begin(); it != children.end();) {
        int status = 0;
        if (::waitpid(it->pid, &status, stop ? 0 : WNOHANG) != it->pid) {
          ++it;
          continue;
        }
        const double wall = std::chrono::duration<double>(Clock::now() - it->start).count();
        const fs::path dir = run_dir(sweep_dir, runs[it->run]);
        const RunRecord r = finished_record(status, wall, prepared[it->run].hash, dir);
        write_run_record(dir, r);
        if (r.status != "ok") ++not_ok;
        if (r.status == "failed") spdlog::warn("{}: failed: {}", runs[it->run].id, r.error);
        spdlog::info("{}: {} in {:.1f} s", runs[it->run].id, r.status, wall);
        prepared.erase(it->run);
        it = children.erase(it);
      }
      const bool others_done = world.rank != 0 || done_ranks >= world.size - 1;
      if (children.empty() && (exhausted || stop) && others_done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    mpi_barrier();
    const int sig = interrupt_signal();
    if (world.rank == 0 && opt.task_count == 0) {
      const std::size_t ok = write_sweep_summary(sweep_dir, cfg, runs);
      if (!opt.quiet) {
        fmt::print("{}: {} of {} runs ok ({} started here, {} completed before)\n",
                   (sweep_dir / "summary.csv").string(), ok, runs.size(), started, skipped);
      }
    } else if (!opt.quiet && world.rank == 0) {
      fmt::print(
          "task {} of {}: {} runs started, {} completed before; build the summary with "
          "--collect when every task has ended\n",
          opt.task_index, opt.task_count, started, skipped);
    }
    mpi_finish();
    if (sig != 0) return 128 + sig;
    return not_ok == 0 ? kExitOk : kExitFailure;
  } catch (const Error& e) {
    fmt::print(stderr, "bonesim: error: {}\n", e.what());
    mpi_finish();
    return kExitFailure;
  }
}

}  // namespace bonesim
