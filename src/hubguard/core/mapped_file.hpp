// A read-only memory map of a file on disk. Scanning views the map in place, so the
// kernel pages in only what a reader touches: a multi-gigabyte checkpoint whose tensors are
// never read costs only the pages of its pickle and central directory.
#pragma once

#include <filesystem>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/result.hpp"

namespace hubguard {

class MappedFile {
 public:
  static Result<MappedFile> open(const std::filesystem::path& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  Bytes bytes() const { return {static_cast<const std::uint8_t*>(data_), size_}; }
  std::size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace hubguard
