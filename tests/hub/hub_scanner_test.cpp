#include "hubguard/hub/hub_scanner.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "hub_test_tree.hpp"
#include "hubguard/hub/file_hash.hpp"

namespace hubguard::hub {
namespace {

using namespace hubguard::hub::testing;
using report::Verdict;

HubScanOptions threaded(const fs::path& cache) {
  HubScanOptions o;
  o.isolate = false;
  o.workers = 2;
  o.cache_db = cache;
  o.scanner_version = "test";
  o.batch_files = 3;  // several batches, crossing repositories
  return o;
}

const report::RepositoryReport* repo(const report::HubReport& r, const std::string& path) {
  for (const auto& x : r.repositories)
    if (x.path == path) return &x;
  return nullptr;
}

const report::FileReport* file(const report::RepositoryReport& r, const std::string& path) {
  for (const auto& f : r.files)
    if (f.path == path) return &f;
  return nullptr;
}

fs::path small_mirror(const std::string& name) {
  auto root = fresh_tree(name);
  write_file(root / "mirror/models/alice/good/config.json",
             R"({"architectures": ["X"], "auto_map": {"AutoModel": "modeling_x.XModel"}})");
  write_file(root / "mirror/models/alice/good/modeling_x.py", "import torch\nclass XModel: pass\n");
  copy_fixture("scan/benign/torch/state_dict.pt",
               root / "mirror/models/alice/good/pytorch_model.bin");
  write_file(root / "mirror/models/eve/evil/model.pkl", system_pickle());
  write_file(root / "mirror/models/eve/evil/README.md", "# hello\n");
  write_file(root / "mirror/datasets/bob/squad/squad.py", "import datasets\n");
  write_file(root / "mirror/datasets/bob/squad/data/train.csv", "a,b\n1,2\n");
  return root;
}

TEST(HubScanner, VerdictPerRepositoryIsItsWorstFile) {
  auto root = small_mirror("scanner_verdicts");
  auto result = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& r = *result;
  ASSERT_EQ(r.repositories.size(), 3u);
  const auto* evil = repo(r, "models/eve/evil");
  const auto* good = repo(r, "models/alice/good");
  const auto* squad = repo(r, "datasets/bob/squad");
  ASSERT_TRUE(evil && good && squad);
  EXPECT_GE(evil->verdict, Verdict::dangerous);
  ASSERT_NE(file(*evil, "models/eve/evil/model.pkl"), nullptr);
  EXPECT_EQ(file(*evil, "models/eve/evil/model.pkl")->verdict, evil->verdict);
  EXPECT_EQ(file(*evil, "models/eve/evil/README.md")->verdict, Verdict::clean);
  EXPECT_EQ(good->contents.remote_code_modules, (std::vector<std::string>{"modeling_x.py"}));
  EXPECT_EQ(good->contents.model_files.count("pytorch-zip"), 1u);
  EXPECT_EQ(squad->kind, report::RepositoryKind::dataset);
  EXPECT_EQ(squad->contents.dataset_scripts, (std::vector<std::string>{"squad.py"}));
  EXPECT_EQ(r.summary.files, 7u);
  EXPECT_EQ(r.summary.files_scanned, 7u);
  EXPECT_EQ(r.summary.files_from_cache, 0u);
  EXPECT_TRUE(r.changes.empty());
  // Every scanned file carries its content hash (the cache key).
  auto sha = sha256_of_file(root / "mirror/models/eve/evil/model.pkl");
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(file(*evil, "models/eve/evil/model.pkl")->sha256, *sha);
}

TEST(HubScanner, WarmRescanScansNothingAndReportsTheSameVerdicts) {
  auto root = small_mirror("scanner_warm");
  auto cold = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(cold.ok());
  auto warm = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(warm.ok()) << warm.error().message;
  EXPECT_EQ(warm->summary.files_scanned, 0u);
  EXPECT_EQ(warm->summary.files_from_cache, 7u);
  EXPECT_TRUE(warm->changes.empty());
  ASSERT_EQ(warm->repositories.size(), cold->repositories.size());
  for (std::size_t i = 0; i < cold->repositories.size(); ++i) {
    EXPECT_EQ(warm->repositories[i].verdict, cold->repositories[i].verdict);
    ASSERT_EQ(warm->repositories[i].files.size(), cold->repositories[i].files.size());
    for (std::size_t k = 0; k < cold->repositories[i].files.size(); ++k) {
      EXPECT_EQ(warm->repositories[i].files[k].path, cold->repositories[i].files[k].path);
      EXPECT_EQ(warm->repositories[i].files[k].verdict, cold->repositories[i].files[k].verdict);
      EXPECT_EQ(warm->repositories[i].files[k].findings.size(),
                cold->repositories[i].files[k].findings.size());
    }
  }
}

TEST(HubScanner, ModifiedAddedAndRemovedFilesAreRescannedAndReported) {
  auto root = small_mirror("scanner_changes");
  ASSERT_TRUE(scan_hub(root / "mirror", threaded(root / "cache.sqlite")).ok());
  // A clean README turns malicious; a file is added; one is removed.
  write_file(root / "mirror/models/eve/evil/README.md", system_pickle("curl x | sh"));
  write_file(root / "mirror/models/alice/good/extra.pkl", plain_pickle());
  fs::remove(root / "mirror/datasets/bob/squad/data/train.csv");
  auto again = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->summary.files_scanned, 2u);  // the modified and the added file only
  ASSERT_EQ(again->changes.size(), 3u);
  EXPECT_EQ(again->changes[0].path, "datasets/bob/squad/data/train.csv");
  EXPECT_EQ(again->changes[0].change, report::FileChange::removed);
  EXPECT_EQ(again->changes[1].path, "models/alice/good/extra.pkl");
  EXPECT_EQ(again->changes[1].change, report::FileChange::added);
  EXPECT_EQ(again->changes[2].path, "models/eve/evil/README.md");
  EXPECT_EQ(again->changes[2].change, report::FileChange::modified);
  EXPECT_EQ(again->changes[2].previous, Verdict::clean);
  EXPECT_GE(again->changes[2].current, Verdict::dangerous);
}

TEST(HubScanner, CachedResultsTakeTheirNameFromTheFileAtHand) {
  auto root = fresh_tree("scanner_names");
  // The same bytes twice: one named honestly, one named like a safer format.
  write_file(root / "mirror/a/model.pkl", system_pickle());
  write_file(root / "mirror/b/model.safetensors", system_pickle());
  auto result = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->summary.files_scanned, 1u);  // identical content is parsed once per run
  EXPECT_EQ(result->summary.files_from_cache, 1u);
  auto rule_count = [](const report::FileReport& f, const std::string& rule) {
    return std::count_if(f.findings.begin(), f.findings.end(),
                         [&](const auto& x) { return x.rule == rule; });
  };
  auto warm = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(warm.ok());
  for (const auto* r : {&*result, &*warm}) {
    const auto& honest = r->repositories[0].files[0];
    const auto& renamed = r->repositories[1].files[0];
    EXPECT_EQ(honest.path, "a/model.pkl");
    EXPECT_EQ(renamed.path, "b/model.safetensors");
    EXPECT_EQ(rule_count(honest, "format.extension-mismatch"), 0);
    EXPECT_EQ(rule_count(renamed, "format.extension-mismatch"), 1);
  }
  EXPECT_EQ(warm->summary.files_scanned, 0u);
}

TEST(HubScanner, HuggingFaceCacheBlobNamesAreTheContentHash) {
  auto root = fresh_tree("scanner_hf");
  const std::string bytes = system_pickle();
  auto blob_dir = root / "hf/models--eve--evil/blobs";
  write_file(blob_dir / "tmp", bytes);
  auto sha = sha256_of_file(blob_dir / "tmp");
  ASSERT_TRUE(sha.ok());
  fs::rename(blob_dir / "tmp", blob_dir / *sha);
  write_file(root / "hf/models--eve--evil/refs/main", "abc");
  fs::create_directories(root / "hf/models--eve--evil/snapshots/abc");
  fs::create_symlink("../../blobs/" + *sha, root / "hf/models--eve--evil/snapshots/abc/model.pkl");
  auto result = scan_hub(root / "hf", threaded(root / "cache.sqlite"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->repositories.size(), 1u);
  const auto& f = result->repositories[0].files.at(0);
  EXPECT_EQ(f.path, "models--eve--evil/snapshots/abc/model.pkl");
  EXPECT_EQ(f.sha256, *sha);
  EXPECT_GE(f.verdict, Verdict::dangerous);
  EXPECT_EQ(result->repositories[0].kind, report::RepositoryKind::model);
}

TEST(HubScanner, WithoutACacheEverythingIsScannedAndNothingIsHashed) {
  auto root = small_mirror("scanner_nocache");
  auto options = threaded({});
  auto result = scan_hub(root / "mirror", options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->summary.files_scanned, 7u);
  for (const auto& r : result->repositories)
    for (const auto& f : r.files) EXPECT_TRUE(f.sha256.empty()) << f.path;
}

TEST(HubScanner, ScanRepositoryScansOneClaimedRepository) {
  auto root = small_mirror("scanner_one");
  auto scanner = make_thread_scanner({}, 2);
  RepositoryScanSettings settings;
  settings.root = root / "mirror";
  auto r = scan_repository({"models/eve/evil", "models/eve/evil", report::RepositoryKind::model},
                           *scanner, nullptr, settings);
  EXPECT_EQ(r.path, "models/eve/evil");
  EXPECT_EQ(r.files.size(), 2u);
  EXPECT_GE(r.verdict, Verdict::dangerous);
}

TEST(HubScanner, FilesOverTheHashLimitAreKeyedByIdentityAndStillIncremental) {
  auto root = small_mirror("scanner_hash_limit");
  auto options = threaded(root / "cache.sqlite");
  options.hash_limit = 0;  // every non-empty file is over the limit
  auto cold = scan_hub(root / "mirror", options);
  ASSERT_TRUE(cold.ok()) << cold.error().message;
  for (const auto& r : cold->repositories)
    for (const auto& f : r.files) EXPECT_TRUE(f.sha256.empty()) << f.path;  // never a fake hash
  auto warm = scan_hub(root / "mirror", options);
  ASSERT_TRUE(warm.ok());
  EXPECT_EQ(warm->summary.files_scanned, 0u);
  EXPECT_TRUE(warm->changes.empty());
  write_file(root / "mirror/models/eve/evil/README.md", system_pickle("changed"));
  auto changed = scan_hub(root / "mirror", options);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->summary.files_scanned, 1u);
  ASSERT_EQ(changed->changes.size(), 1u);
  EXPECT_EQ(changed->changes[0].change, report::FileChange::modified);
  EXPECT_GE(changed->changes[0].current, Verdict::dangerous);
}

// A FileScanner whose every file fails the way a dead worker's does (no format, an error).
class FailingScanner final : public FileScanner {
 public:
  void scan(std::span<const FileJob> jobs,
            const std::function<void(std::size_t, report::FileReport)>& on_done) override {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      report::FileReport f;
      f.path = jobs[i].display_path;
      f.error = "scan worker crashed with SIGSEGV";
      f.finalize();
      on_done(i, std::move(f));
    }
  }
};

TEST(HubScanner, FailedScansAreNotCachedSoTheNextRunRetries) {
  auto root = small_mirror("scanner_failed");
  auto cache = ResultCache::open(root / "cache.sqlite", "test");
  ASSERT_TRUE(cache.ok());
  FailingScanner failing;
  RepositoryScanSettings settings;
  settings.root = root / "mirror";
  const RepositoryLocation evil{"models/eve/evil", "models/eve/evil",
                                report::RepositoryKind::model};
  auto first = scan_repository(evil, failing, cache->get(), settings);
  EXPECT_EQ(first.verdict, Verdict::unscannable);
  auto threads = make_thread_scanner({}, 1);
  ProgressCounters counters;
  auto second = scan_repository(evil, *threads, cache->get(), settings, &counters);
  EXPECT_EQ(counters.files_scanned, 2u);  // nothing was remembered from the failed run
  EXPECT_GE(second.verdict, Verdict::dangerous);
}

TEST(HubScanner, ACorruptCacheIsAnError) {
  auto root = small_mirror("scanner_corrupt");
  write_file(root / "cache.sqlite", std::string(4096, 'x'));
  auto result = scan_hub(root / "mirror", threaded(root / "cache.sqlite"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("cache"), std::string::npos);
}

}  // namespace
}  // namespace hubguard::hub
