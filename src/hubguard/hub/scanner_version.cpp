#include "hubguard/hub/scanner_version.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "hubguard/core/hash.hpp"

namespace hubguard::hub {
namespace {

// The same files the rule engine loads: *.yar / *.yara directly in the folder.
std::string rules_fingerprint(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const auto ext = it->path().extension().string();
    if ((ext == ".yar" || ext == ".yara") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    all += f.filename().string() + '\0' + std::to_string(text.str().size()) + '\0' + text.str();
  }
  return all;
}

}  // namespace

std::string scanner_version(std::string_view project_version, const scan::ScanOptions& options) {
  const auto& l = options.limits;
  std::ostringstream o;
  o << l.max_depth << ',' << l.max_members << ',' << l.max_member_size << ','
    << l.max_total_decompressed << ',' << l.max_compression_ratio << ','
    << l.max_scanned_member_size << ',' << l.max_pickle_ops << ',' << l.max_pickle_memo << ','
    << l.max_pickle_stack << ',' << l.max_pickle_string << ',' << l.max_pickle_calls_recorded << ','
    << l.max_pickle_nodes << ',' << l.max_pickles_per_stream << ',' << l.max_source_size << ','
    << l.max_decode_depth << ",programs=" << options.keep_programs;
  if (!options.rules_dir.empty()) o << ",rules=" << rules_fingerprint(options.rules_dir);
  const std::string text = o.str();
  const std::string digest =
      sha256_hex(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  return std::string(project_version) + "+r" + std::to_string(kScannerRevision) + "+" +
         digest.substr(0, 16);
}

}  // namespace hubguard::hub
