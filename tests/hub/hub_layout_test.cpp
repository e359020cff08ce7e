#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "hub_test_tree.hpp"
#include "hubguard/hub/repository_layout.hpp"

namespace hubguard::hub {
namespace {

using namespace hubguard::hub::testing;
using report::RepositoryKind;

std::vector<std::string> ids(const std::vector<RepositoryLocation>& repos) {
  std::vector<std::string> out;
  for (const auto& r : repos) out.push_back(r.id);
  return out;
}

std::vector<std::string> relatives(const RepositoryListing& l) {
  std::vector<std::string> out;
  for (const auto& f : l.files) out.push_back(f.relative);
  return out;
}

const report::FileReport* pseudo(const RepositoryListing& l, const std::string& path) {
  for (const auto& f : l.findings)
    if (f.path == path) return &f;
  return nullptr;
}

TEST(RepositoryLayout, HubMirrorHasOwnerNameAndLegacyRepositories) {
  auto root = fresh_tree("layout_mirror");
  write_file(root / "models/alice/bert/config.json", "{}");
  write_file(root / "models/alice/gpt/model.bin", "x");
  write_file(root / "models/gpt2/config.json", "{}");  // owner-less legacy repository
  write_file(root / "datasets/bob/squad/data.csv", "a,b\n");
  write_file(root / "README.txt", "mirror index");  // stray file at the top: not a repository
  auto repos = find_repositories(root);
  ASSERT_TRUE(repos.ok()) << repos.error().message;
  EXPECT_EQ(ids(*repos), (std::vector<std::string>{"datasets/bob/squad", "models/alice/bert",
                                                   "models/alice/gpt", "models/gpt2"}));
  EXPECT_EQ((*repos)[0].kind, RepositoryKind::dataset);
  EXPECT_EQ((*repos)[1].kind, RepositoryKind::model);
  EXPECT_EQ((*repos)[1].dir, "models/alice/bert");
}

TEST(RepositoryLayout, HuggingFaceCacheUsesTheSnapshotRefsMainNamesAndBlobHashes) {
  auto root = fresh_tree("layout_hf");
  const std::string sha(64, 'a');
  const auto repo = root / "models--alice--bert";
  write_file(repo / "blobs" / sha, "weights");
  write_file(repo / "blobs/0123456789abcdef0123456789abcdef01234567",
             "{}");  // git blob id: not sha256
  write_file(repo / "refs/main", "rev2\n");
  fs::create_directories(repo / "snapshots/rev1");
  fs::create_directories(repo / "snapshots/rev2/sub");
  fs::create_symlink("../../blobs/" + sha, repo / "snapshots/rev2/model.safetensors");
  fs::create_symlink("../../blobs/0123456789abcdef0123456789abcdef01234567",
                     repo / "snapshots/rev2/config.json");
  fs::create_symlink("../../../blobs/" + sha, repo / "snapshots/rev2/sub/copy.bin");
  write_file(repo / "snapshots/rev1/old.bin", "old");
  write_file(root / "datasets--bob--squad/snapshots/r/train.csv", "a\n");
  fs::create_directories(root / ".locks/models--alice--bert");

  auto repos = find_repositories(root);
  ASSERT_TRUE(repos.ok()) << repos.error().message;
  ASSERT_EQ(ids(*repos), (std::vector<std::string>{"datasets--bob--squad", "models--alice--bert"}));
  EXPECT_EQ((*repos)[0].kind, RepositoryKind::dataset);
  EXPECT_EQ((*repos)[1].kind, RepositoryKind::model);
  EXPECT_EQ((*repos)[1].dir, "models--alice--bert/snapshots/rev2");

  auto listing = list_repository_files(root, (*repos)[1]);
  EXPECT_TRUE(listing.findings.empty());
  ASSERT_EQ(relatives(listing),
            (std::vector<std::string>{"config.json", "model.safetensors", "sub/copy.bin"}));
  EXPECT_EQ(listing.files[0].known_sha256, "");  // a 40-hex git blob name is not a content sha256
  EXPECT_EQ(listing.files[1].known_sha256, sha);
  EXPECT_EQ(listing.files[1].display_path, "models--alice--bert/snapshots/rev2/model.safetensors");
  EXPECT_EQ(listing.files[1].target.filename(), sha);
  EXPECT_EQ(listing.files[1].size, 7u);
}

TEST(RepositoryLayout, HuggingFaceCacheWithoutRefsTakesTheNewestSnapshot) {
  auto root = fresh_tree("layout_hf_newest");
  const auto repo = root / "models--a--b";
  fs::create_directories(repo / "snapshots/older");
  fs::create_directories(repo / "snapshots/newer");
  struct timespec times[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (repo / "snapshots/older").c_str(), times, 0), 0);
  write_file(repo / "refs/main", "../../../../etc");  // not a snapshot name: ignored
  auto repos = find_repositories(root);
  ASSERT_TRUE(repos.ok());
  ASSERT_EQ(repos->size(), 1u);
  EXPECT_EQ((*repos)[0].dir, "models--a--b/snapshots/newer");
}

TEST(RepositoryLayout, HuggingFaceHomeHoldsTheCacheUnderHub) {
  auto root = fresh_tree("layout_hf_home");
  write_file(root / "hub/models--a--b/snapshots/r1/config.json", "{}");
  write_file(root / "hub/version.txt", "1");
  write_file(root / "token", "secret");  // a file at the top: still the cache layout, not read
  auto repos = find_repositories(root);
  ASSERT_TRUE(repos.ok());
  ASSERT_EQ(ids(*repos), (std::vector<std::string>{"hub/models--a--b"}));
  EXPECT_EQ((*repos)[0].dir, "hub/models--a--b/snapshots/r1");
  auto listing = list_repository_files(root, (*repos)[0]);
  ASSERT_EQ(listing.files.size(), 1u);
  EXPECT_EQ(listing.files[0].display_path, "hub/models--a--b/snapshots/r1/config.json");
}

TEST(RepositoryLayout, PlainFoldersAreRepositoriesAndAFolderWithFilesIsOne) {
  auto root = fresh_tree("layout_plain");
  write_file(root / "one/model.pkl", "x");
  write_file(root / "two/data/train.csv", "x");
  fs::create_directories(root / ".hidden");
  auto repos = find_repositories(root);
  ASSERT_TRUE(repos.ok());
  EXPECT_EQ(ids(*repos), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ((*repos)[0].kind, RepositoryKind::unknown);

  auto single = find_repositories(root / "one");
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(ids(*single), (std::vector<std::string>{"."}));
  auto listing = list_repository_files(root / "one", (*single)[0]);
  ASSERT_EQ(listing.files.size(), 1u);
  EXPECT_EQ(listing.files[0].display_path, "model.pkl");
}

TEST(RepositoryLayout, RootThatIsNotADirectoryIsAnError) {
  auto root = fresh_tree("layout_error");
  write_file(root / "file", "x");
  EXPECT_FALSE(find_repositories(root / "file").ok());
  EXPECT_FALSE(find_repositories(root / "missing").ok());
}

TEST(RepositoryListing, LinksOutOfTheRootAreReportedNotRead) {
  auto root = fresh_tree("listing_links");
  const auto repo = root / "models/eve/trap";
  write_file(repo / "config.json", "{}");
  write_file(root / "models/eve/other/weights.bin", "w");
  fs::create_symlink("/etc/passwd", repo / "passwd.bin");
  fs::create_symlink("../../../../../../../../etc", repo / "etc_dir");
  fs::create_symlink("../other/weights.bin", repo / "shared.bin");  // inside the root: scanned
  fs::create_symlink("nowhere.bin", repo / "dangling.bin");
  fs::create_symlink("../other", repo / "other_dir");  // a folder inside the root: not followed
  write_file(repo / ".git/objects/pack.pack", "git");  // skipped
  ASSERT_EQ(::mkfifo((repo / "pipe").c_str(), 0600), 0);

  RepositoryLocation loc{"models/eve/trap", "models/eve/trap", RepositoryKind::model};
  auto listing = list_repository_files(root, loc);
  EXPECT_EQ(relatives(listing), (std::vector<std::string>{"config.json", "shared.bin"}));
  EXPECT_EQ(listing.files[1].target.filename(), "weights.bin");

  const auto* passwd = pseudo(listing, "models/eve/trap/passwd.bin");
  ASSERT_NE(passwd, nullptr);
  EXPECT_EQ(passwd->findings.front().rule, "hub.link-outside-root");
  EXPECT_EQ(passwd->verdict, report::Verdict::suspicious);
  EXPECT_EQ(passwd->findings.front().evidence, "/etc/passwd");
  ASSERT_NE(pseudo(listing, "models/eve/trap/etc_dir"), nullptr);
  EXPECT_EQ(pseudo(listing, "models/eve/trap/etc_dir")->findings.front().rule,
            "hub.link-outside-root");
  ASSERT_NE(pseudo(listing, "models/eve/trap/dangling.bin"), nullptr);
  EXPECT_EQ(pseudo(listing, "models/eve/trap/dangling.bin")->findings.front().rule,
            "hub.broken-link");
  ASSERT_NE(pseudo(listing, "models/eve/trap/other_dir"), nullptr);
  EXPECT_EQ(pseudo(listing, "models/eve/trap/other_dir")->findings.front().rule,
            "hub.directory-link");
  ASSERT_NE(pseudo(listing, "models/eve/trap/pipe"), nullptr);
  EXPECT_EQ(pseudo(listing, "models/eve/trap/pipe")->findings.front().rule, "hub.special-file");
  EXPECT_EQ(listing.findings.size(), 5u);
}

TEST(RepositoryListing, FileCountAndDepthAreBounded) {
  auto root = fresh_tree("listing_limits");
  for (int i = 0; i < 10; ++i) write_file(root / "r" / ("f" + std::to_string(i)), "x");
  fs::path deep = root / "r";
  for (int i = 0; i < 5; ++i) deep /= "d";
  write_file(deep / "deep.bin", "x");
  RepositoryLocation loc{"r", "r", RepositoryKind::unknown};
  ListingLimits limits;
  limits.max_files = 4;
  auto listing = list_repository_files(root, loc, limits);
  EXPECT_EQ(listing.files.size(), 4u);
  ASSERT_EQ(listing.findings.size(), 1u);
  EXPECT_EQ(listing.findings[0].findings.front().rule, "hub.limit-files");
  EXPECT_EQ(listing.findings[0].verdict, report::Verdict::unscannable);

  limits = {};
  limits.max_depth = 3;
  listing = list_repository_files(root, loc, limits);
  EXPECT_EQ(listing.files.size(), 10u);  // deep.bin is below the limit
  ASSERT_EQ(listing.findings.size(), 1u);
  EXPECT_EQ(listing.findings[0].findings.front().rule, "hub.limit-depth");
}

}  // namespace
}  // namespace hubguard::hub
