// `hubguard stars generate --out DIR --seed N --scale S`: a synthetic GH Archive with ground
// truth (DIR/archive/*.json.gz, DIR/truth/*.csv) for tests, demos and evaluation.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "hubguard/stars/generator.hpp"

namespace hubguard::cli {
namespace {

struct GenerateArgs {
  std::string out;
  std::uint64_t seed = 1;
  double scale = 1.0;
  std::uint32_t days = 0;
};

int run_generate(const GenerateArgs& a) {
  auto params = hubguard::stars::generator_params_for_scale(a.scale, a.seed);
  if (a.days) params.days = a.days;
  auto stats = hubguard::stars::write_synthetic_archive(params, a.out);
  if (!stats) {
    std::fprintf(stderr, "hubguard: error: %s\n", stats.error().message.c_str());
    return kExitError;
  }
  std::printf(
      "%zu hour files, %zu events (%zu stars), %.1f MB compressed -> %s/archive, truth in "
      "%s/truth\n",
      stats->hour_files, stats->events, stats->stars,
      static_cast<double>(stats->compressed_bytes) / 1e6, a.out.c_str(), a.out.c_str());
  return kExitOk;
}

}  // namespace

void register_stars_generate(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "generate", "Write a synthetic GH Archive with planted campaigns and ground truth");
  cmd->add_option("--out", args->out, "Output directory")->required();
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same archive)")
      ->capture_default_str();
  cmd->add_option("--scale", args->scale, "Size: 1 = ~100k stars over a year")
      ->capture_default_str();
  cmd->add_option("--days", args->days, "Length of the archive in days (0 = the scale's default)");
  cmd->callback([args, &exit_code] { exit_code = run_generate(*args); });
}

}  // namespace hubguard::cli
