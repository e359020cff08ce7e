// CopyCatch at scale on the synthetic archive (in-memory generator, no JSON): wall time of
// every chunk, the whole detection, and peak memory, with an extrapolation to the reference's
// whole-archive run (~330M stars, 21 chunks). A plain main(): one run per size is what we want
// to record, not Google Benchmark's repetitions.
//   stars_copycatch_bench [--stars N] [--threads T] [--seed S] [--detect]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "hubguard/core/parallel.hpp"
#include "hubguard/stars/copycatch.hpp"
#include "hubguard/stars/detect.hpp"
#include "hubguard/stars/evaluate.hpp"
#include "hubguard/stars/generator.hpp"

namespace {

double peak_rss_gb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB
}

// User + system CPU seconds of the whole process so far: on a shared machine the CPU a phase
// used is steadier than its wall time (CPU / threads = wall time on an idle machine).
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Peak RSS since the last reset_peak_rss(), from /proc (VmHWM); falls back to getrusage.
double hwm_gb() {
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (!std::strncmp(line, "VmHWM:", 6)) {
        std::fclose(f);
        return std::atof(line + 6) / (1024.0 * 1024.0);
      }
    std::fclose(f);
  }
  return peak_rss_gb();
}

// Linux resets VmHWM to the current RSS when "5" is written to clear_refs: the generator's own
// peak (sorting stars with their truth labels) is then not charged to detection.
bool reset_peak_rss() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  double target = 10e6;
  unsigned threads = hubguard::default_threads();
  std::uint64_t seed = 1;
  bool full = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--stars") && i + 1 < argc)
      target = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--detect"))
      full = true;
    else {
      std::fprintf(stderr, "usage: %s [--stars N] [--threads T] [--seed S] [--detect]\n", argv[0]);
      return 2;
    }
  }
  using namespace hubguard::stars;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // Scale 1 of the generator is ~111k stars.
  auto params = generator_params_for_scale(target / 111000.0, seed);
  auto t0 = std::chrono::steady_clock::now();
  SyntheticInput data = generate_detection_input(params);
  const double gen_s = seconds_since(t0);
  const double rss_input = peak_rss_gb();
  const std::size_t n = data.input.stars.size();
  std::printf("stars %zu, actors %zu, repos %zu, days %u, generated in %.1f s, peak RSS %.2f GB\n",
              n, data.input.actors.size(), data.input.repos.size(), params.days, gen_s, rss_input);

  const bool reset = reset_peak_rss();
  const double rss_before = hwm_gb();
  std::printf("RSS with the input loaded: %.2f GB (peak %s)\n", rss_before,
              reset ? "reset for detection" : "not resettable: includes generation");

  CopyCatchParams cp;
  cp.threads = threads;
  t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  CopyCatchResult cc = run_copycatch(data.input, cp);
  const double cc_s = seconds_since(t0);
  const double cc_cpu = cpu_seconds() - cpu0;
  const double rss_cc = hwm_gb();
  const auto& st = cc.stats;
  std::printf(
      "copycatch: %.1f s wall, %.1f CPU s, on %u threads (index %.1f s, search %.1f s); chunks "
      "%zu, seeds %zu, "
      "groups %zu, unique %zu, clusters %zu; largest chunk index %.2f GB; peak RSS %.2f GB\n",
      cc_s, cc_cpu, threads, st.seconds_index, st.seconds_search, st.chunks, st.seeds,
      st.candidate_groups, st.unique_groups, st.clusters,
      static_cast<double>(st.peak_index_bytes) / 1e9, rss_cc);

  // Extrapolation: CopyCatch work is per star per chunk (each star is in two chunks), and its
  // memory beyond the input is one chunk's index at a time, so linear scaling by stars is an
  // upper bound (per-chunk stars grow less than total stars when the window grows).
  const double stars_330 = 330e6;
  const double per_star_s = cc_s / static_cast<double>(n);
  const double input_bytes_per_star = 16.0 + 5.0;  // Star + five label bytes
  const double ratio = stars_330 / static_cast<double>(n);
  std::printf(
      "extrapolated to 330M stars (x%.1f): copycatch ~%.0f s wall on %u threads (%.0f CPU s); "
      "stars+labels %.1f GB; detection peak RSS scaled linearly ~%.1f GB (includes this run's "
      "dictionaries and summaries)\n",
      ratio, per_star_s * stars_330, threads, cc_cpu * ratio,
      stars_330 * input_bytes_per_star / 1e9, rss_cc * ratio);

  if (full) {
    DetectParams dp;
    dp.copycatch = cp;
    t0 = std::chrono::steady_clock::now();
    const double cpu1 = cpu_seconds();
    DetectResult r = detect_fake_stars(data.input, dp);
    const double full_s = seconds_since(t0);
    const double full_cpu = cpu_seconds() - cpu1;
    const double rss_full = hwm_gb();
    std::printf(
        "full detection: %.1f s wall, %.1f CPU s (low activity %.1f, copycatch %.1f, "
        "screen+campaigns %.1f); "
        "peak RSS %.2f GB (x%.1f -> ~%.1f GB at 330M)\n%s",
        full_s, full_cpu, r.seconds_low_activity, r.seconds_copycatch, r.seconds_screen, rss_full,
        ratio, rss_full * ratio, format_evaluation(evaluate_in_memory(data, r)).c_str());
  }
  return 0;
}
