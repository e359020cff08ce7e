#include "hubguard/scan/formats/decompress.hpp"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>
#include <limits>

namespace hubguard::scan {
namespace {

constexpr std::size_t kChunk = 256 * 1024;

// Shared output bookkeeping: grows the buffer in chunks and applies the caps.
class Sink {
 public:
  Sink(Decompressed& out, std::uint64_t input_size, const DecompressBounds& b)
      : out_(out), input_size_(input_size), b_(b) {}

  // Room for the codec to write into; zero when the output cap is reached.
  std::size_t prepare() {
    std::uint64_t room = b_.max_output > used_ ? b_.max_output - used_ : 0;
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(room, kChunk));
    if (out_.data.size() < used_ + n) out_.data.resize(used_ + n);
    return n;
  }
  std::uint8_t* next() { return out_.data.data() + used_; }
  void commit(std::size_t n) { used_ += n; }
  bool full() const { return used_ >= b_.max_output; }
  bool ratio_exceeded() const {
    if (b_.max_ratio <= 0 || used_ <= b_.ratio_floor) return false;
    return static_cast<double>(used_) > b_.max_ratio * static_cast<double>(std::max<std::uint64_t>(input_size_, 1));
  }
  void finish() { out_.data.resize(used_); }

 private:
  Decompressed& out_;
  std::uint64_t input_size_;
  const DecompressBounds& b_;
  std::uint64_t used_ = 0;
};

// zlib inflates at most 4 GiB per call through its uInt fields; feed input in pieces.
constexpr std::size_t kMaxFeed = 1U << 30;

void run_zlib(Codec codec, Bytes input, Sink& sink, Decompressed& out) {
  const int window = codec == Codec::raw_deflate ? -15 : codec == Codec::zlib ? 15 : 15 + 16;
  z_stream zs{};
  if (inflateInit2(&zs, window) != Z_OK) {
    out.stop = DecompressStop::corrupt;
    out.error = "zlib init failed";
    return;
  }
  std::size_t pos = 0;
  for (;;) {
    if (sink.ratio_exceeded()) { out.stop = DecompressStop::ratio_limit; break; }
    std::size_t room = sink.prepare();
    if (room == 0) { out.stop = DecompressStop::output_limit; break; }
    std::size_t feed = std::min(input.size() - pos, kMaxFeed);
    zs.next_in = const_cast<Bytef*>(input.data() + pos);
    zs.avail_in = static_cast<uInt>(feed);
    zs.next_out = sink.next();
    zs.avail_out = static_cast<uInt>(room);
    int rc = inflate(&zs, Z_NO_FLUSH);
    pos += feed - zs.avail_in;
    sink.commit(room - zs.avail_out);
    if (rc == Z_STREAM_END) {
      // gzip allows members back to back (pigz, `cat a.gz b.gz`); gzip(1) decodes them all.
      if (codec == Codec::gzip && input.size() - pos >= 2 && input[pos] == 0x1f &&
          input[pos + 1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      out.stop = DecompressStop::complete;
      out.trailing = input.size() - pos;
      break;
    }
    if (rc == Z_BUF_ERROR || (rc == Z_OK && pos == input.size() && zs.avail_out != 0)) {
      if (pos == input.size()) { out.stop = DecompressStop::truncated; break; }
      if (feed == zs.avail_in + 0 && zs.avail_out == room) {  // no progress at all
        out.stop = DecompressStop::corrupt;
        out.error = "inflate made no progress";
        break;
      }
      continue;  // output space was exhausted; loop to make more
    }
    if (rc != Z_OK) {
      out.stop = DecompressStop::corrupt;
      out.error = zs.msg != nullptr ? zs.msg : "inflate error";
      break;
    }
  }
  out.input_used = pos;
  inflateEnd(&zs);
}

void run_bzip2(Bytes input, Sink& sink, Decompressed& out) {
  bz_stream bs{};
  if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) {
    out.stop = DecompressStop::corrupt;
    out.error = "bzip2 init failed";
    return;
  }
  std::size_t pos = 0;
  for (;;) {
    if (sink.ratio_exceeded()) { out.stop = DecompressStop::ratio_limit; break; }
    std::size_t room = sink.prepare();
    if (room == 0) { out.stop = DecompressStop::output_limit; break; }
    std::size_t feed = std::min(input.size() - pos, kMaxFeed);
    bs.next_in = const_cast<char*>(reinterpret_cast<const char*>(input.data() + pos));
    bs.avail_in = static_cast<unsigned>(feed);
    bs.next_out = reinterpret_cast<char*>(sink.next());
    bs.avail_out = static_cast<unsigned>(room);
    int rc = BZ2_bzDecompress(&bs);
    pos += feed - bs.avail_in;
    sink.commit(room - bs.avail_out);
    if (rc == BZ_STREAM_END) {
      // Concatenated streams (pbzip2 writes one per block group); bzip2(1) decodes them all.
      if (input.size() - pos >= 4 && input[pos] == 'B' && input[pos + 1] == 'Z' &&
          input[pos + 2] == 'h') {
        BZ2_bzDecompressEnd(&bs);
        bs = bz_stream{};
        if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) {
          out.stop = DecompressStop::corrupt;
          out.error = "bzip2 init failed";
          break;
        }
        continue;
      }
      out.stop = DecompressStop::complete;
      out.trailing = input.size() - pos;
      break;
    }
    if (rc != BZ_OK) {
      out.stop = DecompressStop::corrupt;
      out.error = "bzip2 data error " + std::to_string(rc);
      break;
    }
    if (pos == input.size() && bs.avail_out != 0) { out.stop = DecompressStop::truncated; break; }
  }
  out.input_used = pos;
  BZ2_bzDecompressEnd(&bs);
}

void run_lzma(Codec codec, Bytes input, Sink& sink, Decompressed& out) {
  lzma_stream ls = LZMA_STREAM_INIT;
  // A memory limit for the decoder's dictionary: a hostile header can ask for gigabytes.
  constexpr std::uint64_t kMemLimit = 1ULL << 30;
  lzma_ret init = codec == Codec::xz ? lzma_stream_decoder(&ls, kMemLimit, LZMA_CONCATENATED)
                                     : lzma_alone_decoder(&ls, kMemLimit);
  if (init != LZMA_OK) {
    out.stop = DecompressStop::corrupt;
    out.error = "lzma init failed";
    return;
  }
  ls.next_in = input.data();
  ls.avail_in = input.size();
  for (;;) {
    if (sink.ratio_exceeded()) { out.stop = DecompressStop::ratio_limit; break; }
    std::size_t room = sink.prepare();
    if (room == 0) { out.stop = DecompressStop::output_limit; break; }
    ls.next_out = sink.next();
    ls.avail_out = room;
    // LZMA_FINISH once all input is given lets the xz decoder report a cut-off stream
    // (LZMA_BUF_ERROR) rather than waiting for more.
    lzma_ret rc = lzma_code(&ls, ls.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    sink.commit(room - ls.avail_out);
    if (rc == LZMA_STREAM_END) {
      out.stop = DecompressStop::complete;
      out.trailing = ls.avail_in;
      break;
    }
    if (rc == LZMA_OK) continue;  // more output room needed, or FINISH to be tried
    if (rc == LZMA_BUF_ERROR) { out.stop = DecompressStop::truncated; break; }
    if (rc == LZMA_MEMLIMIT_ERROR) {
      out.stop = DecompressStop::corrupt;
      out.error = "lzma dictionary larger than 1 GiB";
      break;
    }
    out.stop = DecompressStop::corrupt;
    out.error = "lzma data error " + std::to_string(static_cast<int>(rc));
    break;
  }
  out.input_used = input.size() - ls.avail_in;
  lzma_end(&ls);
}

}  // namespace

Decompressed decompress(Codec codec, Bytes input, const DecompressBounds& bounds) {
  Decompressed out;
  Sink sink(out, input.size(), bounds);
  switch (codec) {
    case Codec::raw_deflate:
    case Codec::zlib:
    case Codec::gzip: run_zlib(codec, input, sink, out); break;
    case Codec::bzip2: run_bzip2(input, sink, out); break;
    case Codec::xz:
    case Codec::lzma_alone: run_lzma(codec, input, sink, out); break;
  }
  sink.finish();
  return out;
}

std::string_view to_string(DecompressStop stop) {
  switch (stop) {
    case DecompressStop::complete: return "complete";
    case DecompressStop::truncated: return "truncated";
    case DecompressStop::corrupt: return "corrupt";
    case DecompressStop::output_limit: return "output limit";
    case DecompressStop::ratio_limit: return "ratio limit";
  }
  return "?";
}

}  // namespace hubguard::scan
