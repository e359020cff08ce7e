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
    if (!std::strcmp(argv[i], "--stars") && i + 1 < argc) target = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--detect")) full = true;
    else {
      std::fprintf(stderr, "usage: %s [--stars N] [--threads T] [--seed S] [--detect]\n", argv[0]);
      return 2;
    }
  }
  using namespace hubguard::stars;
  // Scale 1 of the generator is ~111k stars.
  auto params = generator_params_for_scale(target / 111000.0, seed);
  auto t0 = std::chrono::steady_clock::now();
  SyntheticInput data = generate_detection_input(params);
  const double gen_s = seconds_since(t0);
  const double rss_input = peak_rss_gb();
  const std::size_t n = data.input.stars.size();
  std::printf("stars %zu, actors %zu, repos %zu, days %u, generated in %.1f s, peak RSS %.2f GB\n", n,
              data.input.actors.size(), data.input.repos.size(), params.days, gen_s, rss_input);

  CopyCatchParams cp;
  cp.threads = threads;
  t0 = std::chrono::steady_clock::now();
  CopyCatchResult cc = run_copycatch(data.input, cp);
  const double cc_s = seconds_since(t0);
  const double rss_cc = peak_rss_gb();
  const auto& st = cc.stats;
  std::printf("copycatch: %.1f s on %u threads (index %.1f s, search %.1f s); chunks %zu, seeds %zu, "
              "groups %zu, unique %zu, clusters %zu; largest chunk index %.2f GB; peak RSS %.2f GB\n",
              cc_s, threads, st.seconds_index, st.seconds_search, st.chunks, st.seeds,
              st.candidate_groups, st.unique_groups, st.clusters,
              static_cast<double>(st.peak_index_bytes) / 1e9, rss_cc);

  // Extrapolation: CopyCatch work is per star per chunk (each star is in two chunks), and its
  // memory beyond the input is one chunk's index at a time.
  const double stars_330 = 330e6;
  const double per_star_s = cc_s / static_cast<double>(n);
  const double input_bytes_per_star = 16.0 + 1.0;  // Star + one label byte
  std::printf("extrapolated to 330M stars (21 chunks): copycatch ~%.0f s on %u threads; input %.1f GB "
              "(stars+labels); one chunk's index ~%.1f GB (largest chunk here held %.2f GB for %zu stars "
              "in %zu chunks)\n",
              per_star_s * stars_330, threads, stars_330 * input_bytes_per_star / 1e9,
              static_cast<double>(st.peak_index_bytes) / (2.0 * static_cast<double>(n) / static_cast<double>(std::max<std::size_t>(1, st.chunks))) *
                  (2.0 * stars_330 / 21.0) / 1e9,
              static_cast<double>(st.peak_index_bytes) / 1e9, n, st.chunks);

  if (full) {
    DetectParams dp;
    dp.copycatch = cp;
    t0 = std::chrono::steady_clock::now();
    DetectResult r = detect_fake_stars(data.input, dp);
    std::printf("full detection: %.1f s (low activity %.1f, copycatch %.1f, screen+campaigns %.1f); "
                "peak RSS %.2f GB\n%s",
                seconds_since(t0), r.seconds_low_activity, r.seconds_copycatch, r.seconds_screen,
                peak_rss_gb(), format_evaluation(evaluate_in_memory(data, r)).c_str());
  }
  return 0;
}
