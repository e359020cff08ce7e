#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "format_test_support.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;

FormatContext scan(const std::string& json) {
  FormatContext ctx;
  const auto a = artifact_of(json);
  EXPECT_TRUE(keras_config_handler().accepts(a)) << json.substr(0, 80);
  keras_config_handler().scan(a, ctx);
  return ctx;
}

std::string layer(const std::string& cls, const std::string& config, const std::string& module = "keras.layers") {
  return R"({"module":")" + module + R"(","class_name":")" + cls + R"(","config":)" + config +
         R"(,"registered_name":null})";
}

std::string sequential(const std::string& layers) {
  return R"({"module":"keras","class_name":"Sequential","config":{"name":"seq","layers":[)" + layers +
         R"(]},"registered_name":null,"build_config":{"input_shape":[null,4]}})";
}

std::string base64(const std::string& raw) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(raw[i]) << 16 | static_cast<unsigned char>(raw[i + 1]) << 8 |
                       static_cast<unsigned char>(raw[i + 2]);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i + 1 == raw.size()) {
    const unsigned v = static_cast<unsigned char>(raw[i]) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == raw.size()) {
    const unsigned v = static_cast<unsigned char>(raw[i]) << 16 | static_cast<unsigned char>(raw[i + 1]) << 8;
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

std::string marshal_fixture(const std::string& name) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/marshal/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kDense = layer("Dense", R"({"name":"dense","units":4,"activation":"relu",)"
                                          R"("kernel_initializer":{"module":"keras.initializers","class_name":"GlorotUniform","config":{"seed":null},"registered_name":null},)"
                                          R"("dtype":{"module":"keras","class_name":"DTypePolicy","config":{"name":"float32"},"registered_name":null}})");

TEST(KerasConfig, PlainKerasLayersAreClean) {
  const std::string wrapped = layer("TimeDistributed", R"({"name":"td","layer":)" + kDense + "}");
  const std::string bidi = layer("Bidirectional", R"({"name":"bi","layer":)" +
                                                       layer("LSTM", R"({"name":"lstm","units":2})") + "}");
  const std::string act = R"({"module":"keras.src.activations.activations","class_name":"function","config":"relu","registered_name":"relu"})";
  auto ctx = scan(sequential(kDense + "," + wrapped + "," + bidi + "," + layer("Activation", R"({"name":"a","activation":)" + act + "}")));
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
}

TEST(KerasConfig, LambdaBytecodeIsDecodedIntoCodeEvidence) {
  const std::string code = marshal_fixture("os_system.bin");
  ASSERT_FALSE(code.empty());
  const std::string lambda = layer("Lambda", R"({"name":"evil","function":{"module":"builtins","class_name":"__lambda__","config":{"code":")" +
                                                 base64(code) + R"(","defaults":null,"closure":null},"registered_name":null}})");
  // Nested inside a Functional model inside a TimeDistributed wrapper.
  const std::string inner = R"({"module":"keras","class_name":"Functional","config":{"name":"inner","layers":[)" +
                            layer("TimeDistributed", R"({"name":"td","layer":)" + lambda + "}") + "]}}";
  auto ctx = scan(sequential(kDense + "," + inner));
  EXPECT_TRUE(ctx.has_rule("keras.lambda")) << ctx.dump();
  ASSERT_EQ(ctx.code.size(), 1u) << ctx.dump();
  EXPECT_EQ(ctx.code[0].kind, CodeKind::bytecode);
  EXPECT_NE(ctx.code[0].text.find("system"), std::string::npos) << ctx.code[0].text;
  EXPECT_NE(ctx.code[0].via.find("evil"), std::string::npos);
}

TEST(KerasConfig, Keras2LambdaListAndFunctionReferences) {
  const std::string code = marshal_fixture("benign_math.bin");
  auto listed = scan(R"({"class_name":"Sequential","config":{"layers":[{"class_name":"Lambda","config":{"name":"l","function":[")" +
                     base64(code) + R"(",null,null],"function_type":"lambda"}}]}})");
  EXPECT_TRUE(listed.has_rule("keras.lambda")) << listed.dump();
  EXPECT_EQ(listed.code.size(), 1u);
  auto ref = scan(R"({"class_name":"Model","config":{"layers":[{"class_name":"Lambda","config":{"name":"l","function":"system","function_type":"function","module":"os"}}]}})");
  EXPECT_TRUE(ref.has_rule("keras.foreign-callable")) << ref.dump();
  EXPECT_EQ(ref.worst(), Verdict::malicious);
}

TEST(KerasConfig, CallablesOutsideKerasAreReported) {
  auto os_system = scan(sequential(layer("system", R"({"name":"x"})", "os")));
  EXPECT_EQ(os_system.worst(), Verdict::malicious) << os_system.dump();
  auto eval = scan(sequential(R"({"module":"builtins","class_name":"function","config":"eval","registered_name":null})"));
  EXPECT_EQ(eval.worst(), Verdict::malicious) << eval.dump();
  auto get_file = scan(sequential(layer("get_file", R"({"origin":"http://203.0.113.9/x","fname":"/tmp/x"})", "keras.utils")));
  EXPECT_TRUE(get_file.has_rule("keras.foreign-callable")) << get_file.dump();
  EXPECT_GE(get_file.worst(), Verdict::dangerous);
  auto custom = scan(sequential(layer("MyBlock", R"({"name":"b"})", "my_project.layers")));
  EXPECT_TRUE(custom.has_rule("keras.custom-object")) << custom.dump();
  EXPECT_EQ(custom.worst(), Verdict::suspicious);
  auto registered = scan(sequential(R"({"class_name":"Popen","config":{},"registered_name":"subprocess>Popen"})"));
  EXPECT_GE(registered.worst(), Verdict::dangerous) << registered.dump();
}

TEST(KerasConfig, UnsafeDeserialisationSwitchesAreReported) {
  auto safe_mode = scan(sequential(layer("TFSMLayer", R"({"name":"t","safe_mode":false})")));
  EXPECT_TRUE(safe_mode.has_rule("keras.unsafe-deserialization")) << safe_mode.dump();
  auto enable = scan(sequential(R"({"module":"keras.config","class_name":"function","config":"enable_unsafe_deserialization","registered_name":null})"));
  EXPECT_TRUE(enable.has_rule("keras.unsafe-deserialization")) << enable.dump();
}

TEST(KerasConfig, OnlyKerasShapedJsonIsClaimed) {
  EXPECT_FALSE(keras_config_handler().accepts(artifact_of(R"({"architectures":["LlamaForCausalLM"],"model_type":"llama"})")));
  EXPECT_FALSE(keras_config_handler().accepts(artifact_of(R"({"a":{"class_name":"x"}})")));
  EXPECT_FALSE(keras_config_handler().accepts(artifact_of("import os\n")));
}

TEST(KerasConfig, MalformedConfigsAreUnscannable) {
  for (const std::string& bad : {std::string(R"({"class_name":"Sequential","config":{"layers":[)"),
                                std::string(R"({"class_name":"Sequential"})"),
                                R"({"class_name":"Sequential","config":)" + std::string(5000, '[')}) {
    FormatContext ctx;
    const auto a = artifact_of(bad);
    ASSERT_TRUE(keras_config_handler().accepts(a));
    keras_config_handler().scan(a, ctx);
    EXPECT_FALSE(ctx.errors.empty()) << bad.substr(0, 60);
  }
}

}  // namespace
}  // namespace hubguard::scan
