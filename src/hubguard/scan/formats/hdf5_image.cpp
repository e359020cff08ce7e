#include "hubguard/scan/formats/hdf5_image.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace hubguard::scan {
namespace {

// Owns one libhdf5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// The innermost message on this thread's libhdf5 error stack: the most specific reason.
herr_t innermost(unsigned n, const H5E_error2_t* e, void* out) {
  if (n == 0 && e && e->desc) *static_cast<std::string*>(out) = e->desc;
  return 0;
}

Error hdf5_error(std::string what) {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &reason);
  H5Eclear2(H5E_DEFAULT);
  if (!reason.empty()) what += " (" + reason + ")";
  return make_error(std::move(what));
}

struct NameList {
  std::vector<std::string>* names;
  bool failed = false;
};

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  auto* list = static_cast<NameList*>(data);
  try {  // no exception may unwind through libhdf5's C frames
    list->names->emplace_back(name);
  } catch (...) {
    list->failed = true;
    return -1;
  }
  return list->names->size() >= kMaxHdf5Attributes ? 1 : 0;
}

Result<std::string> read_string_attribute(hid_t root, const std::string& name, std::uint64_t max_size) {
  Handle attr(H5Aopen(root, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) return hdf5_error("cannot open root attribute '" + name + "'");
  Handle ftype(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (!ftype.ok() || !space.ok()) return hdf5_error("cannot read the type of root attribute '" + name + "'");
  if (H5Tget_class(ftype.get()) != H5T_STRING)
    return make_error("root attribute '" + name + "' is not a string");
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    return make_error("root attribute '" + name + "' holds several values, not one string");
  const htri_t variable = H5Tis_variable_str(ftype.get());
  if (variable < 0) return hdf5_error("cannot read the type of root attribute '" + name + "'");
  if (!variable) {
    // Fixed length: the size is in the datatype, so it is checked before anything is read.
    const std::size_t size = H5Tget_size(ftype.get());
    if (size > max_size)
      return make_error("root attribute '" + name + "' is " + std::to_string(size) + " bytes, more than the " +
                        std::to_string(max_size) + " allowed");
    std::string value(size, '\0');
    if (H5Aread(attr.get(), ftype.get(), value.data()) < 0)
      return hdf5_error("cannot read root attribute '" + name + "'");
    const bool space_padded = H5Tget_strpad(ftype.get()) == H5T_STR_SPACEPAD;
    while (!value.empty() && (value.back() == '\0' || (space_padded && value.back() == ' '))) value.pop_back();
    return value;
  }
  // Variable length: libhdf5 allocates the string from its global heap object, whose size
  // the superblock check has already bounded by the file's size; ours is checked after.
  Handle mtype(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!mtype.ok() || H5Tset_size(mtype.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get())) < 0)
    return hdf5_error("cannot make a string type");
  char* text = nullptr;
  if (H5Aread(attr.get(), mtype.get(), &text) < 0) return hdf5_error("cannot read root attribute '" + name + "'");
  Result<std::string> out = make_error("root attribute '" + name + "' is larger than " + std::to_string(max_size) +
                                       " bytes");
  if (text == nullptr) {
    out = std::string();
  } else {
    const std::size_t size = strnlen(text, max_size + 1);
    if (size <= max_size) {
      try {
        out = std::string(text, size);
      } catch (const std::bad_alloc&) {
        out = make_error("out of memory reading root attribute '" + name + "'");
      }
    }
  }
  H5Dvlen_reclaim(mtype.get(), space.get(), H5P_DEFAULT, &text);
  return out;
}

Result<Hdf5RootAttributes> read_locked(Bytes image, std::span<const std::string_view> wanted,
                                       std::uint64_t max_attribute_size) {
  // libhdf5 never writes a read-only image it was told not to copy or free; the cast only
  // satisfies its C signature.
  void* buffer = const_cast<std::uint8_t*>(image.data());
  Handle file(H5LTopen_file_image(buffer, image.size(), H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE),
              H5Fclose);
  if (!file.ok()) return hdf5_error("cannot open the HDF5 file");
  Handle root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose);
  if (!root.ok()) return hdf5_error("cannot open the root group");
  Hdf5RootAttributes out;
  NameList list{&out.names};
  hsize_t index = 0;
  if (H5Aiterate2(root.get(), H5_INDEX_NAME, H5_ITER_NATIVE, &index, collect_name, &list) < 0 || list.failed)
    return hdf5_error("cannot list the root group's attributes");
  for (std::string_view want : wanted) {
    const std::string name(want);
    const htri_t present = H5Aexists(root.get(), name.c_str());
    if (present < 0) return hdf5_error("cannot look up root attribute '" + name + "'");
    if (!present) continue;
    auto value = read_string_attribute(root.get(), name, max_attribute_size);
    if (!value) return value.error();
    out.strings.push_back({name, std::move(*value)});
  }
  return out;
}

// The child's answer on the pipe: 'E' + message, or 'A' + names + strings, every string as a
// 4-byte length and its bytes.
void put_string(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(s);
}

std::string encode(const Result<Hdf5RootAttributes>& r) {
  std::string out;
  if (!r) {
    out.push_back('E');
    put_string(out, r.error().message);
    return out;
  }
  out.push_back('A');
  put_string(out, std::to_string(r->names.size()));
  for (const auto& n : r->names) put_string(out, n);
  put_string(out, std::to_string(r->strings.size()));
  for (const auto& a : r->strings) {
    put_string(out, a.name);
    put_string(out, a.value);
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool string(std::string& out) {
    if (data_.size() < 4) return false;
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(data_[i])) << (8 * i);
    data_.remove_prefix(4);
    if (n > data_.size()) return false;
    out.assign(data_.substr(0, n));
    data_.remove_prefix(n);
    return true;
  }
  bool count(std::size_t& n) {
    std::string text;
    if (!string(text) || text.empty() || text.size() > 9) return false;
    n = std::stoul(text);
    return true;
  }

 private:
  std::string_view data_;
};

Result<Hdf5RootAttributes> decode(std::string_view data) {
  if (data.empty()) return make_error("libhdf5 gave no answer");
  Reader in(data.substr(1));
  if (data[0] == 'E') {
    std::string message;
    if (!in.string(message)) return make_error("libhdf5 gave a garbled answer");
    return make_error(std::move(message));
  }
  Hdf5RootAttributes out;
  std::size_t names = 0, strings = 0;
  if (data[0] != 'A' || !in.count(names)) return make_error("libhdf5 gave a garbled answer");
  out.names.resize(names);
  for (auto& n : out.names)
    if (!in.string(n)) return make_error("libhdf5 gave a garbled answer");
  if (!in.count(strings)) return make_error("libhdf5 gave a garbled answer");
  out.strings.resize(strings);
  for (auto& a : out.strings)
    if (!in.string(a.name) || !in.string(a.value)) return make_error("libhdf5 gave a garbled answer");
  return out;
}

// Runs in the forked child: only libhdf5, write() and _exit().
[[noreturn]] void child(int fd, Bytes image, std::span<const std::string_view> wanted, std::uint64_t max_size) {
  H5PLset_loading_state(0);  // no filter plugins: nothing here reads filtered data
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  std::string answer;
  try {
    answer = encode(read_locked(image, wanted, max_size));
  } catch (...) {
    answer = encode(make_error("out of memory reading the HDF5 root attributes"));
  }
  std::string_view rest(answer);
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ::_exit(0);
}

}  // namespace

Result<Hdf5RootAttributes> read_hdf5_root_attributes(Bytes image, std::span<const std::string_view> wanted,
                                                     std::uint64_t max_attribute_size,
                                                     std::chrono::milliseconds timeout) {
  // Initialising libhdf5 costs more than the fork: do it once here, so every child starts
  // from an initialised library (no file is ever opened in this process).
  static const bool initialised = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5PLset_loading_state(0);
    return H5open() >= 0;
  }();
  if (!initialised) return make_error("libhdf5 failed to initialise");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(std::string("cannot make a pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return make_error(std::string("cannot fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], image, wanted, max_attribute_size);
  }
  ::close(fds[1]);
  // The answer is bounded by what the child may read; a child that stalls is stopped.
  const std::uint64_t max_answer = 2 * max_attribute_size * wanted.size() + (kMaxHdf5Attributes + 4) * 4096;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string answer;
  std::string why;
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      why = "libhdf5 did not finish reading the file within " + std::to_string(timeout.count()) + " ms";
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (answer.size() + static_cast<std::size_t>(n) > max_answer) {
      why = "libhdf5's answer is larger than allowed";
      break;
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (!why.empty()) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!why.empty()) return make_error(why);
  if (WIFSIGNALED(status))
    return make_error("libhdf5 crashed reading this file (signal " + std::to_string(WTERMSIG(status)) +
                      "): a malformed HDF5 file");
  // The child always exits 0 after answering; anything else is a fault caught on the way out
  // (a sanitizer build reports libhdf5's bad memcpy and exits 1).
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return make_error("libhdf5 crashed reading this file (exit status " + std::to_string(WEXITSTATUS(status)) +
                      "): a malformed HDF5 file");
  return decode(answer);
}

}  // namespace hubguard::scan
