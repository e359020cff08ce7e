#include "hubguard/hub/repository_layout.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "hubguard/report/finding.hpp"

namespace hubguard::hub {
namespace fs = std::filesystem;
using report::RepositoryKind;
using report::Severity;
using report::Verdict;

namespace {

bool is_hidden(const std::string& name) {
  return !name.empty() && name[0] == '.';
}

// Entries of a folder by name, sorted; nothing on error (an unreadable folder lists empty).
std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// lstat: the entry itself, never what a link points to.
bool lstat_of(const fs::path& p, struct stat& st) {
  return ::lstat(p.c_str(), &st) == 0;
}

bool is_real_dir(const fs::path& p) {
  struct stat st;
  return lstat_of(p, st) && S_ISDIR(st.st_mode);
}

bool holds_regular_file(const fs::path& dir) {
  for (const auto& name : entries_of(dir)) {
    struct stat st;
    if (name == ".git") return true;
    if (lstat_of(dir / name, st) && S_ISREG(st.st_mode)) return true;
  }
  return false;
}

bool is_within(const fs::path& base, const fs::path& p) {
  auto b = base.begin();
  auto q = p.begin();
  for (; b != base.end(); ++b, ++q)
    if (q == p.end() || *b != *q) return false;
  return true;
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// --- layouts -------------------------------------------------------------------------------

// `models/<owner>/<name>` or, for owner-less legacy repositories, `models/<name>`: a folder
// directly under models/ that holds files is a repository, one that holds only folders is an
// owner.
void add_mirror_section(const fs::path& root, const std::string& section, RepositoryKind kind,
                        std::vector<RepositoryLocation>& out) {
  const fs::path base = root / section;
  for (const auto& first : entries_of(base)) {
    if (is_hidden(first) || !is_real_dir(base / first)) continue;
    if (holds_regular_file(base / first)) {
      out.push_back({section + "/" + first, fs::path(section) / first, kind});
      continue;
    }
    for (const auto& second : entries_of(base / first)) {
      if (is_hidden(second) || !is_real_dir(base / first / second)) continue;
      out.push_back(
          {section + "/" + first + "/" + second, fs::path(section) / first / second, kind});
    }
  }
}

// refs/main holds a commit id naming a folder under snapshots/. It is read only when it is a
// small regular file, and used only when it names a real folder there.
std::string read_ref(const fs::path& ref) {
  struct stat st;
  if (!lstat_of(ref, st) || !S_ISREG(st.st_mode) || st.st_size > 256) return {};
  std::ifstream in(ref, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  if (text.empty() || text == "." || text == ".." || text.find('/') != std::string::npos ||
      text.find('\0') != std::string::npos)
    return {};
  return text;
}

fs::path choose_snapshot(const fs::path& root, const std::string& repo) {
  const fs::path snapshots = root / repo / "snapshots";
  if (auto rev = read_ref(root / repo / "refs" / "main");
      !rev.empty() && is_real_dir(snapshots / rev))
    return fs::path(repo) / "snapshots" / rev;
  std::string newest;
  std::int64_t newest_time = 0;
  for (const auto& rev : entries_of(snapshots)) {
    struct stat st;
    if (!lstat_of(snapshots / rev, st) || !S_ISDIR(st.st_mode)) continue;
    if (newest.empty() || mtime_ns(st) > newest_time) {
      newest = rev;
      newest_time = mtime_ns(st);
    }
  }
  return newest.empty() ? fs::path(repo) / "snapshots" : fs::path(repo) / "snapshots" / newest;
}

bool is_cache_entry(const std::string& name, RepositoryKind& kind) {
  if (name.rfind("models--", 0) == 0) {
    kind = RepositoryKind::model;
    return true;
  }
  if (name.rfind("datasets--", 0) == 0) {
    kind = RepositoryKind::dataset;
    return true;
  }
  return false;
}

// --- listing -------------------------------------------------------------------------------

report::FileReport pseudo_file(std::string display_path, std::string format, const char* rule,
                               Severity severity, Verdict verdict, const char* category,
                               std::string message, std::string evidence = {}) {
  report::FileReport f;
  f.path = std::move(display_path);
  f.format = std::move(format);
  f.formats_seen = {f.format};
  f.findings.push_back(report::make_finding(rule, severity, verdict, category, std::move(message),
                                            0, std::move(evidence)));
  f.finalize();
  return f;
}

std::string join(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "/" + b;
}

class Lister {
 public:
  Lister(const fs::path& root, const RepositoryLocation& location, const ListingLimits& limits)
      : root_(root), location_(location), limits_(limits) {
    std::error_code ec;
    canonical_root_ = fs::canonical(root, ec);
    if (ec) canonical_root_ = fs::absolute(root, ec);
    prefix_ = location.dir.generic_string();
    if (prefix_ == "." || prefix_.empty()) prefix_.clear();
  }

  RepositoryListing run() {
    if (!is_real_dir(root_ / location_.dir)) return std::move(out_);
    // Explicit work list: a hostile tree cannot exhaust the stack.
    std::vector<std::pair<std::string, unsigned>> pending{{std::string(), 0u}};
    while (!pending.empty() && !stopped_) {
      auto [rel, depth] = std::move(pending.back());
      pending.pop_back();
      const fs::path dir = rel.empty() ? root_ / location_.dir : root_ / location_.dir / rel;
      std::vector<std::string> subdirs;
      for (const auto& name : entries_of(dir)) {
        if (rel.empty() && name == ".git") continue;
        const std::string child = join(rel, name);
        struct stat st;
        if (!lstat_of(dir / name, st)) continue;  // vanished meanwhile
        if (S_ISDIR(st.st_mode)) {
          if (depth + 1 > limits_.max_depth) {
            add_finding(pseudo_file(display(child), "directory", "hub.limit-depth",
                                    Severity::medium, Verdict::unscannable, "limit",
                                    "folders nested deeper than " +
                                        std::to_string(limits_.max_depth) +
                                        " levels were not listed"));
            continue;
          }
          subdirs.push_back(child);
        } else if (S_ISREG(st.st_mode)) {
          add_file(child, dir / name, dir / name, st, {});
        } else if (S_ISLNK(st.st_mode)) {
          add_link(child, dir / name);
        } else {
          add_finding(
              pseudo_file(display(child), "special", "hub.special-file", Severity::medium,
                          Verdict::suspicious, "format-anomaly",
                          "a device, pipe or socket where a repository holds files; not opened"));
        }
        if (stopped_) break;
      }
      // Reverse so the work list pops them in name order (the output is sorted anyway).
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it)
        pending.push_back({*it, depth + 1});
    }
    std::sort(
        out_.files.begin(), out_.files.end(),
        [](const RepositoryFile& a, const RepositoryFile& b) { return a.relative < b.relative; });
    std::sort(
        out_.findings.begin(), out_.findings.end(),
        [](const report::FileReport& a, const report::FileReport& b) { return a.path < b.path; });
    return std::move(out_);
  }

 private:
  std::string display(const std::string& rel) const { return join(prefix_, rel); }

  bool count_one() {
    if (++count_ <= limits_.max_files) return true;
    stopped_ = true;
    out_.findings.push_back(pseudo_file(display(""), "directory", "hub.limit-files",
                                        Severity::medium, Verdict::unscannable, "limit",
                                        "more than " + std::to_string(limits_.max_files) +
                                            " files: the rest of the repository was not listed"));
    return false;
  }

  void add_finding(report::FileReport f) {
    if (count_one()) out_.findings.push_back(std::move(f));
  }

  void add_file(const std::string& rel, const fs::path& path, const fs::path& target,
                const struct stat& st, std::string known_sha256) {
    if (!count_one()) return;
    RepositoryFile f;
    f.path = path;
    f.target = target;
    f.display_path = display(rel);
    f.relative = rel;
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = mtime_ns(st);
    f.inode = st.st_ino;
    f.device = st.st_dev;
    f.known_sha256 = std::move(known_sha256);
    out_.files.push_back(std::move(f));
  }

  void add_link(const std::string& rel, const fs::path& link) {
    std::error_code ec;
    const fs::path text = fs::read_symlink(link, ec);
    const std::string shown = ec ? std::string("?") : text.string();
    const fs::path target = fs::canonical(link, ec);
    if (ec) {
      // Dangling (an interrupted download) or a loop: nothing to load, nothing to read.
      add_finding(pseudo_file(display(rel), "link", "hub.broken-link", Severity::info,
                              Verdict::clean, "coverage",
                              "a link whose target does not exist; not analysed", shown));
      return;
    }
    if (!is_within(canonical_root_, target)) {
      add_finding(pseudo_file(
          display(rel), "link", "hub.link-outside-root", Severity::high, Verdict::suspicious,
          "path-escape", "a link pointing outside the mirror; its target was not read", shown));
      return;
    }
    struct stat st;
    if (::stat(target.c_str(), &st) != 0) return;
    if (S_ISREG(st.st_mode)) {
      // A Hugging Face cache blob is named by its content's SHA-256 (the LFS object id).
      std::string known;
      const std::string name = target.filename().string();
      if (target.parent_path().filename() == "blobs" && is_hex64(name)) known = name;
      add_file(rel, link, target, st, std::move(known));
    } else if (S_ISDIR(st.st_mode)) {
      add_finding(pseudo_file(display(rel), "link", "hub.directory-link", Severity::info,
                              Verdict::clean, "coverage",
                              "a link to a folder; not followed (its target is scanned "
                              "where it lies, if it is part of a repository)",
                              shown));
    } else {
      add_finding(pseudo_file(display(rel), "link", "hub.special-file", Severity::medium,
                              Verdict::suspicious, "format-anomaly",
                              "a link to a device, pipe or socket; not opened", shown));
    }
  }

  fs::path root_;
  fs::path canonical_root_;
  const RepositoryLocation& location_;
  const ListingLimits& limits_;
  std::string prefix_;
  RepositoryListing out_;
  std::size_t count_ = 0;
  bool stopped_ = false;
};

}  // namespace

Result<std::vector<RepositoryLocation>> find_repositories(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return make_error("not a directory: " + root.string());
  fs::directory_iterator probe(root, ec);
  if (ec) return make_error("cannot read " + root.string() + ": " + ec.message());

  const auto names = entries_of(root);
  std::vector<RepositoryLocation> out;
  bool mirror = false;
  for (const char* section : {"models", "datasets"}) {
    if (std::find(names.begin(), names.end(), section) != names.end() &&
        is_real_dir(root / section)) {
      mirror = true;
      add_mirror_section(
          root, section,
          std::string(section) == "models" ? RepositoryKind::model : RepositoryKind::dataset, out);
    }
  }
  if (!mirror) {
    for (const auto& name : names) {
      RepositoryKind kind;
      if (is_cache_entry(name, kind) && is_real_dir(root / name))
        out.push_back({name, choose_snapshot(root, name), kind});
    }
    // ~/.cache/huggingface itself: its repositories are under hub/.
    if (out.empty() && std::find(names.begin(), names.end(), "hub") != names.end() &&
        is_real_dir(root / "hub")) {
      for (const auto& name : entries_of(root / "hub")) {
        RepositoryKind kind;
        if (is_cache_entry(name, kind) && is_real_dir(root / "hub" / name))
          out.push_back(
              {"hub/" + name, fs::path("hub") / choose_snapshot(root / "hub", name), kind});
      }
    }
  }
  if (!mirror && out.empty()) {
    bool loose_files = false;
    for (const auto& name : names) {
      struct stat st;
      if (!is_hidden(name) && lstat_of(root / name, st) && !S_ISDIR(st.st_mode)) loose_files = true;
    }
    if (loose_files) {
      // Files at the top: the root is itself one repository (a single clone).
      out.push_back({".", ".", RepositoryKind::unknown});
    } else {
      for (const auto& name : names)
        if (!is_hidden(name) && is_real_dir(root / name))
          out.push_back({name, name, RepositoryKind::unknown});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RepositoryLocation& a, const RepositoryLocation& b) { return a.id < b.id; });
  return out;
}

RepositoryListing list_repository_files(const fs::path& root, const RepositoryLocation& location,
                                        const ListingLimits& limits) {
  return Lister(root, location, limits).run();
}

}  // namespace hubguard::hub
