#include "hubguard/scan/formats/keras_config_walk.hpp"

#include <array>
#include <map>

#include "hubguard/scan/decode/base_encodings.hpp"
#include "hubguard/scan/formats/json_guard.hpp"
#include "hubguard/scan/formats/keras_lambda_policy.hpp"
#include "hubguard/scan/policy/classify.hpp"
#include "hubguard/scan/python/marshal_code.hpp"

namespace hubguard::scan {
namespace {

using nlohmann::json;
using report::Severity;
using report::Verdict;

constexpr unsigned kMaxWalkDepth = 512;
constexpr std::size_t kMaxFindingsPerRule = 32;

// Modules whose classes Keras itself serialises (layers, initializers, losses, dtype
// policies ... and the Keras-family libraries built on the same registry).
constexpr std::array<std::string_view, 9> kKerasModules{
    "keras", "keras_hub", "keras_nlp", "keras_cv", "tf_keras", "tensorflow.keras",
    "tensorflow.python.keras", "keras_core", "tensorflow_addons"};
// Keras callables that reach files or the network when a config names them.
constexpr std::array<std::string_view, 8> kDangerousKerasNames{
    "get_file", "load_model", "load_weights", "load_img", "save_model", "save_img", "register_keras_serializable",
    "enable_unsafe_deserialization"};

// Class names Keras 3 writes for plain values (tuples, arrays, tensors ...): never imported.
constexpr std::array<std::string_view, 9> kKerasMarkers{
    "__tuple__", "__numpy__", "__tensor__", "__bytes__", "__typespec__", "__slice__", "__ellipsis__",
    "__passive_serialization__", "__lambda__"};

bool under(std::string_view module, std::string_view root) {
  return module == root || (module.size() > root.size() && module.starts_with(root) && module[root.size()] == '.');
}

bool keras_module(std::string_view module) {
  for (auto m : kKerasModules)
    if (under(module, m)) return true;
  return false;
}

const std::string* string_member(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

class Walker {
 public:
  Walker(std::uint64_t offset, ScanContext& ctx) : offset_(offset), ctx_(ctx) {}

  void walk(const json& node, unsigned depth, std::string_view layer) {
    if (depth > kMaxWalkDepth) return;  // parse_json_bounded already caps depth lower
    if (node.is_array()) {
      for (const auto& item : node) walk(item, depth + 1, layer);
      return;
    }
    if (!node.is_object()) return;
    std::string here(layer);
    if (auto* name = node.contains("config") && node["config"].is_object() ? string_member(node["config"], "name") : nullptr)
      here = *name;
    object(node, here);
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "safe_mode" && it.value().is_boolean() && !it.value().get<bool>())
        report("keras.unsafe-deserialization", Severity::high, Verdict::dangerous, "code-execution",
               "the config asks for safe_mode=False (object '" + here + "'): Lambda bytecode and arbitrary "
               "callables would load unchecked", json_excerpt(node));
      if (it.value().is_string() && it.value().get_ref<const std::string&>() == "enable_unsafe_deserialization")
        report("keras.unsafe-deserialization", Severity::high, Verdict::dangerous, "code-execution",
               "the config names keras.config.enable_unsafe_deserialization (object '" + here + "')",
               json_excerpt(node));
      walk(it.value(), depth + 1, here);
    }
  }

 private:
  void report(std::string rule, Severity s, Verdict v, std::string category, std::string message,
              std::string evidence) {
    if (counts_[rule]++ >= kMaxFindingsPerRule) return;
    ctx_.add_finding(make_finding(std::move(rule), s, v, std::move(category), std::move(message), offset_,
                                  std::move(evidence)));
  }

  void object(const json& o, const std::string& layer) {
    const std::string* class_name = string_member(o, "class_name");
    const std::string* module = string_member(o, "module");
    if (class_name && *class_name == "Lambda" && o.contains("config") && o["config"].is_object())
      keras2_lambda(o["config"], layer);
    if (class_name && *class_name == "__lambda__" && o.contains("config") && o["config"].is_object()) {
      if (const std::string* code = string_member(o["config"], "code")) lambda_code(*code, layer);
      return;
    }
    if (!class_name) return;
    // Keras 3 writes plain functions as {"class_name": "function", "config": "<name>", "module": ...}.
    std::string name = *class_name;
    if (name == "function" && o.contains("config") && o["config"].is_string()) name = o["config"].get<std::string>();
    if (module) callable(*module, name, layer, o);
    else if (const std::string* registered = string_member(o, "registered_name"); registered && !module)
      registered_callable(*registered, layer, o);
  }

  void callable(const std::string& module, const std::string& name, const std::string& layer, const json& o) {
    for (auto marker : kKerasMarkers)
      if (name == marker) return;  // Keras' own value encodings, not imports
    if (keras_module(module)) {
      for (auto d : kDangerousKerasNames)
        if (name == d)
          report("keras.foreign-callable", Severity::high, Verdict::dangerous, "downloader",
                 "layer '" + layer + "' names " + module + "." + name +
                     ", a Keras utility that reads files or the network when the model loads",
                 json_excerpt(o));
      return;
    }
    const auto c = policy::classify(module, name);
    const std::string path = c.path.empty() ? module + "." + name : c.path;
    if (c.safety == policy::Safety::dangerous) {
      const bool runs = c.category == policy::kCodeExecution || c.category == policy::kShellCommand ||
                        c.category == policy::kReverseShell;
      report("keras.foreign-callable", runs ? Severity::critical : Severity::high,
             runs ? Verdict::malicious : Verdict::dangerous,
             c.category.empty() ? std::string("code-execution") : std::string(c.category),
             "layer '" + layer + "' makes Keras import and call " + path + " (" + c.reason + ")",
             json_excerpt(o));
    } else if (c.safety == policy::Safety::unknown) {
      report("keras.custom-object", Severity::low, Verdict::suspicious, "custom-code",
             "layer '" + layer + "' needs " + path +
                 " from outside Keras: loading imports that module (custom code must come from somewhere)",
             json_excerpt(o));
    }
  }

  // "package>Name" names a class registered with register_keras_serializable.
  void registered_callable(const std::string& registered, const std::string& layer, const json& o) {
    auto gt = registered.find('>');
    if (gt == std::string::npos) return;
    callable(registered.substr(0, gt), registered.substr(gt + 1), layer, o);
  }

  // Keras 2: config.function is [base64, defaults, closure] or a base64 string when
  // function_type is "lambda", or a function name with config.module when it is "function".
  void keras2_lambda(const json& config, const std::string& layer) {
    const std::string* type = string_member(config, "function_type");
    auto f = config.find("function");
    if (f == config.end()) return;
    if (type && *type == "function" && f->is_string()) {
      const std::string* module = string_member(config, "module");
      callable(module ? *module : std::string("__main__"), f->get<std::string>(), layer, config);
      return;
    }
    if (f->is_string()) lambda_code(f->get<std::string>(), layer);
    else if (f->is_array() && !f->empty() && (*f)[0].is_string()) lambda_code((*f)[0].get<std::string>(), layer);
  }

  void lambda_code(const std::string& encoded, const std::string& layer) {
    auto raw = decode::base64_decode(encoded);
    if (!raw) {
      report("keras.lambda", Severity::medium, Verdict::suspicious, "code-execution",
             "Lambda layer '" + layer + "' carries code that is not valid base64; it was not analysed",
             encoded.substr(0, 120));
      return;
    }
    auto source = python::marshalled_pseudo_source(as_bytes(*raw), ctx_.limits());
    if (!source) {
      report("keras.lambda", Severity::medium, Verdict::suspicious, "code-execution",
             "Lambda layer '" + layer + "' carries data that is not a readable marshalled code object (" +
                 source.error().message + "); it was not analysed",
             encoded.substr(0, 120));
      return;
    }
    // Code in a Lambda runs on every call of the model: reaching the host at all (a process,
    // the network, files, eval/exec) is dangerous however harmless the arguments look.
    const auto host = lambda_host_access(*source);
    if (host.empty()) {
      report("keras.lambda", Severity::medium, Verdict::suspicious, "code-execution",
             "Lambda layer '" + layer + "' carries marshalled Python bytecode, which runs when the model is "
             "loaded with safe_mode=False and on every call; its code was analysed and reaches nothing outside "
             "its inputs that hubguard knows to be dangerous",
             source->text.substr(0, 300));
    } else {
      std::string what;
      for (const auto& h : host)
        what += (what.empty() ? "" : ", ") + h.classification.path + " (" + h.classification.reason + ")";
      const auto category = host.front().classification.category;
      report("keras.lambda", Severity::high, Verdict::dangerous,
             category.empty() ? std::string("code-execution") : std::string(category),
             "Lambda layer '" + layer + "' carries marshalled Python bytecode that reaches " + what +
                 "; a Lambda's code runs on every call of the model and when it is loaded with safe_mode=False",
             source->text.substr(0, 300));
    }
    CodeEvidence code;
    code.kind = CodeKind::bytecode;
    code.text = std::move(source->text);
    code.offset = offset_;
    code.via = "Keras Lambda layer '" + layer + "' (" + std::string(python::to_string(source->family)) + " bytecode)";
    ctx_.add_code(std::move(code));
  }

  std::uint64_t offset_;
  ScanContext& ctx_;
  std::map<std::string, std::size_t> counts_;
};

}  // namespace

bool is_keras_config(const json& root) {
  return root.is_object() && root.contains("class_name") && root["class_name"].is_string() &&
         root.contains("config");
}

void scan_keras_config(const json& root, std::uint64_t offset, ScanContext& ctx) {
  Walker(offset, ctx).walk(root, 0, "model");
}

}  // namespace hubguard::scan
