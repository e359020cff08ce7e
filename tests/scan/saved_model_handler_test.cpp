// The TensorFlow SavedModel handlers ("tf-savedmodel", "keras-metadata"): recognition by
// content, the op findings on graph nodes and function bodies, constant-path resolution for
// checkpoint ops, the standard-op list, Keras metadata, and malformed input. Inputs are built
// with the handler's own generated protobuf classes (tf_saved_model.proto), which write the
// same wire format as TensorFlow.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "format_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/proto/tf_saved_model.pb.h"
#include "hubguard/scan/formats/tf_standard_ops.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;
namespace tp = hubguard::tfproto;

class GraphBuilder {
 public:
  GraphBuilder() {
    meta_ = model_.add_meta_graphs();
    model_.set_saved_model_schema_version(1);
    meta_->mutable_meta_info_def()->add_tags("serve");
    graph_ = meta_->mutable_graph_def();
    node(graph_->add_node(), "x", "Placeholder", {});
    node(graph_->add_node(), "mm", "MatMul", {"x", "x"});
  }
  tp::Node* add(const std::string& name, const std::string& op, std::vector<std::string> inputs = {}) {
    return node(graph_->add_node(), name, op, std::move(inputs));
  }
  tp::Node* add_const(const std::string& name, const std::string& value) {
    return add_const_in(graph_->add_node(), name, value);
  }
  tp::Function* function(const std::string& name) {
    auto* f = graph_->mutable_library()->add_function();
    f->mutable_signature()->set_name(name);
    return f;
  }
  static tp::Node* node(tp::Node* n, const std::string& name, const std::string& op, std::vector<std::string> inputs) {
    n->set_name(name);
    n->set_op(op);
    for (auto& i : inputs) n->add_input(i);
    return n;
  }
  static tp::Node* add_const_in(tp::Node* n, const std::string& name, const std::string& value) {
    node(n, name, "Const", {});
    auto* attr = n->add_attr();
    attr->set_key("value");
    attr->mutable_value()->mutable_tensor()->set_dtype(7);
    attr->mutable_value()->mutable_tensor()->add_string_val(value);
    return n;
  }
  static void set_attr_s(tp::Node* n, const std::string& key, const std::string& value) {
    auto* attr = n->add_attr();
    attr->set_key(key);
    attr->mutable_value()->set_s(value);
  }
  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  tp::SavedModel model_;
  tp::MetaGraph* meta_;
  tp::Graph* graph_;
};

FormatContext scan_graph(const std::string& bytes, std::string name = "saved_model.pb") {
  FormatContext ctx;
  const auto a = artifact_of(bytes, std::move(name));
  EXPECT_TRUE(saved_model_handler().accepts(a));
  saved_model_handler().scan(a, ctx);
  return ctx;
}

TEST(SavedModelDetect, AcceptsASavedModelAndNothingElse) {
  GraphBuilder g;
  EXPECT_TRUE(saved_model_handler().accepts(artifact_of(g.bytes(), "whatever.bin")));
  // An ONNX ModelProto starts the same way (ir_version 0x08, then field 2 = producer_name).
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of(std::string("\x08\x07\x12\x07pytorch\x1a\x03" "2.1", 15))));
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of("")));
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of("\x80\x04\x95", "saved_model.pb")));
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of("import os\n", "saved_model.pb")));
  // A meta graph without a graph_def is not a SavedModel we can judge.
  tp::SavedModel empty;
  empty.set_saved_model_schema_version(1);
  empty.add_meta_graphs()->mutable_meta_info_def()->add_tags("serve");
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of(empty.SerializeAsString())));
  EXPECT_FALSE(keras_metadata_handler().accepts(artifact_of(g.bytes())));
}

TEST(SavedModelDetect, FileNameOnlyBreaksTiesWhenTheVersionIsMissing) {
  tp::SavedModel m;  // schema version 0: proto3 does not write it
  m.add_meta_graphs()->mutable_graph_def()->add_node()->set_op("NoOp");
  const std::string bytes = m.SerializeAsString();
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of(bytes, "model.pb")));
  EXPECT_TRUE(saved_model_handler().accepts(artifact_of(bytes, "saved_model.pb")));
  EXPECT_TRUE(saved_model_handler().accepts(artifact_of(bytes, "repo/model/saved_model.pb")));
}

TEST(SavedModelGraph, PlainGraphIsClean) {
  GraphBuilder g;
  g.add("relu", "Relu", {"mm"});
  auto ctx = scan_graph(g.bytes());
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
}

TEST(SavedModelGraph, ReadFileNamesTheOpAndTheConstantPath) {
  GraphBuilder g;
  g.add_const("path", "/etc/passwd");
  g.add("read", "ReadFile", {"path"});
  auto ctx = scan_graph(g.bytes());
  const auto* f = ctx.rule("savedmodel.file-read");
  ASSERT_NE(f, nullptr) << ctx.dump();
  EXPECT_EQ(f->verdict, Verdict::dangerous);
  EXPECT_NE(f->evidence.find("ReadFile"), std::string::npos) << f->evidence;
  EXPECT_NE(f->evidence.find("'/etc/passwd'"), std::string::npos) << f->evidence;
  EXPECT_NE(f->evidence.find("node 'read' in the graph"), std::string::npos) << f->evidence;
}

TEST(SavedModelGraph, WriteFileAndMatchingFilesAreDangerousEvenWithRuntimePaths) {
  GraphBuilder g;
  g.add("w", "WriteFile", {"x", "x"});
  g.add("m", "MatchingFiles", {"x"});
  auto ctx = scan_graph(g.bytes());
  ASSERT_NE(ctx.rule("savedmodel.file-write"), nullptr) << ctx.dump();
  EXPECT_NE(ctx.rule("savedmodel.file-write")->evidence.find("computed at run time"), std::string::npos);
  ASSERT_NE(ctx.rule("savedmodel.file-read"), nullptr) << ctx.dump();
  EXPECT_NE(ctx.rule("savedmodel.file-read")->evidence.find("MatchingFiles"), std::string::npos);
}

TEST(SavedModelGraph, PythonOpsAreDangerous) {
  for (const char* op : {"PyFunc", "PyFuncStateless", "EagerPyFunc"}) {
    GraphBuilder g;
    GraphBuilder::set_attr_s(g.add("cb", op, {"x"}), "token", "pyfunc_7");
    auto ctx = scan_graph(g.bytes());
    const auto* f = ctx.rule("savedmodel.python-op");
    ASSERT_NE(f, nullptr) << op << ctx.dump();
    EXPECT_EQ(f->verdict, Verdict::dangerous);
    EXPECT_NE(f->evidence.find(op), std::string::npos);
    EXPECT_NE(f->evidence.find("pyfunc_7"), std::string::npos);
  }
}

TEST(SavedModelGraph, FunctionBodiesAreCheckedAndNamed) {
  GraphBuilder g;
  auto* call = g.add("call", "StatefulPartitionedCall", {"x"});
  (void)call;
  auto* f = g.function("__inference_leak_9");
  GraphBuilder::add_const_in(f->add_node_def(), "p", "/root/.ssh/id_rsa");
  GraphBuilder::node(f->add_node_def(), "r", "ReadFile", {"p:output:0"});
  auto ctx = scan_graph(g.bytes());
  const auto* finding = ctx.rule("savedmodel.file-read");
  ASSERT_NE(finding, nullptr) << ctx.dump();
  EXPECT_NE(finding->evidence.find("function '__inference_leak_9'"), std::string::npos) << finding->evidence;
  EXPECT_NE(finding->evidence.find("/root/.ssh/id_rsa"), std::string::npos) << finding->evidence;
}

TEST(SavedModelGraph, Tf2SaverWithPlaceholderPrefixIsClean) {
  GraphBuilder g;
  g.add("saver_filename", "Placeholder");
  g.add_const("part", "_temp/part");
  g.add("join", "StringJoin", {"saver_filename", "part"});
  g.add("sharded", "ShardedFilename", {"join", "x", "x"});
  g.add("save", "SaveV2", {"sharded", "x", "x", "mm"});
  g.add("merge", "MergeV2Checkpoints", {"sharded", "saver_filename", "^save"});
  g.add("restore", "RestoreV2", {"saver_filename", "x", "x"});
  auto ctx = scan_graph(g.bytes());
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
}

TEST(SavedModelGraph, CheckpointPathsThatLeaveTheModelDirectoryAreDangerous) {
  struct Case {
    const char* prefix;
    bool escapes;
  } cases[] = {{"model", false},           {"variables/variables", false}, {"/etc/cron.d/x", true},
               {"../../home/u/.bashrc", true}, {"a/../../b", true},          {"C:\\Users\\x", true},
               {"~/.profile", true},         {"gs://bucket/ckpt", true},     {"file:///tmp/x", true},
               {"file://model", false},      {"..data", false}};
  for (const auto& c : cases) {
    GraphBuilder g;
    g.add_const("prefix_input", c.prefix);
    g.add("prefix", "PlaceholderWithDefault", {"prefix_input"});
    g.add("save", "SaveV2", {"prefix", "x", "x", "mm"});
    auto ctx = scan_graph(g.bytes());
    const auto* f = ctx.rule("savedmodel.path-escape");
    EXPECT_EQ(f != nullptr, c.escapes) << c.prefix << "\n" << ctx.dump();
    if (f) {
      EXPECT_EQ(f->verdict, Verdict::dangerous);
      EXPECT_NE(f->evidence.find("SaveV2"), std::string::npos);
    }
  }
}

TEST(SavedModelGraph, PathsBuiltWithStringJoinAreResolved) {
  GraphBuilder g;
  g.add_const("a", "..");
  g.add_const("b", "etc");
  auto* join = g.add("join", "StringJoin", {"a", "b"});
  GraphBuilder::set_attr_s(join, "separator", "/");
  g.add("restore", "RestoreV2", {"join", "x", "x"});
  auto ctx = scan_graph(g.bytes());
  const auto* f = ctx.rule("savedmodel.path-escape");
  ASSERT_NE(f, nullptr) << ctx.dump();
  EXPECT_NE(f->evidence.find("'../etc'"), std::string::npos) << f->evidence;
}

TEST(SavedModelGraph, RuntimePrefixHidesAbsolutenessButNotDotDot) {
  GraphBuilder g;
  g.add("dir", "Placeholder");
  g.add_const("rest", "/../../x");
  g.add("join", "StringJoin", {"dir", "rest"});
  g.add("save", "Save", {"join", "x", "mm"});
  auto ctx = scan_graph(g.bytes());
  ASSERT_NE(ctx.rule("savedmodel.path-escape"), nullptr) << ctx.dump();
  EXPECT_NE(ctx.rule("savedmodel.path-escape")->evidence.find("<runtime>"), std::string::npos);
}

TEST(SavedModelGraph, PrintV2ToAFileIsDangerousToStderrIsNot) {
  GraphBuilder g;
  GraphBuilder::set_attr_s(g.add("p1", "PrintV2", {"x"}), "output_stream", "stderr");
  EXPECT_TRUE(scan_graph(g.bytes()).findings.empty());
  GraphBuilder::set_attr_s(g.add("p2", "PrintV2", {"x"}), "output_stream", "file:///tmp/log");
  auto ctx = scan_graph(g.bytes());
  const auto* f = ctx.rule("savedmodel.print-to-file");
  ASSERT_NE(f, nullptr) << ctx.dump();
  EXPECT_NE(f->evidence.find("file:///tmp/log"), std::string::npos);
}

TEST(SavedModelGraph, CustomOpsReportedOncePerNameAndLibraryFunctionsAreNotCustom) {
  GraphBuilder g;
  g.add("c1", "MyCustomOp", {"x"});
  g.add("c2", "MyCustomOp", {"c1"});
  g.add("direct_call", "my_function", {"x"});
  GraphBuilder::node(g.function("my_function")->add_node_def(), "inner", "OtherCustomOp", {});
  auto ctx = scan_graph(g.bytes());
  int my = 0, other = 0;
  for (const auto& f : ctx.findings) {
    if (f.rule != "savedmodel.custom-op") continue;
    EXPECT_EQ(f.verdict, Verdict::suspicious);
    if (f.evidence.find("MyCustomOp used by 2 node(s)") != std::string::npos) ++my;
    if (f.evidence.find("OtherCustomOp") != std::string::npos) {
      ++other;
      EXPECT_NE(f.evidence.find("function 'my_function'"), std::string::npos) << f.evidence;
    }
    EXPECT_EQ(f.evidence.find("my_function used by"), std::string::npos) << "a library function is not a custom op";
  }
  EXPECT_EQ(my, 1) << ctx.dump();
  EXPECT_EQ(other, 1) << ctx.dump();
}

TEST(SavedModelGraph, FindingsPerRuleAreBounded) {
  GraphBuilder g;
  for (int i = 0; i < 300; ++i) g.add("r" + std::to_string(i), "ReadFile", {"x"});
  auto ctx = scan_graph(g.bytes());
  std::size_t reads = 0;
  for (const auto& f : ctx.findings)
    if (f.rule == "savedmodel.file-read" && f.verdict == Verdict::dangerous) ++reads;
  EXPECT_GE(reads, 1u);
  EXPECT_LE(reads, 100u);
}

TEST(SavedModelMalformed, TruncatedIsUnscannableWithTheReason) {
  GraphBuilder g;
  g.add_const("path", std::string(200, 'a'));
  const std::string bytes = g.bytes();
  auto ctx = scan_graph(bytes.substr(0, bytes.size() / 2));
  ASSERT_EQ(ctx.errors.size(), 1u) << ctx.dump();
  EXPECT_NE(ctx.errors[0].find("truncated"), std::string::npos) << ctx.errors[0];
}

TEST(SavedModelMalformed, DeepAttributeNestingIsUnscannable) {
  tp::Attr deep;
  deep.mutable_func()->set_name("leaf");
  for (int i = 0; i < 100; ++i) {
    tp::Attr outer;
    auto* entry = outer.mutable_func()->add_attr();
    entry->set_key("a");
    *entry->mutable_value() = deep;
    deep = outer;
  }
  GraphBuilder g;
  auto* n = g.add("call", "PartitionedCall", {"x"});
  auto* entry = n->add_attr();
  entry->set_key("f");
  *entry->mutable_value() = deep;
  auto ctx = scan_graph(g.bytes());
  ASSERT_EQ(ctx.errors.size(), 1u) << ctx.dump();
  EXPECT_NE(ctx.errors[0].find("nested deeper"), std::string::npos) << ctx.errors[0];
}

TEST(SavedModelMalformed, OversizedFileIsALimitFindingNotAParse) {
  GraphBuilder g;
  g.add_const("path", "/etc/passwd");
  g.add("read", "ReadFile", {"path"});
  FormatContext ctx;
  ctx.opts.limits.max_scanned_member_size = 16;
  saved_model_handler().scan(artifact_of(g.bytes()), ctx);
  EXPECT_TRUE(ctx.has_rule("limit.savedmodel-size")) << ctx.dump();
  EXPECT_FALSE(ctx.has_rule("savedmodel.file-read"));
}

TEST(TfStandardOps, KnowsTheCommonOpsAndNotInventedOnes) {
  EXPECT_GT(standard_tf_op_count(), 1300u);
  for (const char* op : {"MatMul", "BiasAdd", "Relu", "Const", "SaveV2", "StatefulPartitionedCall", "VarHandleOp",
                         "ReadVariableOp", "_Arg", "_Retval", "StatelessRandomUniformV2", "ZipDataset"})
    EXPECT_TRUE(is_standard_tf_op(op)) << op;
  for (const char* op : {"MyCustomOp", "", "matmul", "Relu "}) EXPECT_FALSE(is_standard_tf_op(op)) << op;
}

// keras_metadata.pb

std::string keras_metadata(const std::vector<std::string>& json_nodes) {
  tp::KerasMetadata m;
  int id = 0;
  for (const auto& j : json_nodes) {
    auto* n = m.add_nodes();
    n->set_node_id(id++);
    n->set_node_path("root");
    n->set_identifier("_tf_keras_layer");
    n->set_metadata(j);
  }
  return m.SerializeAsString();
}

TEST(KerasMetadata, DetectsOnlySavedMetadataWithJson) {
  EXPECT_TRUE(keras_metadata_handler().accepts(artifact_of(keras_metadata({R"({"class_name": "Dense", "config": {}})"}))));
  EXPECT_FALSE(keras_metadata_handler().accepts(artifact_of(keras_metadata({"not json"}))));
  EXPECT_FALSE(keras_metadata_handler().accepts(artifact_of("\n\nimport os\n")));
  EXPECT_FALSE(saved_model_handler().accepts(artifact_of(keras_metadata({R"({"class_name": "Dense", "config": {}})"}))));
}

TEST(KerasMetadata, TupleEncodedLambdaIsAnalysedOnceAcrossModelAndLayerNodes) {
  // marshal of `lambda x: x` is not needed to see the walk: invalid base64 still makes a
  // keras.lambda finding naming the layer, and the model node repeats the layer's config.
  const std::string layer =
      R"({"class_name": "Lambda", "config": {"name": "evil", "function": {"class_name": "__tuple__", "items": ["%%%", null, null]}, "function_type": "lambda", "module": "__main__"}})";
  const std::string model = R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [)" + layer + "]}}";
  FormatContext ctx;
  keras_metadata_handler().scan(artifact_of(keras_metadata({model, layer})), ctx);
  int lambdas = 0;
  for (const auto& f : ctx.findings) lambdas += f.rule == "keras.lambda";
  EXPECT_EQ(lambdas, 1) << ctx.dump();
  EXPECT_FALSE(ctx.has_rule("keras.foreign-callable")) << "__tuple__ is an encoding, not a callable\n" << ctx.dump();
}

TEST(KerasMetadata, BadJsonInANodeIsUnscannable) {
  FormatContext ctx;
  keras_metadata_handler().scan(artifact_of(keras_metadata({R"({"class_name": "Dense", "config": )"})), ctx);
  ASSERT_EQ(ctx.errors.size(), 1u) << ctx.dump();
  EXPECT_NE(ctx.errors[0].find("not JSON"), std::string::npos);
}

// The SavedModel directory layout, scanned as `hubguard scan DIR` does.
TEST(SavedModelDirectory, EachFileIsRecognisedAndTheLambdaIsFound) {
  const std::filesystem::path dir = std::string(HUBGUARD_FIXTURES) + "/formats/malicious/savedmodel/keras_lambda";
  std::vector<std::string> missing;
  const auto files = collect_files({dir}, missing);
  ASSERT_GE(files.size(), 4u);
  const auto report = scan_paths(files, {}, 1);
  bool graph = false, metadata = false;
  for (const auto& r : report.files) {
    const std::string name = std::filesystem::path(r.path).filename().string();
    if (name == "saved_model.pb") {
      graph = true;
      EXPECT_EQ(r.format, "tf-savedmodel");
      EXPECT_EQ(r.verdict, Verdict::clean);
    } else if (name == "keras_metadata.pb") {
      metadata = true;
      EXPECT_EQ(r.format, "keras-metadata");
      EXPECT_GE(r.verdict, Verdict::dangerous);
    } else {
      EXPECT_LE(r.verdict, Verdict::suspicious) << name;
    }
  }
  EXPECT_TRUE(graph);
  EXPECT_TRUE(metadata);
}

}  // namespace
}  // namespace hubguard::scan
