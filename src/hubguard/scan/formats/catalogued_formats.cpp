// Formats hubguard recognises but does not take apart, each with a decision about code:
//  - formats that carry no code by design (TFLite flatbuffers, legacy GGML, fastText,
//    CatBoost, XGBoost and LightGBM models, Parquet, Arrow, common images) are named and
//    `clean`: there is nothing in them a loader runs;
//  - formats that can carry code we do not analyse (R serialisation, whose promises and
//    closures run on readRDS/load — CVE-2024-27322; CoreML models, which can name custom layer
//    classes the app must provide; MLflow MLmodel files, which name a Python loader module)
//    are named and reported with `format.not-analysed` as `suspicious`, so they are listed
//    and never silently passed.
// Each entry is recognised by content (magic bytes or a structural marker near the start).
// Bytes no entry and no other handler claims remain "unknown" with an info finding.
#include <algorithm>
#include <array>
#include <string_view>

#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using report::Severity;
using report::Verdict;

constexpr std::size_t kSniffBytes = 4096;

struct CataloguedFormat {
  std::string_view name;
  bool (*matches)(Bytes bytes);
  // Empty when the format carries no code; else why it can.
  std::string_view code_note;
};

// `magic` at byte `at` (core's starts_with, at an offset).
bool magic_at(Bytes b, std::size_t at, std::string_view magic) {
  return b.size() >= at && starts_with(b.subspan(at), magic);
}

std::string_view head_text(Bytes b) { return as_text(b.first(std::min(b.size(), kSniffBytes))); }

bool contains_near_start(Bytes b, std::string_view needle) {
  return head_text(b).find(needle) != std::string_view::npos;
}

bool tflite(Bytes b) { return magic_at(b, 4, "TFL3"); }  // flatbuffer file identifier
bool ggml_legacy(Bytes b) {
  // Little-endian magics of the formats GGUF replaced: 'ggml', 'ggmf', 'ggjt', 'ggla', 'ggsn'.
  for (std::string_view m : {"lmgg", "fmgg", "tjgg", "algg", "nsgg"})
    if (starts_with(b, m)) return true;
  return false;
}
bool fasttext(Bytes b) { return starts_with(b, std::string_view("\xBA\x16\x4F\x2F", 4)); }
bool catboost(Bytes b) { return starts_with(b, "CBM1"); }
bool xgboost_binary(Bytes b) { return starts_with(b, "binf"); }
bool xgboost_json(Bytes b) {
  auto t = head_text(b);
  auto start = t.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && t[start] == '{' &&
         t.find("\"learner\"") != std::string_view::npos &&
         t.find("\"gradient_booster\"") != std::string_view::npos;
}
bool lightgbm_text(Bytes b) { return starts_with(b, "tree\nversion=v"); }
bool parquet(Bytes b) {
  return b.size() >= 12 && starts_with(b, "PAR1") && magic_at(b, b.size() - 4, "PAR1");
}
bool arrow_ipc(Bytes b) { return starts_with(b, std::string_view("ARROW1\0\0", 8)); }
bool png(Bytes b) { return starts_with(b, std::string_view("\x89PNG\r\n\x1A\n", 8)); }
bool jpeg(Bytes b) { return starts_with(b, std::string_view("\xFF\xD8\xFF", 3)); }
bool gif(Bytes b) { return starts_with(b, "GIF87a") || starts_with(b, "GIF89a"); }
bool webp(Bytes b) { return starts_with(b, "RIFF") && magic_at(b, 8, "WEBP"); }
bool pmml(Bytes b) {
  auto t = head_text(b);
  return t.starts_with("<?xml") && t.find("<PMML") != std::string_view::npos;
}
bool r_serialized(Bytes b) {
  // saveRDS (uncompressed, or after our gzip/bzip2/xz readers): "X\n" then version 2 or 3;
  // save(): "RDX2\n"/"RDX3\n" before it. ASCII ("A\n") and native ("B\n") forms too.
  for (std::string_view m : {"RDX2\n", "RDX3\n", "RDA2\n", "RDA3\n", "RDB2\n", "RDB3\n"})
    if (starts_with(b, m)) return true;
  return (starts_with(b, std::string_view("X\n\0\0\0\x02", 6)) ||
          starts_with(b, std::string_view("X\n\0\0\0\x03", 6)) ||
          starts_with(b, "A\n2\n") || starts_with(b, "A\n3\n"));
}
bool coreml_package_manifest(Bytes b) {
  return contains_near_start(b, "\"fileFormatVersion\"") &&
         contains_near_start(b, "com.apple.CoreML");
}
bool mlflow_mlmodel(Bytes b) {
  return contains_near_start(b, "flavors:") && contains_near_start(b, "loader_module:");
}

constexpr std::array<CataloguedFormat, 17> kFormats{{
    {"tflite", tflite, {}},
    {"ggml", ggml_legacy, {}},
    {"fasttext", fasttext, {}},
    {"catboost", catboost, {}},
    {"xgboost", xgboost_binary, {}},
    {"xgboost-json", xgboost_json, {}},
    {"lightgbm", lightgbm_text, {}},
    {"parquet", parquet, {}},
    {"arrow", arrow_ipc, {}},
    {"png", png, {}},
    {"jpeg", jpeg, {}},
    {"gif", gif, {}},
    {"webp", webp, {}},
    {"pmml", pmml, {}},
    {"r-serialized", r_serialized,
     "R serialisation can hold promises and closures that run when it is read (readRDS/load, "
     "CVE-2024-27322)"},
    {"coreml-package", coreml_package_manifest,
     "a CoreML package can name custom layer and model classes the loading app must supply"},
    {"mlflow-model", mlflow_mlmodel,
     "an MLflow MLmodel names a Python loader module that mlflow imports to load the model"},
}};

const CataloguedFormat* match(Bytes bytes) {
  for (const auto& format : kFormats)
    if (format.matches(bytes)) return &format;
  return nullptr;
}

class CataloguedFormatsHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "catalogued"; }

  bool accepts(const Artifact& artifact) const override { return match(artifact.bytes) != nullptr; }

  void scan(const Artifact& artifact, ScanContext& ctx) const override {
    const auto* format = match(artifact.bytes);
    if (format == nullptr) return;
    ctx.set_format(std::string(format->name));
    if (format->code_note.empty()) return;
    ctx.add_finding(make_finding(
        "format.not-analysed", Severity::low, Verdict::suspicious, "coverage",
        std::string(format->name) + " was recognised but not analysed: " +
            std::string(format->code_note)));
  }
};

}  // namespace

const FormatHandler& catalogued_formats_handler() {
  static const CataloguedFormatsHandler handler;
  return handler;
}

}  // namespace hubguard::scan
