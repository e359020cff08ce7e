// "keras-h5" / "hdf5": HDF5 files, recognised by the HDF5 signature at offset 0 or after a
// user block (512, 1024, 2048 ... bytes). Keras 2 (and tf.keras) save a whole model as HDF5
// with the architecture as JSON in the root attribute `model_config` and the compile
// settings in `training_config`; loading rebuilds every object those configs name, Lambda
// layers included. Both are handed to the Keras config walk (keras_config_walk.hpp). The
// weights (datasets) are never read: the file is opened from memory by hdf5_image.hpp,
// after the superblock checks of hdf5_superblock.hpp.
//
// An HDF5 file without Keras' attributes is reported as "hdf5" and comes out `clean`: HDF5
// itself carries data, not code (hubguard never reads its datasets, so no filter plugin is
// loaded either). A user block in front of the HDF5 data and bytes after its stated end are
// scanned as members of their own ("user-block", "trailing-data"): both are where a
// polyglot would hide a pickle.
#include <array>
#include <memory>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/hdf5_image.hpp"
#include "hubguard/scan/formats/hdf5_superblock.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/keras_config_walk.hpp"

namespace hubguard::scan {
namespace {

// Real configs are kilobytes to a few megabytes; anything near this is not a model config.
constexpr std::uint64_t kMaxConfigAttribute = 64ULL << 20;
constexpr std::array<std::string_view, 4> kKerasAttributes{"model_config", "training_config", "keras_version",
                                                           "backend"};

// Forwards to the engine's context, saying in every finding and code evidence which root
// attribute it came from (the engine locates findings by member; an attribute is finer).
class AttributeContext final : public ScanContext {
 public:
  AttributeContext(ScanContext& inner, std::string attribute)
      : inner_(inner), where_("HDF5 root attribute " + std::move(attribute)) {}
  const ScanOptions& options() const override { return inner_.options(); }
  void set_format(std::string format) override { inner_.set_format(std::move(format)); }
  void add_finding(report::Finding finding) override {
    finding.message += " [" + where_ + "]";
    inner_.add_finding(std::move(finding));
  }
  void add_code(CodeEvidence code) override {
    code.via += " in the " + where_;
    inner_.add_code(std::move(code));
  }
  void add_child(Artifact child) override { inner_.add_child(std::move(child)); }
  void add_program(std::string text) override { inner_.add_program(std::move(text)); }
  void unscannable(std::string reason) override { inner_.unscannable(where_ + ": " + reason); }
  bool charge_decompressed(std::uint64_t bytes) override { return inner_.charge_decompressed(bytes); }

 private:
  ScanContext& inner_;
  std::string where_;
};

class KerasH5Handler final : public FormatHandler {
 public:
  std::string_view name() const override { return "hdf5"; }

  bool accepts(const Artifact& a) const override { return find_hdf5_signature(a.bytes).has_value(); }

  void scan(const Artifact& a, ScanContext& ctx) const override {
    const auto signature = find_hdf5_signature(a.bytes);
    if (!signature) {
      ctx.unscannable("hdf5: no HDF5 signature");
      return;
    }
    auto superblock = check_hdf5_superblock(a.bytes, *signature);
    if (!superblock) {
      ctx.unscannable("hdf5: " + superblock.error().message);
      return;
    }
    if (*signature > 0) ctx.add_child(child_view(a, a.bytes.first(*signature), "user-block"));
    const std::uint64_t end = superblock->end_of_file;
    if (end > *signature && end < a.bytes.size())
      ctx.add_child(child_view(a, a.bytes.subspan(end), "trailing-data"));

    auto attributes = read_hdf5_root_attributes(a.bytes, kKerasAttributes, kMaxConfigAttribute);
    if (!attributes) {
      ctx.unscannable("hdf5: " + attributes.error().message);
      return;
    }
    if (attributes->strings.empty()) return;  // plain HDF5: data only
    ctx.set_format("keras-h5");
    for (const auto& attribute : attributes->strings) {
      if (attribute.name != "model_config" && attribute.name != "training_config") continue;
      scan_config(attribute, ctx);
    }
  }

 private:
  static void scan_config(const Hdf5StringAttribute& attribute, ScanContext& ctx) {
    AttributeContext where(ctx, attribute.name);
    auto doc = parse_json_bounded(attribute.value);
    if (!doc) {
      where.unscannable("keras-h5: " + doc.error().message);
      return;
    }
    if (attribute.name == "model_config" && !is_keras_config(*doc)) {
      where.unscannable("keras-h5: JSON without the class_name and config of a Keras model");
      return;
    }
    try {
      // training_config is not one Keras object but names some (optimizer, losses,
      // metrics): the walk visits every object at any depth either way.
      scan_keras_config(*doc, 0, where);
    } catch (const std::exception& e) {
      where.unscannable(std::string("keras-h5: ") + e.what());
    }
  }
};

}  // namespace

const FormatHandler& keras_h5_handler() {
  static const KerasH5Handler handler;
  return handler;
}

}  // namespace hubguard::scan
