// A dictionary file of the event store (actors.dict, repos.dict, orgs.dict): a 16-byte header
// (magic "HGDICT01", version, kind) then every name in id order as varint length + bytes.
// Append-only: an ingest appends the names it met first, then publishes the new count and
// size in the manifest, so bytes past the manifest's size (an interrupted ingest) are ignored
// and cut off by the next writer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/dictionary.hpp"

namespace hubguard::stars {

inline constexpr std::uint64_t kDictHeaderBytes = 16;

struct DictFileInfo {
  std::uint64_t count = 0;
  std::uint64_t bytes = kDictHeaderBytes;  // file size the manifest vouches for
};

// Every name, for interning more (ingest). Verifies header, count and size.
Result<bool> load_dictionary_file(const std::filesystem::path& path, const DictFileInfo& info, Dictionary& into);

// Names of `ids` (ascending) in one sequential pass, without building a hash map.
Result<std::vector<std::string>> read_dictionary_names(const std::filesystem::path& path, const DictFileInfo& info,
                                                       std::span<const std::uint32_t> ids);

// Creates the file with its header if missing, cuts it to info.bytes, appends names
// [info.count, dict.size()) of `dict`; returns the new info.
Result<DictFileInfo> append_dictionary_file(const std::filesystem::path& path, const DictFileInfo& info,
                                            const Dictionary& dict);

}  // namespace hubguard::stars
