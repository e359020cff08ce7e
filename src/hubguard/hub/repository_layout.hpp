// Where the repositories of a mirror are, and which files each holds. Three layouts are
// recognised at the root: a hub mirror (`models/<owner>/<name>/`, `datasets/<owner>/<name>/`,
// and owner-less legacy repositories such as `models/gpt2/`), the Hugging Face cache
// (`models--owner--name/snapshots/<rev>/`, `datasets--...`; the snapshot `refs/main` names,
// else the newest; also found under `hub/` when ROOT is ~/.cache/huggingface), or a plain folder
// whose subdirectories are repositories (a root holding files itself is one repository, ".").
// Listing a repository never leaves the root: a link whose target is outside it is not read but
// reported as a finding of that repository (a pseudo-file entry, format "link"), as are links to
// directories (not followed), broken links, special files and listing limits. Every walk is bounded
// in depth and file count.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/report/hub_report.hpp"

namespace hubguard::hub {

struct RepositoryLocation {
  std::string id;             // as reported: "models/owner/name", "models--owner--name", "name"
  std::filesystem::path dir;  // the folder holding its files, relative to the root
  report::RepositoryKind kind = report::RepositoryKind::unknown;
};

// Repositories under `root`, sorted by id. Error when root is not a readable directory.
Result<std::vector<RepositoryLocation>> find_repositories(const std::filesystem::path& root);

struct ListingLimits {
  std::size_t max_files = 500'000;  // per repository (large datasets hold ~10^5 files)
  unsigned max_depth = 64;          // folder nesting inside a repository
};

// One regular file of a repository, with what the cache needs to skip re-hashing it.
struct RepositoryFile {
  std::filesystem::path path;    // what to open: root/dir/relative (a link staying inside root)
  std::filesystem::path target;  // the regular file it resolves to (== path when not a link)
  std::string display_path;      // relative to the root, '/'-separated: the report's path
  std::string relative;          // relative to the repository folder
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
  // The content's SHA-256 when the layout names it for free: a Hugging Face cache blob's file
  // name (the LFS object id) when it is 64 hex digits.
  std::string known_sha256;
};

struct RepositoryListing {
  std::vector<RepositoryFile> files;         // sorted by relative path
  std::vector<report::FileReport> findings;  // pseudo-files: links, special files, limits
};

// Lists a repository's files (skipping its top-level `.git/`). Opens no file and never
// follows a link out of `root`; a missing repository folder lists as empty.
RepositoryListing list_repository_files(const std::filesystem::path& root,
                                        const RepositoryLocation& location,
                                        const ListingLimits& limits = {});

}  // namespace hubguard::hub
