// Bounded decompression (raw deflate, zlib, gzip, bzip2, xz, lzma-alone) and the
// compressed-stream and joblib handlers built on it. The first input byte picks the codec,
// the rest is the stream, which also goes through every stream handler that accepts it
// (each one's magic check decides).
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/decompress.hpp"
#include "hubguard/scan/formats/formats.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr scan::Codec kCodecs[] = {scan::Codec::raw_deflate, scan::Codec::zlib,
                                            scan::Codec::gzip,        scan::Codec::bzip2,
                                            scan::Codec::xz,          scan::Codec::lzma_alone};
  const scan::Codec codec = kCodecs[data[0] % std::size(kCodecs)];
  scan::DecompressBounds bounds;
  bounds.max_output = 16ULL << 20;
  bounds.max_ratio = 1000.0;
  const auto out = scan::decompress(codec, Bytes(data + 1, size - 1), bounds);
  std::uint64_t sum = fuzz::touch(out.data) + out.input_used + out.trailing +
                      fuzz::touch(scan::to_string(out.stop));
  // A decoder must never report more than it was allowed to produce or consume.
  if (out.data.size() > bounds.max_output || out.input_used > size - 1) __builtin_trap();

  for (const scan::FormatHandler* handler :
       {&scan::gzip_handler(), &scan::bzip2_handler(), &scan::xz_handler(), &scan::lzma_handler(),
        &scan::zstd_handler(), &scan::lz4_handler(), &scan::zlib_handler(),
        &scan::joblib_zfile_handler()})
    sum += fuzz::run_handler(*handler, data + 1, size - 1);
  fuzz::keep(sum);
  return 0;
}
