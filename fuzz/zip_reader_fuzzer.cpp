// The tolerant zip directory reader (central directory, ZIP64, local headers, prefixes) and
// the zip handler on top of it (member decompression, torch/npz/keras refinement, CRC and
// overlap checks). The handler's children are read byte by byte (see fuzz_support.hpp).
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/zip_reader.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes file(data, size);
  std::uint64_t sum = 0;
  if (auto dir = scan::read_zip_directory(file, fuzz::fuzz_limits().max_members)) {
    for (const auto& entry : dir->entries) {
      sum += fuzz::touch(entry.name) + fuzz::touch(entry.local_name);
      // data_ok promises the member's bytes lie inside the file.
      if (entry.data_ok && entry.method == 0 && entry.data_offset <= size)
        sum += fuzz::touch(file.subspan(entry.data_offset,
                                        std::min<std::uint64_t>(entry.compressed_size,
                                                                size - entry.data_offset)));
    }
    sum += fuzz::touch(scan::classify_zip(*dir));
  }
  sum += fuzz::run_handler(scan::zip_handler(), data, size);
  fuzz::keep(sum);
  return 0;
}
