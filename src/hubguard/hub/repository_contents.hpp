// What a repository holds, by the role each file plays when someone loads it: model files by
// format, a dataset's loading scripts (the Python files of a dataset repository, which
// `datasets.load_dataset` runs), the remote-code modules `auto_map` names in config.json or
// tokenizer_config.json (which `trust_remote_code=True` imports), and the files no reader
// analysed. Also infers a repository's kind from its files when the layout does not say.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

// Module files named by a config's `auto_map` ("modeling_x.MyModel" -> "modeling_x.py",
// ["tokenization_x.Tok", null] -> "tokenization_x.py"; a reference into another repository,
// "owner/repo--modeling_x.MyModel", becomes "owner/repo:modeling_x.py"). Sorted, unique. Text
// that is not a JSON object with an auto_map gives nothing.
std::vector<std::string> auto_map_modules(std::string_view config_json);

// `files` carry paths relative to the scan root; `repo_prefix` is the repository folder's
// path relative to the root ("" or "." for the root itself), stripped from listed paths.
report::RepositoryContents describe_contents(const std::vector<report::FileReport>& files,
                                             std::string_view repo_prefix,
                                             report::RepositoryKind kind,
                                             const std::vector<std::string>& remote_code_modules);

// The layout's kind when it knows one; else model when it holds model files or a config with
// `architectures`/`model_type`, dataset when it holds data files (parquet, arrow, csv, jsonl,
// ...) or a dataset card/info file, unknown otherwise.
report::RepositoryKind infer_kind(report::RepositoryKind from_layout,
                                  const std::vector<report::FileReport>& files,
                                  std::string_view repo_prefix, std::string_view config_json);

// True for formats that are serialized models or weights (not text, data tables or images).
bool is_model_format(std::string_view format);

}  // namespace hubguard::hub
