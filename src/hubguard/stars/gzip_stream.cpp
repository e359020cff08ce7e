#include "hubguard/stars/gzip_stream.hpp"

#include <isa-l.h>

#include <algorithm>
#include <string>

namespace hubguard::stars {
namespace {
// avail_in is 32-bit: feed very large inputs in slices.
constexpr std::size_t kMaxFeed = std::size_t{1} << 30;
}  // namespace

GzipStream::GzipStream(Bytes input) : input_(input), state_(std::make_unique<inflate_state>()) {
  if (input_.empty()) {
    error_ = "empty gzip file";
    done_ = true;
    return;
  }
  isal_inflate_init(state_.get());
  state_->crc_flag = ISAL_GZIP;
  members_ = 1;
  feed();
}

GzipStream::~GzipStream() = default;

void GzipStream::feed() {
  if (state_->avail_in != 0 || consumed_ >= input_.size()) return;
  const std::size_t n = std::min(kMaxFeed, input_.size() - consumed_);
  state_->next_in = const_cast<std::uint8_t*>(input_.data() + consumed_);
  state_->avail_in = static_cast<std::uint32_t>(n);
  consumed_ += n;
}

bool GzipStream::start_next_member() {
  // Bytes left after a finished member: another gzip member, zero padding (some tools pad
  // files to a block size), or garbage.
  const std::size_t left_in_state = state_->avail_in;
  const std::size_t pos = consumed_ - left_in_state;
  if (pos >= input_.size()) return false;
  Bytes rest = input_.subspan(pos);
  if (rest.size() >= 2 && rest[0] == 0x1f && rest[1] == 0x8b) {
    isal_inflate_reset(state_.get());
    state_->crc_flag = ISAL_GZIP;
    // Re-point the input at the new member (reset keeps next_in/avail_in, but be explicit).
    consumed_ = pos;
    state_->avail_in = 0;
    feed();
    ++members_;
    return true;
  }
  if (std::all_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b == 0; })) return false;
  error_ = "garbage after gzip member " + std::to_string(members_) + " at byte " + std::to_string(pos);
  return false;
}

std::size_t GzipStream::read(std::uint8_t* out, std::size_t capacity) {
  capacity = std::min<std::size_t>(capacity, 0xFFFFFFFFu);
  while (!done_) {
    feed();
    state_->next_out = out;
    state_->avail_out = static_cast<std::uint32_t>(capacity);
    const std::uint32_t in_before = state_->avail_in;
    const int rc = isal_inflate(state_.get());
    const std::size_t produced = capacity - state_->avail_out;
    if (rc != ISAL_DECOMP_OK && rc != ISAL_END_INPUT) {
      error_ = "corrupt gzip data (isal_inflate error " + std::to_string(rc) + ") in member " +
               std::to_string(members_);
      done_ = true;
      return produced;
    }
    if (state_->block_state == ISAL_BLOCK_FINISH) {
      if (!start_next_member()) done_ = true;
      if (produced > 0) return produced;
      continue;
    }
    if (produced > 0) return produced;
    if (state_->avail_in == 0 && consumed_ >= input_.size()) {
      error_ = "truncated gzip stream (input ended inside member " + std::to_string(members_) + ")";
      done_ = true;
    } else if (state_->avail_in == in_before && in_before != 0) {
      // Neither input consumed nor output produced: never spin on a stuck inflater.
      error_ = "gzip decoder made no progress in member " + std::to_string(members_);
      done_ = true;
    }
  }
  return 0;
}

}  // namespace hubguard::stars
