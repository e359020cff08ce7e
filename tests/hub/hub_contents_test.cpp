#include <gtest/gtest.h>

#include "hubguard/hub/repository_contents.hpp"

namespace hubguard::hub {
namespace {

using report::RepositoryKind;

report::FileReport file(std::string path, std::string format) {
  report::FileReport f;
  f.path = std::move(path);
  f.format = std::move(format);
  f.finalize();
  return f;
}

TEST(AutoMap, NamesModuleFilesOfEveryEntry) {
  auto modules = auto_map_modules(R"({
    "model_type": "x",
    "auto_map": {
      "AutoConfig": "configuration_x.XConfig",
      "AutoModel": "modeling_x.XModel",
      "AutoModelForCausalLM": "modeling_x.XForCausalLM",
      "AutoTokenizer": ["tokenization_x.XTokenizer", null],
      "AutoProcessor": "other/repo--processing_x.Proc",
      "AutoNested": "pkg.sub.module_y.Y"
    }})");
  EXPECT_EQ(modules, (std::vector<std::string>{"configuration_x.py", "modeling_x.py",
                                               "other/repo:processing_x.py", "pkg/sub/module_y.py",
                                               "tokenization_x.py"}));
}

TEST(AutoMap, HostileOrMalformedConfigsGiveNothingUnsafe) {
  EXPECT_TRUE(auto_map_modules("not json").empty());
  EXPECT_TRUE(auto_map_modules("[1,2]").empty());
  EXPECT_TRUE(auto_map_modules(R"({"auto_map": "modeling.X"})").empty());
  EXPECT_TRUE(auto_map_modules(R"({"auto_map": {"A": 5, "B": {"x": 1}}})").empty());
  // Path tricks are not module names: nothing that climbs out of the repository.
  auto modules =
      auto_map_modules(R"({"auto_map": {"A": "../../etc/passwd.X", "B": "/abs.X", "C": "NoDot"}})");
  EXPECT_TRUE(modules.empty()) << modules.front();
}

TEST(Contents, SortsFilesByTheRoleTheyPlay) {
  std::vector<report::FileReport> files = {file("models/a/b/pytorch_model.bin", "pytorch-zip"),
                                           file("models/a/b/model.safetensors", "safetensors"),
                                           file("models/a/b/config.json", "text"),
                                           file("models/a/b/modeling_x.py", "python"),
                                           file("models/a/b/blob.dat", "unknown"),
                                           file("models/a/b/extra.safetensors", "safetensors")};
  auto c = describe_contents(files, "models/a/b", RepositoryKind::model, {"modeling_x.py"});
  EXPECT_EQ(c.model_files["safetensors"],
            (std::vector<std::string>{"extra.safetensors", "model.safetensors"}));
  EXPECT_EQ(c.model_files["pytorch-zip"], (std::vector<std::string>{"pytorch_model.bin"}));
  EXPECT_EQ(c.model_files.count("text"), 0u);
  EXPECT_EQ(c.model_files.count("python"), 0u);
  EXPECT_EQ(c.remote_code_modules, (std::vector<std::string>{"modeling_x.py"}));
  EXPECT_EQ(c.not_analysed, (std::vector<std::string>{"blob.dat"}));
  EXPECT_TRUE(c.dataset_scripts.empty());  // Python files of a model are not dataset scripts
}

TEST(Contents, DatasetScriptsAreThePythonFilesOfADataset) {
  std::vector<report::FileReport> files = {file("squad/squad.py", "python"),
                                           file("squad/train.parquet", "parquet"),
                                           file("squad/tools/prep.py", "text")};
  auto c = describe_contents(files, "squad", RepositoryKind::dataset, {});
  EXPECT_EQ(c.dataset_scripts, (std::vector<std::string>{"squad.py", "tools/prep.py"}));
  EXPECT_TRUE(c.model_files.empty());
}

TEST(Contents, NotAnalysedIncludesCatalogueOnlyFormatsAndLinks) {
  auto rds = file("r/model.rds", "r-serialized");
  rds.findings.push_back(report::make_finding("format.not-analysed", report::Severity::low,
                                              report::Verdict::suspicious, "coverage",
                                              "not analysed"));
  rds.finalize();
  auto link = file("r/escape", "link");
  link.findings.push_back(report::make_finding("hub.link-outside-root", report::Severity::high,
                                               report::Verdict::suspicious, "path-escape", "out"));
  auto c = describe_contents({rds, link}, "r", RepositoryKind::unknown, {});
  EXPECT_EQ(c.not_analysed, (std::vector<std::string>{"escape", "model.rds"}));
}

TEST(Kind, LayoutWinsElseContentsDecide) {
  std::vector<report::FileReport> weights = {file("x/model.safetensors", "safetensors")};
  std::vector<report::FileReport> data = {file("x/train.jsonl", "text"),
                                          file("x/README.md", "text")};
  std::vector<report::FileReport> docs = {file("x/README.md", "text")};
  EXPECT_EQ(infer_kind(RepositoryKind::dataset, weights, "x", ""), RepositoryKind::dataset);
  EXPECT_EQ(infer_kind(RepositoryKind::unknown, weights, "x", ""), RepositoryKind::model);
  EXPECT_EQ(infer_kind(RepositoryKind::unknown, data, "x", ""), RepositoryKind::dataset);
  EXPECT_EQ(infer_kind(RepositoryKind::unknown, docs, "x", ""), RepositoryKind::unknown);
  EXPECT_EQ(infer_kind(RepositoryKind::unknown, docs, "x", R"({"architectures": ["Bert"]})"),
            RepositoryKind::model);
}

}  // namespace
}  // namespace hubguard::hub
