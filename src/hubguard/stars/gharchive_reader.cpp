#include "hubguard/stars/gharchive_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "hubguard/core/mapped_file.hpp"
#include "hubguard/stars/event_line_parser.hpp"
#include "hubguard/stars/gzip_stream.hpp"

namespace hubguard::stars {
namespace {

// Turns lines into events of one table.
class LineSink {
 public:
  LineSink(EventTable& table, IngestStats& stats) : table_(table), stats_(stats) {}

  // [p, p+n) is one line without its '\n'; `capacity` bytes are readable from p.
  void line(const char* p, std::size_t n, std::size_t capacity) {
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t')) --n;
    std::size_t lead = 0;
    while (lead < n && (p[lead] == ' ' || p[lead] == '\t')) ++lead;
    if (lead == n) return;  // blank lines are not records
    ++stats_.lines;
    ParsedLine parsed;
    switch (parser_.parse(p + lead, n - lead, capacity - lead, parsed)) {
      case LineStatus::kMalformed:
        ++stats_.malformed;
        return;
      case LineStatus::kUnknownShape:
        ++stats_.unknown_shape;
        return;
      case LineStatus::kEvent:
        break;
    }
    Event e;
    e.time = parsed.time;
    e.kind = event_kind_from_type(parsed.type, parsed.action);
    e.actor = table_.actors.intern(parsed.actor);
    if (!parsed.repo.empty()) e.repo = table_.repos.intern(parsed.repo);
    if (!parsed.org.empty()) e.org = table_.orgs.intern(parsed.org);
    table_.events.push_back(e);
    ++stats_.events;
    if (e.kind == EventKind::kStar) ++stats_.stars;
  }

  void oversized_line() {
    ++stats_.lines;
    ++stats_.malformed;
  }

 private:
  EventTable& table_;
  IngestStats& stats_;
  EventLineParser parser_;
};

// A source of decompressed bytes: gzip or plain.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(std::uint8_t* out, std::size_t capacity) = 0;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(Bytes in) : stream_(in) {}
  std::size_t read(std::uint8_t* out, std::size_t capacity) override { return stream_.read(out, capacity); }
  const GzipStream& stream() const { return stream_; }

 private:
  GzipStream stream_;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(Bytes in) : in_(in) {}
  std::size_t read(std::uint8_t* out, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, in_.size() - pos_);
    if (n > 0) std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  Bytes in_;
  std::size_t pos_ = 0;
};

// Splits the source's bytes into lines inside one reusable buffer; a line longer than the
// buffer grows it up to max_line_bytes, beyond which the line is skipped and counted.
void split_lines(ByteSource& source, const ReadOptions& options, LineSink& sink, IngestStats& stats) {
  constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;
  std::size_t window = std::max<std::size_t>(options.chunk_bytes, 4096);
  std::vector<char> buf(window + kPad);
  std::size_t filled = 0;
  bool discarding = false;  // inside an oversized line, dropping bytes until its '\n'
  for (;;) {
    const std::size_t n = source.read(reinterpret_cast<std::uint8_t*>(buf.data()) + filled, window - filled);
    stats.bytes_out += n;
    if (n == 0) {
      if (filled > 0 && !discarding) sink.line(buf.data(), filled, buf.size());
      return;
    }
    filled += n;
    std::size_t start = 0;
    for (;;) {
      const void* nl = std::memchr(buf.data() + start, '\n', filled - start);
      if (nl == nullptr) break;
      const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data());
      if (!discarding) sink.line(buf.data() + start, end - start, buf.size() - start);
      discarding = false;
      start = end + 1;
    }
    if (discarding) {
      filled = 0;
      continue;
    }
    if (start > 0) {
      std::memmove(buf.data(), buf.data() + start, filled - start);
      filled -= start;
    } else if (filled == window) {
      // One line fills the whole window.
      if (window < options.max_line_bytes) {
        window = std::min(window * 2, std::max(options.max_line_bytes, window));
        buf.resize(window + kPad);
      } else {
        sink.oversized_line();
        discarding = true;
        filled = 0;
      }
    }
  }
}

bool looks_gzip(const std::filesystem::path& path, Bytes bytes) {
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return true;
  return path.extension() == ".gz";
}

}  // namespace

ParsedFile read_archive_file(const std::filesystem::path& path, const ReadOptions& options) {
  ParsedFile out;
  out.path = path;
  out.stats.files = 1;
  auto mapped = MappedFile::open(path);
  if (!mapped) {
    out.stats.error = mapped.error().message;
    return out;
  }
  const Bytes bytes = mapped->bytes();
  out.stats.bytes_in = bytes.size();
  LineSink sink(out.table, out.stats);
  if (looks_gzip(path, bytes)) {
    GzipSource source(bytes);
    split_lines(source, options, sink, out.stats);
    if (source.stream().failed()) {
      out.stats.truncated = 1;
      out.stats.error = source.stream().error();
    }
  } else {
    PlainSource source(bytes);
    split_lines(source, options, sink, out.stats);
  }
  return out;
}

void parse_json_lines(std::string_view text, EventTable& table, IngestStats& stats) {
  PlainSource source(as_bytes(text));
  LineSink sink(table, stats);
  ReadOptions options;
  options.chunk_bytes = std::max<std::size_t>(text.size() + 1, 4096);
  const std::uint64_t before = stats.bytes_out;
  split_lines(source, options, sink, stats);
  stats.bytes_out = before;
}

ReadResult read_archives(const std::vector<std::filesystem::path>& files, const ReadOptions& options) {
  ReadResult result;
  std::vector<std::unique_ptr<ParsedFile>> parts(files.size());
  parallel_for(files.size(), options.threads,
               [&](std::size_t i) { parts[i] = std::make_unique<ParsedFile>(read_archive_file(files[i], options)); });
  result.per_file.reserve(files.size());
  for (auto& part : parts) {
    append_table(result.table, part->table);
    result.total.add(part->stats);
    result.per_file.push_back(std::move(part->stats));
    part.reset();  // free each file's events as soon as they are merged
  }
  sort_by_time(result.table);
  return result;
}

}  // namespace hubguard::stars
