#include "hubguard/stars/event_segment.hpp"

#include <isa-l.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "hubguard/stars/binary_io.hpp"
#include "hubguard/stars/varint.hpp"

namespace hubguard::stars {
namespace {

constexpr char kMagic[8] = {'H', 'G', 'E', 'V', 'S', 'E', 'G', '1'};
constexpr std::uint8_t kKindMask = 0x1f;
constexpr std::uint8_t kHasRepo = 0x20;
constexpr std::uint8_t kHasOrg = 0x40;
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

std::vector<std::uint8_t> header_bytes(std::uint64_t events, std::int64_t min_time, std::int64_t max_time,
                                       std::uint64_t data_bytes, std::uint64_t index_entries, std::uint32_t crc) {
  std::vector<std::uint8_t> h;
  put_bytes(h, std::string_view(kMagic, 8));
  put_fixed<std::uint32_t>(h, kSegmentVersion);
  put_fixed<std::uint32_t>(h, 0);
  put_fixed(h, events);
  put_fixed(h, min_time);
  put_fixed(h, max_time);
  put_fixed(h, data_bytes);
  put_fixed(h, index_entries);
  put_fixed(h, crc);
  h.resize(kSegmentHeaderBytes, 0);
  return h;
}

}  // namespace

Result<SegmentWriter> SegmentWriter::create(const std::filesystem::path& path) {
  SegmentWriter w;
  w.path_ = path;
  w.file_ = std::fopen(path.c_str(), "wb");
  if (w.file_ == nullptr) return make_error(path.string() + ": cannot create: " + std::strerror(errno));
  auto placeholder = header_bytes(0, 0, 0, 0, 0, 0);
  if (std::fwrite(placeholder.data(), 1, placeholder.size(), w.file_) != placeholder.size())
    return make_error(path.string() + ": write failed");
  return w;
}

SegmentWriter::SegmentWriter(SegmentWriter&& o) noexcept
    : file_(std::exchange(o.file_, nullptr)),
      path_(std::move(o.path_)),
      buffer_(std::move(o.buffer_)),
      index_(std::move(o.index_)),
      data_bytes_(o.data_bytes_),
      events_(o.events_),
      min_time_(o.min_time_),
      prev_time_(o.prev_time_),
      crc_(o.crc_) {}

SegmentWriter::~SegmentWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<bool> SegmentWriter::flush() {
  if (buffer_.empty()) return true;
  crc_ = crc32_gzip_refl(crc_, buffer_.data(), buffer_.size());
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    return make_error(path_.string() + ": write failed");
  data_bytes_ += buffer_.size();
  buffer_.clear();
  return true;
}

Result<bool> SegmentWriter::add(const Event& e) {
  if (events_ == 0) {
    min_time_ = e.time;
    prev_time_ = e.time;
  }
  if (e.time < prev_time_) return make_error("segment events out of time order");
  if (events_ % kIndexStride == 0) {
    put_fixed<std::uint64_t>(index_, data_bytes_ + buffer_.size());
    put_fixed<std::int64_t>(index_, prev_time_);
  }
  std::uint8_t flags = static_cast<std::uint8_t>(static_cast<std::uint8_t>(e.kind) & kKindMask);
  if (e.repo != kNoId) flags |= kHasRepo;
  if (e.org != kNoId) flags |= kHasOrg;
  buffer_.push_back(flags);
  put_varint(buffer_, static_cast<std::uint64_t>(e.time - prev_time_));
  put_varint(buffer_, e.actor);
  if (e.repo != kNoId) put_varint(buffer_, e.repo);
  if (e.org != kNoId) put_varint(buffer_, e.org);
  prev_time_ = e.time;
  ++events_;
  if (buffer_.size() >= kFlushBytes) return flush();
  return true;
}

Result<SegmentInfo> SegmentWriter::finish() {
  if (auto r = flush(); !r) return r.error();
  const std::uint64_t index_entries = index_.size() / 16;
  crc_ = crc32_gzip_refl(crc_, index_.data(), index_.size());
  if (std::fwrite(index_.data(), 1, index_.size(), file_) != index_.size())
    return make_error(path_.string() + ": write failed");
  auto header = header_bytes(events_, min_time_, prev_time_, data_bytes_, index_entries, crc_);
  if (std::fseek(file_, 0, SEEK_SET) != 0 || std::fwrite(header.data(), 1, header.size(), file_) != header.size())
    return make_error(path_.string() + ": write failed");
  if (std::fflush(file_) != 0) return make_error(path_.string() + ": write failed");
  std::fclose(std::exchange(file_, nullptr));
  SegmentInfo info;
  info.events = events_;
  info.min_time = min_time_;
  info.max_time = prev_time_;
  info.file_bytes = kSegmentHeaderBytes + data_bytes_ + index_.size();
  return info;
}

Result<SegmentReader> SegmentReader::open(const std::filesystem::path& path, const SegmentInfo& expect) {
  const std::string where = path.filename().string();
  auto map = MappedFile::open(path);
  if (!map) return make_error(where + ": " + map.error().message);
  const Bytes b = map->bytes();
  if (b.size() < kSegmentHeaderBytes || std::memcmp(b.data(), kMagic, 8) != 0)
    return make_error(where + ": not an event-store segment (bad magic or too short)");
  FixedReader r(b.subspan(8));
  std::uint32_t version = 0, flags = 0, crc = 0;
  std::uint64_t events = 0, data_bytes = 0, index_entries = 0;
  std::int64_t min_time = 0, max_time = 0;
  if (!r.get(version) || !r.get(flags) || !r.get(events) || !r.get(min_time) || !r.get(max_time) ||
      !r.get(data_bytes) || !r.get(index_entries) || !r.get(crc))
    return make_error(where + ": truncated header");
  if (version != kSegmentVersion)
    return make_error(where + ": unsupported segment version " + std::to_string(version));
  const std::uint64_t body = b.size() - kSegmentHeaderBytes;
  if (data_bytes > body || index_entries > (body - data_bytes) / 16 || data_bytes + index_entries * 16 != body)
    return make_error(where + ": truncated or oversized (sizes in header do not match the file)");
  if (events != expect.events || min_time != expect.min_time || max_time != expect.max_time ||
      b.size() != expect.file_bytes)
    return make_error(where + ": does not match the store manifest");
  if (index_entries != (events + kIndexStride - 1) / kIndexStride)
    return make_error(where + ": index size does not match the event count");
  if (crc32_gzip_refl(0, b.data() + kSegmentHeaderBytes, body) != crc)
    return make_error(where + ": checksum mismatch (corrupt segment)");
  SegmentReader reader;
  reader.info_ = expect;
  reader.data_bytes_ = data_bytes;
  reader.index_entries_ = index_entries;
  reader.map_ = std::move(*map);
  return reader;
}

Result<bool> SegmentReader::next_batch(Cursor& c, std::int64_t from, std::int64_t to, std::size_t max_events,
                                       std::vector<Event>& out) const {
  out.clear();
  if (c.done) return true;
  const std::uint8_t* data = map_.bytes().data() + kSegmentHeaderBytes;
  const std::uint8_t* index = data + data_bytes_;
  if (!c.started) {
    c.started = true;
    c.prev_time = info_.min_time;
    // Jump to the last index entry whose preceding event is still before `from`.
    std::uint64_t lo = 0, hi = index_entries_;
    while (hi - lo > 1) {
      const std::uint64_t mid = (lo + hi) / 2;
      std::int64_t t = 0;
      std::memcpy(&t, index + mid * 16 + 8, 8);
      if (t < from) lo = mid; else hi = mid;
    }
    if (index_entries_ > 0 && lo > 0) {
      std::uint64_t off = 0;
      std::int64_t t = 0;
      std::memcpy(&off, index + lo * 16, 8);
      std::memcpy(&t, index + lo * 16 + 8, 8);
      if (off > data_bytes_) return make_error("segment index points outside its data");
      c.offset = off;
      c.prev_time = t;
      c.decoded = lo * kIndexStride;
    }
  }
  const std::uint8_t* p = data + c.offset;
  const std::uint8_t* end = data + data_bytes_;
  while (c.decoded < info_.events && out.size() < max_events) {
    if (p >= end) return make_error("segment data ends before its last event");
    const std::uint8_t flags = *p++;
    std::uint64_t delta = 0, actor = 0, repo = kNoId, org = kNoId;
    if (!get_varint(p, end, delta) || !get_varint(p, end, actor)) return make_error("corrupt segment record");
    if ((flags & kHasRepo) && !get_varint(p, end, repo)) return make_error("corrupt segment record");
    if ((flags & kHasOrg) && !get_varint(p, end, org)) return make_error("corrupt segment record");
    if (delta > static_cast<std::uint64_t>(info_.max_time - c.prev_time) || actor >= kNoId || repo > kNoId || org > kNoId)
      return make_error("corrupt segment record (value out of range)");
    ++c.decoded;
    c.prev_time += static_cast<std::int64_t>(delta);
    if (c.prev_time >= to) {
      c.decoded = info_.events;
      break;
    }
    if (c.prev_time < from) continue;
    Event e;
    e.time = c.prev_time;
    e.actor = static_cast<std::uint32_t>(actor);
    e.repo = static_cast<std::uint32_t>(repo);
    e.org = static_cast<std::uint32_t>(org);
    e.kind = static_cast<EventKind>(flags & kKindMask);
    out.push_back(e);
  }
  c.offset = static_cast<std::uint64_t>(p - data);
  if (c.decoded >= info_.events) c.done = true;
  return true;
}

}  // namespace hubguard::stars
