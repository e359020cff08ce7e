// `hubguard stars evaluate --truth DIR --out DIR`: precision and recall of a `stars detect`
// output directory against a synthetic archive's truth; also writes DIR/evaluation.json.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/stars_commands.hpp"
#include "hubguard/stars/evaluate.hpp"

namespace hubguard::cli {
namespace {

struct EvaluateArgs {
  std::string truth, out;
};

int run_evaluate(const EvaluateArgs& a) {
  namespace fs = std::filesystem;
  // Accept the generator's top directory as well as its truth/ folder.
  fs::path truth = a.truth;
  if (!fs::exists(truth / "truth_fake_stars.csv") &&
      fs::exists(truth / "truth" / "truth_fake_stars.csv"))
    truth /= "truth";
  auto e = hubguard::stars::evaluate_files(truth, a.out);
  if (!e) {
    std::fprintf(stderr, "hubguard: error: %s\n", e.error().message.c_str());
    return kExitError;
  }
  std::printf("%s", hubguard::stars::format_evaluation(*e).c_str());
  const std::string json = hubguard::stars::evaluation_json(*e);
  std::FILE* f = std::fopen((fs::path(a.out) / "evaluation.json").c_str(), "wb");
  if (!f || std::fwrite(json.data(), 1, json.size(), f) != json.size() || std::fclose(f) != 0) {
    std::fprintf(stderr, "hubguard: error: cannot write %s/evaluation.json\n", a.out.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void register_stars_evaluate(CLI::App& stars, int& exit_code) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = stars.add_subcommand(
      "evaluate", "Precision and recall of detect output against synthetic truth");
  cmd->add_option("--truth", args->truth, "Truth directory (from `stars generate`)")->required();
  cmd->add_option("--out", args->out, "A `stars detect` output directory")->required();
  cmd->callback([args, &exit_code] { exit_code = run_evaluate(*args); });
}

}  // namespace hubguard::cli
