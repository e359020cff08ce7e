// `hubguard stars detect PATH... --out DIR`: fake-star detection over GH Archive hour files,
// directories of them, an event store, or a SQL extract directory (or, with --synthetic, the
// generator's archive in memory). Writes fake_stars.csv, suspected_false_positives.csv,
// campaigns.csv, reference_campaigns.csv, clusters.json and summary.json, and with --html DIR
// an index of the campaigns and a page per flagged repository. Every parameter of the
// reference method is an option with the reference's default (stars_detect_options.hpp).
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "cli/stars_detect_options.hpp"
#include "hubguard/stars/detect.hpp"
#include "hubguard/stars/detect_output.hpp"
#include "hubguard/stars/stars_html.hpp"

namespace hubguard::cli {
namespace {

using namespace hubguard::stars;

struct DetectCommandArgs {
  DetectArgs detect;
  std::string out;
  std::string html;
};

int run_detect(const DetectCommandArgs& args) {
  const DetectArgs& a = args.detect;
  const auto start = std::chrono::steady_clock::now();
  auto input = load_detect_input(a);
  if (!input) {
    std::fprintf(stderr, "hubguard: error: %s\n", input.error().message.c_str());
    return kExitError;
  }
  const DetectResult r = detect_fake_stars(*input, detect_params(a));
  auto counts = write_detect_output(args.out, *input, r);
  if (!counts) {
    std::fprintf(stderr, "hubguard: error: %s\n", counts.error().message.c_str());
    return kExitError;
  }
  if (!args.html.empty()) {
    // The pages need the star events (organic stars per day), which only this run has in memory.
    auto pages = write_stars_html(args.html, *input, r);
    if (!pages) {
      std::fprintf(stderr, "hubguard: error: %s\n", pages.error().message.c_str());
      return kExitError;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "stars %zu, accounts %zu, repositories %zu; fake stars %zu (+%zu suspected false positives), "
      "lockstep clusters %zu, campaigns %zu (reference rules without the screen: %zu); %.1f s -> "
      "%s\n",
      input->stars.size(), input->actors.size(), input->repos.size(), counts->fake_stars,
      counts->suspected, counts->clusters, counts->campaigns, r.reference_campaigns.size(), secs,
      args.out.c_str());
  return counts->campaigns > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void register_stars_detect(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<DetectCommandArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "detect", "Label fake stars (low-activity and lockstep) and find campaigns");
  cmd->add_option(
      "paths", args->detect.paths,
      "GH Archive hour files, directories of them, or one event store or SQL extract directory");
  cmd->add_option("--out", args->out, "Output directory")->required();
  cmd->add_option("--html", args->html,
                  "Also write HTML pages into DIR: index.html (the campaign table) and one page "
                  "per flagged repository (star timeline, months, lockstep rasters)");
  add_detect_options(*cmd, args->detect);
  cmd->callback([args, &exit_code] { exit_code = run_detect(*args); });
}

}  // namespace hubguard::cli
