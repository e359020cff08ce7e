// The hand-written Python fixtures (tests/fixtures/python, listed in manifest.json): every
// benign dataset script and remote-code module stays below `dangerous`, every malicious one
// is `malicious` with its behaviour class — both through analyze_python directly and
// through the whole engine (format detection, the code-analysis orchestrator). The Python
// source handler must claim every fixture and refuse text that is not Python.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/format_registry.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/python/python_analysis.hpp"

namespace hubguard::scan {
namespace {

using report::Finding;
using report::Verdict;

const std::string kDir = std::string(HUBGUARD_FIXTURES) + "/python/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json manifest() {
  return nlohmann::json::parse(read_file(kDir + "manifest.json"));
}

std::string dump(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs)
    out += std::string(report::to_string(f.verdict)) + " " + f.category + " " + f.rule + " | " +
           f.message + " | " + f.evidence + "\n";
  return out;
}

Verdict worst_of(const std::vector<Finding>& fs) {
  Verdict v = Verdict::clean;
  for (const auto& f : fs) v = report::worst(v, f.verdict);
  return v;
}

bool has_malicious(const std::vector<Finding>& fs, const std::string& category) {
  for (const auto& f : fs)
    if (f.verdict == Verdict::malicious && f.category == category) return true;
  return false;
}

TEST(PythonFixtures, ManifestListsEnoughFixtures) {
  auto m = manifest();
  EXPECT_GE(m["benign"].size(), 9u);
  EXPECT_GE(m["malicious"].size(), 9u);
}

TEST(PythonFixtures, BenignFixturesAreNotDangerous) {
  const auto m = manifest();
  ASSERT_FALSE(m["benign"].empty());
  for (const auto& entry : m["benign"]) {
    const std::string path = entry["path"];
    const std::string src = read_file(kDir + path);
    ASSERT_FALSE(src.empty()) << path;
    python::PythonAnalysisOptions options;
    options.origin = path;
    auto fs = python::analyze_python(src, options);
    EXPECT_LT(worst_of(fs), Verdict::unscannable) << path << "\n" << dump(fs);
    if (entry.contains("role")) {
      EXPECT_EQ(python::python_source_role(src), entry["role"].get<std::string>()) << path;
    }
  }
}

TEST(PythonFixtures, MaliciousFixturesHaveTheirBehaviourClass) {
  const auto m = manifest();
  ASSERT_FALSE(m["malicious"].empty());
  for (const auto& entry : m["malicious"]) {
    const std::string path = entry["path"];
    const std::string category = entry["category"];
    const std::string src = read_file(kDir + path);
    ASSERT_FALSE(src.empty()) << path;
    python::PythonAnalysisOptions options;
    options.origin = path;
    auto fs = python::analyze_python(src, options);
    EXPECT_TRUE(has_malicious(fs, category)) << path << " expected " << category << "\n"
                                             << dump(fs);
    if (entry.contains("role")) {
      EXPECT_EQ(python::python_source_role(src), entry["role"].get<std::string>()) << path;
    }
  }
}

// Through the whole engine: detected as "python" by content, and the Python analysis run by
// the code-analysis orchestrator reaches the same conclusions (python.* findings only; the
// whole-file verdict, YARA included, is checked below).
TEST(PythonFixtures, EngineDetectsPythonAndReachesTheSameVerdicts) {
  ScanOptions options;
  const auto m = manifest();
  for (const char* group : {"benign", "malicious"}) {
    for (const auto& entry : m[group]) {
      const std::string path = entry["path"];
      const std::string src = read_file(kDir + path);
      auto report = scan_bytes(as_bytes(src), path, options);
      EXPECT_EQ(report.format, "python") << path;
      if (std::string(group) == "benign") {
        for (const auto& f : report.findings) {
          if (f.rule.starts_with("python.")) {
            EXPECT_LT(f.verdict, Verdict::unscannable) << path << "\n" << dump(report.findings);
          }
        }
      } else {
        EXPECT_TRUE(has_malicious(report.findings, entry["category"].get<std::string>()))
            << path << "\n"
            << dump(report.findings);
      }
    }
  }
}

// The whole-file verdict of every benign fixture, every analyzer included. Disabled while
// yara.reconnaissance_host_commands matches the `"id"` key of HF dataset scripts (reported to
// the rules engineer in /work/notes/code_analysis_contract.md, [python] 2); run it with
// --gtest_also_run_disabled_tests.
TEST(PythonFixtures, EngineKeepsBenignFixturesBelowDangerous) {
  ScanOptions options;
  const auto m = manifest();
  for (const auto& entry : m["benign"]) {
    const std::string path = entry["path"];
    const std::string src = read_file(kDir + path);
    auto report = scan_bytes(as_bytes(src), path, options);
    EXPECT_LT(report.verdict, Verdict::unscannable) << path << "\n" << dump(report.findings);
  }
}

Artifact text_artifact(const std::string& text) {
  Artifact a;
  a.bytes = as_bytes(text);
  return a;
}

TEST(PythonSourceHandler, AcceptsPythonByContent) {
  const auto& h = python_source_handler();
  for (const char* text :
       {"#!/usr/bin/env python3\nprint('hi')\n", "import os\n", "from a.b import (c,\n    d)\n",
        "\"\"\"doc\"\"\"\n\ndef main(argv):\n    return 0\n", "class Config(object):\n    pass\n",
        "# comment\nimport torch.nn as nn  # alias\n"}) {
    const std::string s = text;
    EXPECT_TRUE(h.accepts(text_artifact(s))) << s;
  }
}

TEST(PythonSourceHandler, RefusesOtherText) {
  const auto& h = python_source_handler();
  for (const char* text :
       {"{\"architectures\": [\"BertModel\"], \"import\": 1}\n",              // JSON
        "---\nlicense: mit\n---\n# Model\n\n```python\nimport torch\n```\n",  // model card
        "# Title\n\nSome text.\n\n```\nimport os\n```\n",                     // markdown
        "text,label\nimport this,1\nhello,0\n",                               // CSV
        "import { x } from './y';\nexport default x;\n",                      // JS
        "import java.util.List;\npublic class A {}\n",                        // Java
        "package main\n\nimport \"fmt\"\n",                                   // Go
        "def foo\n  puts 1\nend\n",                                           // Ruby
        "    import os\n    os.system('x')\n",                                // indented quote
        ""}) {
    const std::string s = text;
    EXPECT_FALSE(h.accepts(text_artifact(s))) << s;
  }
}

TEST(PythonSourceHandler, EmitsPythonSourceEvidenceWithItsRole) {
  const std::string src = read_file(kDir + "benign/csv_sentiment.py");
  ScanOptions options;
  auto report = scan_bytes(as_bytes(src), "csv_sentiment.py", options);
  EXPECT_EQ(report.format, "python");
  EXPECT_TRUE(report.error.empty()) << report.error;
}

}  // namespace
}  // namespace hubguard::scan
