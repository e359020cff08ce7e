// "pickle": any pickle stream, protocol 0-5, one or several pickles in a row. The symbolic VM
// recovers the program each pickle would run (never importing or calling anything); the
// pickle analysis judges its imports and calls; code strings it would hand to exec/eval or
// a shell go on to the code analyzers as evidence, and so do the payloads it hands to
// pickle.loads (scanned as members) and marshal.loads (disassembled into pseudo-source). The format is refined from what the
// pickle imports (joblib, dill, cloudpickle write their own reconstruction helpers).
#include <fmt/format.h>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/pickle/pickle_analysis.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"
#include "hubguard/scan/pickle/program_printer.hpp"
#include "hubguard/scan/pickle/sniff.hpp"
#include "hubguard/scan/python/marshal_code.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

// Pickles written by these libraries import their helpers from these modules.
std::string_view flavour_of(const pickle::Program& p) {
  for (const auto& import : p.imports) {
    const std::string_view module = import.module;
    if (module.starts_with("joblib.")) return "joblib";
    if (module.starts_with("dill.") || module == "dill") return "dill";
    if (module.starts_with("cloudpickle")) return "cloudpickle";
  }
  return {};
}

class PickleHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "pickle"; }
  bool accepts(const Artifact& a) const override { return pickle::looks_like_pickle(a.bytes); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const auto stream = pickle::run_pickle_stream(a.bytes, 0, ctx.limits());
    std::string_view flavour;
    for (const auto& program : stream.pickles) {
      if (flavour.empty()) flavour = flavour_of(program);
      for (auto& finding : pickle::analyze(program)) ctx.add_finding(std::move(finding));
      for (auto& code : pickle::embedded_code(program))
        ctx.add_code({code.shell ? CodeKind::shell_command : CodeKind::code_string,
                      std::move(code.text), code.offset, code.via + " argument"});
      // Bytes the pickle hands to pickle.loads / marshal.loads / torch's byte loaders run
      // too: scan them as members of their own, by content.
      for (const auto& nested : pickle::nested_payloads(program)) {
        // Marshalled code is not a format of its own: its pseudo-source goes to the code
        // analyzers like any other code the pickle would run.
        if (nested.via.find("marshal") != std::string::npos) {
          if (auto code = python::code_from_marshal(as_bytes(nested.bytes), ctx.limits(),
                                                    nested.via + " argument")) {
            code->offset = nested.offset;
            ctx.add_code(std::move(*code));
          }
          continue;
        }
        ByteBuffer copy(nested.bytes.begin(), nested.bytes.end());
        ctx.add_child(child_owned(a, std::move(copy),
                                  fmt::format("{}@{}", nested.via, nested.offset)));
      }
      if (ctx.options().keep_programs) ctx.add_program(pickle::to_python(program));
      if (program.broken() && program.limits.empty())  // a limit hit is its own finding
        ctx.unscannable(fmt::format("pickle stream breaks at offset {}: {}", program.error_offset,
                                    program.error));
    }
    if (stream.pickle_limit_hit)
      ctx.add_finding(make_finding(
          "limit.pickles-per-stream", Severity::medium, Verdict::unscannable, "limit",
          fmt::format("more than {} pickles in one stream: the rest were not analysed",
                      ctx.limits().max_pickles_per_stream),
          stream.end));
    if (!flavour.empty()) ctx.set_format(std::string(flavour));
  }
};

}  // namespace

const FormatHandler& pickle_handler() {
  static const PickleHandler handler;
  return handler;
}

}  // namespace hubguard::scan
