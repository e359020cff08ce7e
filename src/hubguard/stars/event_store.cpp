#include "hubguard/stars/event_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <queue>

#include "hubguard/stars/detection_input_builder.hpp"

namespace hubguard::stars {
namespace {

constexpr std::size_t kBatch = 1 << 16;

std::filesystem::path dict_path(const std::filesystem::path& dir, NameKind kind) {
  switch (kind) {
    case NameKind::kActor: return dir / "actors.dict";
    case NameKind::kRepo: return dir / "repos.dict";
    case NameKind::kOrg: break;
  }
  return dir / "orgs.dict";
}

const DictFileInfo& dict_info(const StoreManifest& m, NameKind kind) {
  switch (kind) {
    case NameKind::kActor: return m.actors;
    case NameKind::kRepo: return m.repos;
    case NameKind::kOrg: break;
  }
  return m.orgs;
}

// An exclusive advisory lock on DIR/LOCK for the life of the object.
class StoreLock {
 public:
  static Result<StoreLock> acquire(const std::filesystem::path& dir) {
    StoreLock lock;
    lock.fd_ = ::open((dir / "LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock.fd_ < 0) return make_error((dir / "LOCK").string() + ": cannot open");
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) != 0)
      return make_error(dir.string() + ": another ingest is writing this store");
    return lock;
  }
  StoreLock(StoreLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  StoreLock& operator=(StoreLock&&) = delete;
  ~StoreLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  StoreLock() = default;
  int fd_ = -1;
};

// Events of several segments in time order. Segments are taken in groups whose time ranges
// overlap; a group of one is decoded straight through, a larger group is merged with a heap
// (ties broken by segment position, so the order is deterministic).
Result<bool> scan_segments(const std::vector<const SegmentReader*>& segs, const TimeWindow& w,
                           const EventBatchFn& fn) {
  std::vector<const SegmentReader*> sel;
  for (auto* s : segs)
    if (s->info().events > 0 && s->info().max_time >= w.from && s->info().min_time < w.to) sel.push_back(s);
  std::stable_sort(sel.begin(), sel.end(), [](auto* a, auto* b) { return a->info().min_time < b->info().min_time; });

  std::vector<Event> out;
  out.reserve(kBatch);
  std::size_t i = 0;
  while (i < sel.size()) {
    std::size_t j = i + 1;
    std::int64_t group_max = sel[i]->info().max_time;
    while (j < sel.size() && sel[j]->info().min_time <= group_max) {
      group_max = std::max(group_max, sel[j]->info().max_time);
      ++j;
    }
    if (j - i == 1) {
      SegmentReader::Cursor c;
      while (!c.done) {
        if (auto r = sel[i]->next_batch(c, w.from, w.to, kBatch, out); !r) return r.error();
        if (!out.empty()) fn(out);
      }
      out.clear();
    } else {
      struct Source {
        const SegmentReader* seg;
        SegmentReader::Cursor cursor;
        std::vector<Event> buf;
        std::size_t pos = 0;
      };
      std::vector<Source> src(j - i);
      auto refill = [&](Source& s) -> Result<bool> {
        while (s.pos >= s.buf.size() && !s.cursor.done) {
          s.pos = 0;
          if (auto r = s.seg->next_batch(s.cursor, w.from, w.to, 4096, s.buf); !r) return r.error();
        }
        return s.pos < s.buf.size();
      };
      using Item = std::pair<std::int64_t, std::size_t>;  // (time, source index)
      std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
      for (std::size_t k = 0; k < src.size(); ++k) {
        src[k].seg = sel[i + k];
        auto r = refill(src[k]);
        if (!r) return r.error();
        if (*r) heap.emplace(src[k].buf[0].time, k);
      }
      while (!heap.empty()) {
        const std::size_t k = heap.top().second;
        heap.pop();
        Source& s = src[k];
        out.push_back(s.buf[s.pos++]);
        if (out.size() == kBatch) {
          fn(out);
          out.clear();
        }
        auto r = refill(s);
        if (!r) return r.error();
        if (*r) heap.emplace(s.buf[s.pos].time, k);
      }
      if (!out.empty()) {
        fn(out);
        out.clear();
      }
    }
    i = j;
  }
  return true;
}

}  // namespace

bool is_event_store(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec) && std::filesystem::is_regular_file(manifest_path(path), ec);
}

Result<EventStore> EventStore::open(const std::filesystem::path& dir) {
  auto m = read_manifest(dir);
  if (!m) return m.error();
  EventStore store;
  store.dir_ = dir;
  store.manifest_ = std::move(*m);
  for (const auto& s : store.manifest_.segments) {
    auto reader = SegmentReader::open(segment_path(dir, s.seq), s.info);
    if (!reader) return make_error(dir.string() + ": " + reader.error().message);
    store.segments_.push_back(std::make_shared<const SegmentReader>(std::move(*reader)));
  }
  for (NameKind k : {NameKind::kActor, NameKind::kRepo, NameKind::kOrg}) {
    const auto& info = dict_info(store.manifest_, k);
    std::error_code ec;
    auto size = std::filesystem::file_size(dict_path(dir, k), ec);
    if (info.count > 0 && (ec || size < info.bytes))
      return make_error(dict_path(dir, k).string() + ": missing or truncated (shorter than the manifest says)");
  }
  return store;
}

std::size_t EventStore::id_count(NameKind kind) const { return dict_info(manifest_, kind).count; }

Result<bool> EventStore::scan(const TimeWindow& window, const EventBatchFn& fn) const {
  std::vector<const SegmentReader*> segs;
  for (const auto& s : segments_) segs.push_back(s.get());
  return scan_segments(segs, window, fn);
}

Result<std::vector<std::string>> EventStore::names(NameKind kind, std::span<const std::uint32_t> ids) const {
  return read_dictionary_names(dict_path(dir_, kind), dict_info(manifest_, kind), ids);
}

std::uint64_t EventStore::events() const {
  std::uint64_t n = 0;
  for (const auto& s : manifest_.segments) n += s.info.events;
  return n;
}

std::uint64_t EventStore::segment_bytes() const {
  std::uint64_t n = 0;
  for (const auto& s : manifest_.segments) n += s.info.file_bytes;
  return n;
}

std::uint64_t EventStore::dictionary_bytes() const {
  return manifest_.actors.bytes + manifest_.repos.bytes + manifest_.orgs.bytes;
}

Result<AppendResult> append_to_store(const std::filesystem::path& dir, const EventTable& table,
                                     const std::vector<StoreSource>& sources) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(dir.string() + ": cannot create: " + ec.message());
  auto lock = StoreLock::acquire(dir);
  if (!lock) return lock.error();

  StoreManifest m;
  if (std::filesystem::exists(manifest_path(dir))) {
    auto read = read_manifest(dir);
    if (!read) return read.error();
    m = std::move(*read);
  }
  Dictionary actors, repos, orgs;
  if (auto r = load_dictionary_file(dict_path(dir, NameKind::kActor), m.actors, actors); !r) return r.error();
  if (auto r = load_dictionary_file(dict_path(dir, NameKind::kRepo), m.repos, repos); !r) return r.error();
  if (auto r = load_dictionary_file(dict_path(dir, NameKind::kOrg), m.orgs, orgs); !r) return r.error();

  EventTable into;
  into.actors = std::move(actors);
  into.repos = std::move(repos);
  into.orgs = std::move(orgs);
  append_table(into, table);  // re-interns names and maps events to store ids
  if (!std::is_sorted(into.events.begin(), into.events.end(),
                      [](const Event& a, const Event& b) { return a.time < b.time; }))
    sort_by_time(into);

  AppendResult result;
  result.events = into.events.size();
  result.new_actors = into.actors.size() - m.actors.count;
  result.new_repos = into.repos.size() - m.repos.count;
  result.new_orgs = into.orgs.size() - m.orgs.count;

  // Order matters for crash safety: segment and names first, the manifest (which makes them
  // visible) last.
  if (!into.events.empty()) {
    const std::uint64_t seq = m.next_seq;
    const auto final_path = segment_path(dir, seq);
    auto tmp = final_path;
    tmp += ".tmp";
    auto writer = SegmentWriter::create(tmp);
    if (!writer) return writer.error();
    for (const Event& e : into.events)
      if (auto r = writer->add(e); !r) return r.error();
    auto info = writer->finish();
    if (!info) return info.error();
    std::filesystem::rename(tmp, final_path, ec);
    if (ec) return make_error(final_path.string() + ": " + ec.message());
    m.segments.push_back(StoreSegment{seq, *info});
    m.next_seq = seq + 1;
    result.segment_bytes = info->file_bytes;
  }
  auto a = append_dictionary_file(dict_path(dir, NameKind::kActor), m.actors, into.actors);
  if (!a) return a.error();
  auto r = append_dictionary_file(dict_path(dir, NameKind::kRepo), m.repos, into.repos);
  if (!r) return r.error();
  auto o = append_dictionary_file(dict_path(dir, NameKind::kOrg), m.orgs, into.orgs);
  if (!o) return o.error();
  m.actors = *a;
  m.repos = *r;
  m.orgs = *o;
  m.sources.insert(m.sources.end(), sources.begin(), sources.end());
  if (auto w = write_manifest(dir, m); !w) return w.error();
  return result;
}

Result<bool> compact_store(const std::filesystem::path& dir, std::size_t first) {
  auto lock = StoreLock::acquire(dir);
  if (!lock) return lock.error();
  auto store = EventStore::open(dir);
  if (!store) return store.error();
  StoreManifest m = store->manifest();
  if (first >= m.segments.size() || m.segments.size() - first < 2) return true;  // nothing to merge

  std::vector<const SegmentReader*> segs;
  std::vector<SegmentReader> readers;
  readers.reserve(m.segments.size() - first);
  for (std::size_t i = first; i < m.segments.size(); ++i) {
    auto rd = SegmentReader::open(segment_path(dir, m.segments[i].seq), m.segments[i].info);
    if (!rd) return rd.error();
    readers.push_back(std::move(*rd));
  }
  for (const auto& rd : readers) segs.push_back(&rd);

  const std::uint64_t seq = m.next_seq;
  const auto final_path = segment_path(dir, seq);
  auto tmp = final_path;
  tmp += ".tmp";
  auto writer = SegmentWriter::create(tmp);
  if (!writer) return writer.error();
  Result<bool> write_status = true;
  auto scanned = scan_segments(segs, TimeWindow{}, [&](std::span<const Event> batch) {
    for (const Event& e : batch) {
      if (!write_status) return;
      write_status = writer->add(e);
    }
  });
  if (!scanned) return scanned.error();
  if (!write_status) return write_status.error();
  auto info = writer->finish();
  if (!info) return info.error();
  std::error_code ec;
  std::filesystem::rename(tmp, final_path, ec);
  if (ec) return make_error(final_path.string() + ": " + ec.message());

  std::vector<std::uint64_t> old;
  for (std::size_t i = first; i < m.segments.size(); ++i) old.push_back(m.segments[i].seq);
  m.segments.resize(first);
  m.segments.push_back(StoreSegment{seq, *info});
  m.next_seq = seq + 1;
  if (auto w = write_manifest(dir, m); !w) return w.error();
  for (auto s : old) std::filesystem::remove(segment_path(dir, s), ec);  // unreferenced now
  return true;
}

Result<DetectionInput> detection_input_from_store(const std::filesystem::path& dir, const TimeWindow& window) {
  auto store = EventStore::open(dir);
  if (!store) return store.error();
  return build_detection_input(*store, window);
}

}  // namespace hubguard::stars
