#include "hubguard/scan/pickle/sniff.hpp"

#include <algorithm>
#include <cctype>

#include "hubguard/core/limits.hpp"
#include "hubguard/scan/pickle/opcodes.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"

namespace hubguard::scan::pickle {

namespace {

constexpr std::size_t kWindow = 4096;
constexpr std::uint64_t kSniffOps = 64;

bool plausible_first_opcode(std::uint8_t b) {
  switch (b) {
    case kMark: case kEmptyList: case kEmptyDict: case kEmptyTuple: case kGlobal: case kNone:
    case kInt: case kLong: case kFloat: case kString: case kUnicode: case kBinInt1:
    case kBinInt: case kBinInt2: case kBinFloat: case kBinString: case kShortBinString:
    case kBinUnicode: case kBinBytes: case kShortBinBytes: case kPersId: case kNewTrue:
    case kNewFalse: case kShortBinUnicode:
      return true;
    default:
      return false;
  }
}

bool identifier_path(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' ||
      std::isdigit(static_cast<unsigned char>(s.front())))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

}  // namespace

bool looks_like_pickle(Bytes data) {
  if (data.size() < 2) return false;
  const bool proto = data[0] == kProto;
  if (proto) {
    if (data[1] < 2 || data[1] > 5) return false;
  } else if (!plausible_first_opcode(data[0])) {
    return false;
  }

  ScanLimits limits;
  limits.max_pickle_ops = kSniffOps;
  limits.max_pickle_stack = 4096;
  limits.max_pickle_memo = 4096;
  limits.max_pickle_calls_recorded = 256;
  const Bytes window = data.first(std::min(data.size(), kWindow));
  const Program p = run_pickle(window, 0, limits);

  bool named_imports = false;
  for (const auto& im : p.imports) {
    if (im.kind != ImportKind::global && im.kind != ImportKind::inst) continue;
    if (!identifier_path(im.module) || !identifier_path(im.name)) return false;
    named_imports = true;
  }
  if (p.stopped) return true;
  const bool ran_all = !p.limits.empty() && p.limits.front().limit == "max_pickle_ops";
  if (ran_all) return true;
  // The opcode that failed does not count, unless the window simply ended between opcodes.
  const bool clean_end = p.error_offset >= window.size();
  const std::uint64_t good_ops = clean_end ? p.opcodes : (p.opcodes > 0 ? p.opcodes - 1 : 0);
  const std::uint64_t needed = proto ? 2 : 4;
  if (p.truncated) {
    // Ran out of the window: enough valid opcodes were seen. Ran out of the data itself: a
    // truncated protocol 0/1 stream must at least have imported something to be believed.
    const bool window_end = window.size() < data.size();
    if (named_imports && good_ops >= 1) return true;
    return good_ops >= needed && (proto || window_end);
  }
  return named_imports && good_ops >= 2;
}

}  // namespace hubguard::scan::pickle
