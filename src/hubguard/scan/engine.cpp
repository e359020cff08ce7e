#include "hubguard/scan/engine.hpp"

#include <algorithm>
#include <exception>
#include <system_error>

#include "hubguard/core/hash.hpp"
#include "hubguard/core/mapped_file.hpp"
#include "hubguard/core/parallel.hpp"
#include "hubguard/core/sanitizers.hpp"
#include "hubguard/scan/behaviour.hpp"
#include "hubguard/scan/code_analysis.hpp"
#include "hubguard/scan/extension_check.hpp"
#include "hubguard/scan/format_registry.hpp"

namespace hubguard::scan {
namespace {

using report::Finding;
using report::Severity;
using report::Verdict;

bool looks_like_text(Bytes b) {
  const std::size_t n = std::min<std::size_t>(b.size(), 4096);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = b[i];
    if (c == 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) return false;
  }
  return true;
}

// One file's scan: the context handlers report into, plus the work list of artifacts.
class FileScan final : public ScanContext {
 public:
  FileScan(report::FileReport& out, const ScanOptions& options) : out_(out), options_(options) {}

  const ScanOptions& options() const override { return options_; }

  void set_format(std::string format) override {
    if (current_->depth == 0) out_.format = format;
    if (std::find(out_.formats_seen.begin(), out_.formats_seen.end(), format) ==
        out_.formats_seen.end())
      out_.formats_seen.push_back(std::move(format));
  }

  void add_finding(Finding finding) override {
    finding.location.member = current_->member_path();
    out_.findings.push_back(std::move(finding));
  }

  void add_code(CodeEvidence code) override {
    code_.push_back({std::move(code), current_->member_path()});
  }

  void add_child(Artifact child) override {
    if (child.depth > options_.limits.max_depth) {
      if (!depth_reported_) {
        depth_reported_ = true;
        add_finding(make_finding("limit.depth", Severity::medium, Verdict::unscannable, "limit",
                                 "containers nested deeper than " +
                                     std::to_string(options_.limits.max_depth) +
                                     " levels were not scanned",
                                 0, child.member_path()));
      }
      return;
    }
    if (++members_ > options_.limits.max_members) {
      if (!members_reported_) {
        members_reported_ = true;
        add_finding(make_finding("limit.members", Severity::medium, Verdict::unscannable, "limit",
                                 "more than " + std::to_string(options_.limits.max_members) +
                                     " members: the rest were not scanned"));
      }
      return;
    }
    pending_.push_back(std::move(child));
  }

  void add_program(std::string text) override {
    if (options_.keep_programs)
      out_.programs.push_back({current_->member_path(), std::move(text)});
  }

  void unscannable(std::string reason) override {
    std::string where = current_->member_path();
    std::string message = where.empty() ? reason : where + ": " + reason;
    if (out_.error.empty())
      out_.error = message;
    else if (out_.error.size() < 4096)
      out_.error += "; " + message;
  }

  bool charge_decompressed(std::uint64_t bytes) override {
    decompressed_ += bytes;
    if (decompressed_ <= options_.limits.max_total_decompressed) return true;
    if (!budget_reported_) {
      budget_reported_ = true;
      add_finding(make_finding("limit.decompressed-total", Severity::medium, Verdict::unscannable,
                               "limit",
                               "more than " + std::to_string(options_.limits.max_total_decompressed) +
                                   " bytes would be decompressed: the rest was not scanned"));
    }
    return false;
  }

  void run(Artifact root) {
    pending_.push_back(std::move(root));
    while (!pending_.empty()) {
      Artifact artifact = std::move(pending_.back());
      pending_.pop_back();
      scan_one(artifact);
    }
    for (const auto& [code, member] : code_) {
      for (auto& finding : analyze_code(code, options_)) {
        finding.location.member = member;
        out_.findings.push_back(std::move(finding));
      }
    }
    // Every dangerous/malicious finding names a behaviour class and carries its indicators.
    classify_behaviour(out_.findings);
  }

 private:
  void scan_one(const Artifact& artifact) {
    current_ = &artifact;
    const FormatHandler* handler = detect_format(artifact);
    if (handler == nullptr) {
      classify_unrecognised(artifact);
      return;
    }
    set_format(std::string(handler->name()));
    try {
      handler->scan(artifact, *this);
    } catch (const std::bad_alloc&) {
      unscannable(std::string(handler->name()) + " reader ran out of memory");
    } catch (const std::exception& e) {
      unscannable(std::string(handler->name()) + " reader failed: " + e.what());
    }
    current_ = &artifact;  // a handler never changes it, but keep the invariant explicit
  }

  // Data no handler claims. On disk this is reported (never a silent clean); inside a
  // container it is an ordinary data member (tensor storage, vocabulary ...).
  void classify_unrecognised(const Artifact& artifact) {
    if (artifact.bytes.empty()) {
      if (artifact.depth == 0) set_format("empty");
      return;
    }
    if (looks_like_text(artifact.bytes)) {
      if (artifact.depth == 0) set_format("text");
      return;
    }
    if (artifact.depth > 0) return;
    set_format("unknown");
    add_finding(make_finding("format.not-analysed", Severity::info, Verdict::clean, "coverage",
                             "no handler recognised this content; it was not analysed"));
  }

  report::FileReport& out_;
  const ScanOptions& options_;
  const Artifact* current_ = nullptr;
  std::vector<Artifact> pending_;
  std::vector<std::pair<CodeEvidence, std::string>> code_;
  std::uint64_t members_ = 0;
  std::uint64_t decompressed_ = 0;
  bool depth_reported_ = false;
  bool members_reported_ = false;
  bool budget_reported_ = false;
};

}  // namespace

namespace {

// `disk_path` is the file the bytes were mapped from, empty for in-memory scans.
report::FileReport scan_root(Bytes bytes, const std::string& display_path, std::string disk_path,
                             const ScanOptions& options) {
  report::FileReport out;
  out.path = display_path;
  out.size = bytes.size();
  if (options.hash_files) out.sha256 = sha256_hex(bytes);
  Artifact root;
  root.bytes = bytes;
  root.name = std::filesystem::path(display_path).filename().string();
  root.disk_path = std::move(disk_path);
  FileScan scan(out, options);
  scan.run(std::move(root));
  if (auto mismatch = check_extension(std::filesystem::path(display_path).filename().string(),
                                      out.format))
    out.findings.push_back(std::move(*mismatch));
  out.finalize();
  return out;
}

}  // namespace

report::FileReport scan_bytes(Bytes bytes, const std::string& display_path,
                              const ScanOptions& options) {
  return scan_root(bytes, display_path, {}, options);
}

report::FileReport scan_file(const std::filesystem::path& path, const ScanOptions& options) {
  auto mapped = MappedFile::open(path);
  if (!mapped) {
    report::FileReport out;
    out.path = path.string();
    out.error = mapped.error().message;
    out.finalize();
    return out;
  }
  return scan_root(mapped->bytes(), path.string(), path.string(), options);
}

std::vector<std::filesystem::path> collect_files(const std::vector<std::filesystem::path>& roots,
                                                 std::vector<std::string>& missing) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& root : roots) {
    std::error_code ec;
    auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      missing.push_back(root.string());
      continue;
    }
    if (fs::is_regular_file(status)) {
      files.push_back(root);
      continue;
    }
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                             ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path());
    }
    if (ec) missing.push_back(root.string() + ": " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

report::Report scan_paths(const std::vector<std::filesystem::path>& files,
                          const ScanOptions& options, unsigned threads) {
  report::Report report;
  report.files.resize(files.size());
  parallel_for(files.size(), scan_threads(threads),
               [&](std::size_t i) { report.files[i] = scan_file(files[i], options); });
  return report;
}

}  // namespace hubguard::scan
