// The channel between the engine and one format handler scanning one artifact. A handler
// reports what it found through it (the format name, findings, code evidence, child
// artifacts to recurse into, a recovered program) and reads the engine-wide limits. The
// context stamps every finding with the artifact's member path, so handlers only give
// offsets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/limits.hpp"
#include "hubguard/report/finding.hpp"
#include "hubguard/scan/artifact.hpp"
#include "hubguard/scan/evidence.hpp"

namespace hubguard::scan {

struct ScanOptions {
  ScanLimits limits;
  bool keep_programs = false;  // record printed pickle programs (--show-program)
  // Hash every file (SHA-256) for the report. Off by default: hashing reads every byte, and a
  // scan otherwise touches only the pages its readers need (a 4 GB checkpoint's tensors are
  // never read).
  bool hash_files = false;
  std::string rules_dir;       // extra YARA rules (--rules DIR), compiled with the built-ins
};

class ScanContext {
 public:
  virtual ~ScanContext() = default;

  virtual const ScanOptions& options() const = 0;
  const ScanLimits& limits() const { return options().limits; }

  // The format this artifact was recognised as (the engine sets the handler's name; a
  // handler may refine it, e.g. "zip" -> "pytorch-zip").
  virtual void set_format(std::string format) = 0;
  virtual void add_finding(report::Finding finding) = 0;
  virtual void add_code(CodeEvidence code) = 0;
  // Queue a member for detection and scanning. The engine enforces depth and member limits
  // and reports when they are hit.
  virtual void add_child(Artifact child) = 0;
  virtual void add_program(std::string text) = 0;
  // The artifact (or part of it) could not be parsed: recorded as the file's error and the
  // verdict becomes at least `unscannable`. Findings reported before stay.
  virtual void unscannable(std::string reason) = 0;
  // Account decompressed bytes against the per-file budget; false when the budget is spent
  // (the engine has already recorded a limit finding).
  virtual bool charge_decompressed(std::uint64_t bytes) = 0;
};

// Handlers build findings with report::make_finding (offset only; the context adds the member).
using report::make_finding;

}  // namespace hubguard::scan
