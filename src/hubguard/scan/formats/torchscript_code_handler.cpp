// "torchscript-code": the Python-subset source files in a TorchScript archive's `code/`
// folder. torch.jit.load compiles and runs them, and before PyTorch 2.6 even
// torch.load(weights_only=True) did, so they are code that runs on load. TorchScript cannot
// import Python modules, which narrows what it can do: its reach to the host is through
// torch builtins that read or write files (torch.from_file, torch.save, torch.load) and
// through operators and classes registered by native libraries (torch.ops.<namespace>,
// torch.classes.<namespace>) outside PyTorch's own. Those calls are reported here; the text
// also goes to the ordinary Python analysis, which sees anything hand-edited in beyond
// TorchScript (os.system, exec, sockets).
//
// Recognised by content: the serializer writes `self: __torch__.<Class>` annotations and
// `__parameters__ = [...]` class attributes, which hand-written Python does not.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::size_t kSniffBytes = 16 * 1024;

// Namespaces of operators that ship with PyTorch itself; any other namespace comes from a
// native library the loading process must have loaded (torch.ops.load_library).
constexpr std::array<std::string_view, 12> kBuiltinOpNamespaces{
    "aten", "prim", "prims", "quantized", "_quantized", "quantized_decomposed", "_caffe2",
    "profiler", "mkldnn", "mkl", "xnnpack", "prepacked"};

// TorchScript builtins that touch the file system.
struct HostCall {
  std::string_view name;
  std::string_view what;
};
constexpr std::array<HostCall, 6> kHostCalls{{
    {"torch.from_file", "reads a file of the host into a tensor"},
    {"torch.ops.aten.from_file", "reads a file of the host into a tensor"},
    {"torch.save", "writes a file on the host"},
    {"torch.load", "loads another file from the host"},
    {"torch.jit.load", "loads another TorchScript file from the host"},
    {"torch.ops.aten._save", "writes a file on the host"},
}};

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool looks_like_torchscript(std::string_view text) {
  return text.find("__torch__.") != std::string_view::npos &&
         (text.find("__parameters__ = [") != std::string_view::npos ||
          text.find("(self: __torch__.") != std::string_view::npos);
}

// A dotted name read at `pos` (identifiers joined by '.').
std::string_view dotted_name_at(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && (ident_char(text[end]) || text[end] == '.')) ++end;
  return text.substr(pos, end - pos);
}

// Calls the check cares about, with string literals and comments skipped so that a name
// inside a string constant does not count.
template <typename Visit>
void for_each_dotted_name(std::string_view text, Visit visit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {
      i = text.find('\n', i);
      if (i == std::string_view::npos) return;
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool triple = text.substr(i, 3) == std::string(3, c);
      const std::string close = triple ? std::string(3, c) : std::string(1, c);
      std::size_t j = i + close.size();
      while (j < text.size()) {
        if (text[j] == '\\') { j += 2; continue; }
        if (text.substr(j, close.size()) == close) break;
        if (!triple && text[j] == '\n') break;
        ++j;
      }
      i = std::min(text.size(), j + close.size());
      continue;
    }
    if (ident_char(c) && (i == 0 || (!ident_char(text[i - 1]) && text[i - 1] != '.'))) {
      auto name = dotted_name_at(text, i);
      visit(name, i);
      i += name.size();
      continue;
    }
    ++i;
  }
}

std::string_view line_at(std::string_view text, std::size_t pos) {
  auto begin = text.rfind('\n', pos);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  auto end = text.find('\n', pos);
  auto line = text.substr(begin, (end == std::string_view::npos ? text.size() : end) - begin);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line.substr(0, 200);
}

// "torch.ops.<ns>.<op>" / "ops.<ns>.<op>" / "torch.classes.<ns>.<cls>" /
// "__torch__.torch.classes.<ns>.<cls>": the namespace, or empty.
std::string_view registered_namespace(std::string_view name, bool& is_class) {
  for (std::string_view prefix : {"torch.ops.", "ops."}) {
    if (name.starts_with(prefix)) {
      is_class = false;
      auto rest = name.substr(prefix.size());
      return rest.substr(0, rest.find('.'));
    }
  }
  for (std::string_view prefix : {"torch.classes.", "__torch__.torch.classes."}) {
    if (name.starts_with(prefix)) {
      is_class = true;
      auto rest = name.substr(prefix.size());
      return rest.substr(0, rest.find('.'));
    }
  }
  return {};
}

class TorchScriptCodeHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "torchscript-code"; }

  bool accepts(const Artifact& artifact) const override {
    return looks_like_torchscript(
        as_text(artifact.bytes.first(std::min(artifact.bytes.size(), kSniffBytes))));
  }

  void scan(const Artifact& artifact, ScanContext& ctx) const override {
    const auto text = as_text(artifact.bytes);
    const std::size_t keep = static_cast<std::size_t>(
        std::min<std::uint64_t>(text.size(), ctx.limits().max_source_size + 1));
    const auto code = text.substr(0, keep);
    ctx.add_code({CodeKind::python_source, std::string(code), 0,
                  "TorchScript code (runs on torch.jit.load)"});

    std::size_t reported = 0;
    constexpr std::size_t kMaxFindings = 32;
    for_each_dotted_name(code, [&](std::string_view name, std::size_t pos) {
      if (reported >= kMaxFindings) return;
      for (const auto& call : kHostCalls) {
        if (name == call.name) {
          ++reported;
          ctx.add_finding(make_finding(
              "torchscript.host-access", Severity::high, Verdict::dangerous, "file-access",
              std::string("TorchScript code calls ") + std::string(call.name) + ", which " +
                  std::string(call.what) + ", when the model is loaded and run",
              pos, std::string(line_at(code, pos))));
          return;
        }
      }
      bool is_class = false;
      auto ns = registered_namespace(name, is_class);
      if (ns.empty() || std::find(kBuiltinOpNamespaces.begin(), kBuiltinOpNamespaces.end(), ns) !=
                            kBuiltinOpNamespaces.end())
        return;
      ++reported;
      ctx.add_finding(make_finding(
          "torchscript.custom-op", Severity::medium, Verdict::suspicious, "native-code",
          std::string("TorchScript code uses ") + (is_class ? "class" : "operator") +
              " namespace '" + std::string(ns) +
              "', registered by a native library outside PyTorch that must be loaded to run it",
          pos, std::string(line_at(code, pos))));
    });
  }
};

}  // namespace

const FormatHandler& torchscript_code_handler() {
  static const TorchScriptCodeHandler handler;
  return handler;
}

}  // namespace hubguard::scan
