// `hubguard stars repo OWNER/NAME INPUT...`: one repository's fake-star verdict in the
// terminal, with the evidence a person can check in GH Archive (counts by signature, campaign
// months, lockstep clusters, a weekly sparkline, sample fake stars with their hour files).
// It runs the same detection as `stars detect` over the same kinds of input and options (the
// lockstep signature needs every repository's stars, not just this one's), or with
// --detection DIR reads the labels a detect run wrote; with --html FILE it also writes the
// repository's page.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/stars_commands.hpp"
#include "cli/stars_detect_options.hpp"
#include "hubguard/stars/detect_output_reader.hpp"
#include "hubguard/stars/repo_evidence.hpp"
#include "hubguard/stars/repo_verdict_text.hpp"
#include "hubguard/stars/stars_html.hpp"

namespace hubguard::cli {
namespace {

using namespace hubguard::stars;

struct RepoArgs {
  std::string repo;
  DetectArgs detect;
  std::string html;
  std::string detection;
  std::size_t samples = 10;
};

int run_repo(const RepoArgs& args) {
  auto input = load_detect_input(args.detect);
  if (!input) {
    std::fprintf(stderr, "hubguard: error: %s\n", input.error().message.c_str());
    return kExitError;
  }
  // A detection already run (its output directory) is explained as is; otherwise run it.
  auto result = args.detection.empty() ? Result<DetectResult>(detect_fake_stars(*input, detect_params(args.detect)))
                                       : read_detect_output(args.detection, *input);
  if (!result) {
    std::fprintf(stderr, "hubguard: error: %s\n", result.error().message.c_str());
    return kExitError;
  }
  auto evidence = repo_star_evidence(*input, *result, args.repo, args.samples);
  if (!evidence) {
    std::fprintf(stderr, "hubguard: error: %s got no star in the input\n", args.repo.c_str());
    return kExitError;
  }
  write_repo_verdict(*evidence, std::cout);
  std::cout.flush();
  if (!args.html.empty() &&
      !write_output(args.html, [&](std::ostream& out) { write_repo_page(*evidence, out); }))
    return kExitError;
  return evidence->campaign ? kExitFindings : kExitOk;
}

}  // namespace

void register_stars_repo(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<RepoArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "repo", "One repository's fake-star verdict with its evidence (runs detection on INPUT)");
  cmd->add_option("repository", args->repo, "OWNER/NAME")->required();
  cmd->add_option("inputs", args->detect.paths,
                  "GH Archive hour files, directories of them, or one event store or SQL extract "
                  "directory (as for `stars detect`)");
  cmd->add_option("--html", args->html, "Also write the repository's HTML page to FILE");
  cmd->add_option("--detection", args->detection,
                  "Explain the labels of this `stars detect --out` directory (made from the same "
                  "INPUT) instead of running detection again");
  cmd->add_option("--samples", args->samples, "Sample fake stars to list")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  add_detect_options(*cmd, args->detect);
  cmd->callback([args, &exit_code] { exit_code = run_repo(*args); });
}

}  // namespace hubguard::cli
